"""``baocao report due`` asks a commune for the six-month review's first half only: the second
half is the yearly review's (``"owed_periods": ["S1"]`` in ``so-ket-6-thang.json``)."""

from __future__ import annotations

import pytest

from tests.cli.test_cli import Cli, cli  # noqa: F401  (fixture)

REVIEW = "so-ket-6-thang"


@pytest.fixture
def demo(cli: Cli) -> Cli:  # noqa: F811
    assert cli.run("demo")[0] == 0  # a ward Party committee: it owes the six-month review
    return cli


@pytest.mark.parametrize(
    ("on", "periods"),
    [
        ("18/06/2026", ["2026S1"]),
        ("07/12/2026", []),
        ("05/01/2027", ["2027S1"]),
    ],
)
def test_report_due_lists_the_first_half_only(demo: Cli, on: str, periods: list[str]) -> None:
    printed = demo.json("report", "due", "--on", on)
    assert [row["period"] for row in printed if row["template_id"] == REVIEW] == periods
    yearly = [row["period"] for row in printed if row["template_id"] == "tong-ket-nam"]
    assert yearly  # the yearly review is still asked for

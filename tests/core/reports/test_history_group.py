"""The history group: templates kept for the reports made on them, not for new periods.

``"group": "history"`` is one optional field in both formats. A file without it installs as
before and keeps the content hash offices already hold. A history template is owed by nobody:
the upper office never lists a unit as missing it and the home page never asks for it. A
report on it still opens, prints, travels and is counted above; only a new one needs asking for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.catalogue import describe
from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.templates import (
    TemplateError,
    bundled_template_files,
    content_hash,
    load_template_bytes,
    load_template_file,
)
from desktop_app.core.workspace import Workspace
from tests.core.upper.helpers import (
    CENTRAL,
    approve_and_export,
    enrol,
    figures_for,
    imported,
    narratives_for,
    open_office,
)

FILES = {path.stem: path for path in bundled_template_files()}
HISTORY = ("ct58-tongket-10nam", "de-an-06-tong-ket", "nq36-so-ket")
# The content hashes of format-1 files as offices installed them before the group existed.
HASH_CNTT_QUY = "f0f195823278adbb7becd888f8c54d627c9aa283473d5d21e4704668d90d9d37"
HASH_CT58_V1 = "1977cce63acee07d4762f9a7f41fe5f1ff608c8f3d628a7dae6c636ddb682730"
PERIOD = "2026Q3"
PROVINCE = Office(
    code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party", abbreviation="TU"
)
COMMUNE = Office(
    code="DU-01",
    name="Đảng ủy xã Xuân Du",
    level="commune",
    block="party",
    abbreviation="ĐU",
    parent_code=PROVINCE.code,
)


def document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FILES[name].read_text(encoding="utf-8"))
    return loaded


def as_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def old_it_report() -> dict[str, Any]:
    """``cntt-quy`` retired to the history group under another id."""
    doc = document("cntt-quy")
    doc.update(id="cntt-quy-cu", group="history")
    return doc


# --- the format ---------------------------------------------------------------------------------


def test_a_format_1_file_without_the_group_keeps_its_content_hash() -> None:
    cntt = load_template_file(FILES["cntt-quy"])
    assert (cntt.group, cntt.is_history, cntt.content_hash) == ("current", False, HASH_CNTT_QUY)
    # CT 58 as shipped before it moved: version 1, no group.
    before = document("ct58-tongket-10nam")
    del before["group"]
    before["version"] = 1
    assert load_template_bytes(as_bytes(before), "ct58.json").content_hash == HASH_CT58_V1
    assert content_hash(before) == HASH_CT58_V1


@pytest.mark.parametrize("name", HISTORY)
def test_the_three_old_reviews_are_in_the_history_group_at_a_new_version(name: str) -> None:
    template = load_template_file(FILES[name])
    assert template.is_history and template.version == 2
    assert template.format_version == 1  # the field needs no new format


def test_every_other_shipped_template_is_current() -> None:
    current = [load_template_file(p) for n, p in FILES.items() if n not in HISTORY]
    assert len(current) == 8
    assert not [t.id for t in current if t.is_history]


@pytest.mark.parametrize("version", [1, 2])
def test_a_misspelt_group_is_refused_naming_the_word_meant(version: int) -> None:
    doc = old_it_report() if version == 1 else document("nq57-quy-xa")
    doc["group"] = "histroy"
    with pytest.raises(TemplateError) as caught:
        load_template_bytes(as_bytes(doc), "mau.json")
    assert caught.value.field == "group"
    assert "'history'" in describe(caught.value, "vi")


# --- owed by nobody, still usable ----------------------------------------------------------------


@dataclass
class Offices:
    province: Workspace
    commune: Workspace
    report: str


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Offices]:
    stick = tmp_path / "usb"
    stick.mkdir()
    province = open_office(tmp_path, PROVINCE, CENTRAL)
    commune = open_office(tmp_path, COMMUNE, PROVINCE)
    for workspace in (province, commune):
        workspace.templates.install(load_template_bytes(as_bytes(old_it_report()), "cu.json"))
    enrol(province, commune)
    report = commune.reports.new("cntt-quy-cu", PERIOD)
    changes = ContentChanges(values=figures_for(1), narratives=narratives_for(COMMUNE.name))
    commune.reports.save(report, changes)
    imported(province, approve_and_export(commune, report, stick))
    yield Offices(province, commune, report)
    province.close()
    commune.close()


def test_the_upper_office_never_counts_a_history_template_as_owed(offices: Offices) -> None:
    province = offices.province
    owed = {(o.unit_code, o.template_id) for o in province.upper.obligations(PERIOD)}
    assert owed == {("DU-01", "cntt-quy")}
    assert province.upper.obligations(PERIOD, "cntt-quy-cu") == []
    result = province.upper.consolidate("cntt-quy-cu", PERIOD)
    assert (result.units_included, result.units_missing) == (("DU-01",), ())
    assert result.total("tong_may_tinh").value == figures_for(1)["tong_may_tinh"]


def test_the_home_page_never_asks_for_a_history_template(offices: Offices) -> None:
    due = offices.commune.reports.due(date(2026, 9, 1))
    assert {item.template_id for item in due} == {"cntt-quy"}


def test_a_report_on_a_history_template_still_opens_and_prints(offices: Offices) -> None:
    received = offices.province.reports.content(offices.report)
    assert received.values == offices.commune.reports.content(offices.report).values
    assert offices.commune.documents.report_pdf(offices.report).startswith(b"%PDF")
    assert offices.province.documents.report_pdf(offices.report).startswith(b"%PDF")
    assert offices.commune.reports.new_revision(offices.report) == 2


def test_a_new_report_on_a_history_template_is_refused_only_when_asked(offices: Offices) -> None:
    commune = offices.commune
    with pytest.raises(CoreError) as caught:
        commune.reports.new("cntt-quy-cu", "2026Q4", allow_history=False)
    assert caught.value.code == "report.history_template"
    assert "--history" in describe(caught.value, "vi")
    assert commune.reports.summaries(period="2026Q4") == []
    assert commune.reports.new("cntt-quy-cu", "2026Q4")  # the demo and the windows may
    assert commune.reports.new("cntt-quy", "2026Q4", allow_history=False)

"""Hostile templates: depth, size and number bounds, refused with exit 2 naming the file and
the field, in both languages, the store unchanged; and two installs of one template at once."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli.main import main
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.templates import bundled_template_files, load_template_file
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.hostile.store_dump import dump

BASE: dict[str, Any] = json.loads(
    next(p for p in bundled_template_files() if p.name == "cntt-quy.json").read_text("utf-8")
)


def indicator(document: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    stack: list[Any] = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("id") == indicator_id:
                return item
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    raise KeyError(indicator_id)


def indicators(document: dict[str, Any]) -> list[dict[str, Any]]:
    stack: list[Any] = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "indicators" in item:
                found: list[dict[str, Any]] = item["indicators"]
                return found
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    raise KeyError("indicators")


def formula(text: str) -> Callable[[dict[str, Any]], None]:
    return lambda d: indicator(d, "ty_le_may_tinh_ket_noi").update(formula=text)


def bound(**bounds: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: indicator(d, "tong_may_tinh").update(bounds)


def computed_chain(d: dict[str, Any]) -> None:
    previous = "tong_may_tinh"
    for n in range(3000):
        indicators(d).append(
            {"id": f"c{n}", "label": f"C {n}", "type": "decimal", "formula": f"{previous} + 1"}
        )
        previous = f"c{n}"


def edited(change: Callable[[dict[str, Any]], None]) -> str:
    document = copy.deepcopy(BASE)
    change(document)
    return json.dumps(document, ensure_ascii=False)


def raw(old: str, new: str) -> str:
    text = json.dumps(BASE, ensure_ascii=False)
    assert old in text
    return text.replace(old, new, 1)


HOSTILE: dict[str, str] = {
    "deep-parentheses": edited(formula("(" * 3000 + "tong_may_tinh" + ")" * 3000)),
    "long-sum": edited(formula("+".join(["tong_may_tinh"] * 20000))),
    "unary-minus-chain": edited(formula("-" * 5000 + "tong_may_tinh")),
    # under the schema's 2,000 characters: only the formula's own bounds can refuse these
    "parentheses-900-deep": edited(formula("(" * 900 + "tong_may_tinh" + ")" * 900)),
    "unary-minus-1900": edited(formula("-" * 1900 + "tong_may_tinh")),
    "not-450": edited(formula("not " * 450 + "tong_may_tinh")),
    "sum-of-900": edited(formula("+".join(["a"] * 900))),
    "calls-40-deep": edited(formula("abs(" * 40 + "tong_may_tinh" + ")" * 40)),
    "round-to-40-places": edited(formula("round(may_tinh_ket_noi / tong_may_tinh * 100, 40)")),
    "round-to-huge-places": edited(formula("round(tong_may_tinh, 999999999999)")),
    "round-to-computed-places": edited(formula("round(tong_may_tinh, tong_can_bo)")),
    "literal-of-5000-digits": edited(formula("tong_may_tinh * 1" + "0" * 5000)),
    "literal-1e400": edited(formula("tong_may_tinh * 1e400")),
    "max-2^63": edited(bound(max=2**63)),
    "max-10^30": edited(bound(max=10**30)),
    "min-below-2^70": edited(bound(min=-(2**70))),
    "computed-chain-3000": edited(computed_chain),
    "json-nested-5000": json.dumps(BASE)[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}",
    "label-with-bell": raw('"Tỷ lệ máy tính kết nối Internet"', '"Tỷ lệ\\u0007"'),
    "label-lone-surrogate": raw('"Tỷ lệ máy tính kết nối Internet"', '"\\ud800"'),
    "max-1e400": raw('"max": 100000', '"max": 1e400'),
    "not-utf8": "",  # written as bytes below
}


def write(folder: Path, name: str) -> Path:
    path = folder / f"{name}.json"
    if name == "not-utf8":
        path.write_bytes(json.dumps(BASE).encode()[:-1] + b', "x": "\xff\xfe"}')
    else:
        path.write_text(HOSTILE[name], encoding="utf-8")
    return path


@pytest.fixture
def district(tmp_path: Path) -> Path:
    with Workspace.open(tmp_path / "ws", automatic_backup=False) as ws:
        ws.initialise(DISTRICT, install_bundled_templates=False)
    return tmp_path / "ws"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_template_is_refused_with_exit_2_naming_the_file(
    district: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, lang: str
) -> None:
    path = write(tmp_path, name)
    before = dump(district / "baocao.db")
    code = main(["templates", "install", str(path), "--workspace", str(district), "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and path.name in err, err
    assert "Traceback" not in err and "internal.unexpected" not in err
    assert dump(district / "baocao.db") == before


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_template_is_a_template_error_in_core(tmp_path: Path, name: str) -> None:
    with pytest.raises(CoreError) as refused:
        load_template_file(write(tmp_path, name))
    assert refused.value.code.startswith("template.")


def test_two_installs_of_one_template_at_once_end_with_one_version(district: Path) -> None:
    template = load_template_file(next(p for p in bundled_template_files()))
    outcomes: list[str] = []

    def install() -> None:
        with Workspace.open(district, automatic_backup=False) as ws:
            try:
                ws.templates.install(template)
                outcomes.append("installed")
            except CoreError as error:
                outcomes.append(error.code)

    threads = [threading.Thread(target=install) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 4 and "installed" in outcomes, outcomes
    with Workspace.open(district, automatic_backup=False) as ws:
        rows = ws.db.execute("SELECT COUNT(*) FROM templates").fetchone()
    assert rows == (1,)

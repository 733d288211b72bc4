"""The `baocao` command in-process: exit codes, JSON shapes, refusals that name their cause."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli.main import main
from desktop_app.cli.output import json_text
from desktop_app.core.workspace import Workspace


class Cli:
    def __init__(self, workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.workspace = workspace
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([*args, "--workspace", str(self.workspace)])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def json(self, *args: str) -> Any:
        code, out, err = self.run(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "ws", capsys)


@pytest.fixture
def district(cli: Cli) -> Cli:
    code, _, err = cli.run(
        "init",
        "--office-code",
        "DU-14797",
        "--office-name",
        "Đảng ủy phường Hạc Thành",
        "--level",
        "commune",
        "--parent",
        "TU-38",
    )
    assert code == 0, err
    return cli


def test_demo_then_list_reports(cli: Cli) -> None:
    assert cli.run("demo")[0] == 0
    reports = cli.json("report", "list")
    assert len(reports) >= 5
    assert {"draft", "ready"} <= {r["status"] for r in reports}
    for report in reports:
        assert set(report) >= {"id", "template_id", "period", "status", "revision"}


def test_demo_twice_adds_nothing(cli: Cli) -> None:
    cli.run("demo")
    first = cli.json("report", "list")
    cli.run("demo")
    assert cli.json("report", "list") == first


def test_templates_list_and_show(district: Cli) -> None:
    listed = district.json("templates", "list")
    by_id = {t["id"]: t for t in listed}
    assert by_id["cntt-quy"]["period_type"] == "quarterly"
    for template in listed:
        assert set(template) == {"id", "version", "title", "period_type", "group"}
        assert template["period_type"] in {
            "monthly",
            "quarterly",
            "sixmonthly",
            "ninemonthly",
            "yearly",
            "once",
        }
    assert by_id["ct58-tongket-10nam"]["group"] == "history"
    assert by_id["cntt-quy"]["group"] == "current"
    _, out, _ = district.run("templates", "list")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["nq36-so-ket"].endswith("(lịch sử)")
    assert not lines["cntt-quy"].endswith("(lịch sử)")
    shown = district.json("templates", "show", "cntt-quy")
    indicators = {i["id"]: i for i in shown["indicators"]}
    assert indicators["ty_le_may_tinh_ket_noi"]["formula"]
    assert indicators["ty_le_may_tinh_ket_noi"]["aggregation"] == "ratio"
    assert "choices" in indicators["muc_do_dvc"]
    assert all({"id", "type", "unit", "aggregation"} <= set(i) for i in shown["indicators"])
    assert all("sections" in s for s in shown["sections"])


def test_broken_template_is_refused_with_its_name(district: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "mau-hong.json"
    broken.write_text('{"format": "baocao-template", "id": "x"', encoding="utf-8")
    code, _out, err = district.run("templates", "install", str(broken))
    assert code == 2
    assert "mau-hong.json" in err
    assert len(err.strip().splitlines()) == 1


def test_template_with_bad_field_is_refused_naming_the_field(district: Cli, tmp_path: Path) -> None:
    document = district.json("templates", "show", "cntt-quy")
    source = Path(__file__).resolve().parents[2] / "resources" / "templates" / "cntt-quy.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    data["id"] = "cntt-quy-khac"
    data["tables"][0]["indicators"][0]["aggregation"] = "trung_binh"
    bad = tmp_path / "sai-tong-hop.json"
    bad.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    code, _, err = district.run("templates", "install", str(bad))
    assert code == 2
    assert "sai-tong-hop.json" in err and "aggregation" in err and "dòng" in err
    assert document["id"] == "cntt-quy"
    assert "cntt-quy-khac" not in {t["id"] for t in district.json("templates", "list")}


def _new_report(cli: Cli) -> str:
    report_id: str = cli.json("report", "new", "cntt-quy", "--period", "2026Q3")["id"]
    return report_id


def _set(cli: Cli, tmp_path: Path, report_id: str, payload: dict[str, Any]) -> tuple[int, str, str]:
    path = tmp_path / "nhap.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return cli.run("report", "set", report_id, "--from-json", str(path))


def test_violated_cross_field_rule_exits_1_and_names_the_rule(
    district: Cli, tmp_path: Path
) -> None:
    report_id = _new_report(district)
    code, _, err = _set(
        district, tmp_path, report_id, {"values": {"tong_may_tinh": 10, "may_tinh_ket_noi": 25}}
    )
    assert code == 0, err
    code, out, _ = district.run("report", "validate", report_id, "--json")
    assert code == 1
    result = json.loads(out)
    assert result["ok"] is False
    rule = [i for i in result["issues"] if i["field"] == "ket_noi_khong_vuot_tong"]
    assert rule and rule[0]["severity"] == "error" and rule[0]["code"] == "rule.violated"
    assert {"severity", "code", "field", "message"} == set(rule[0])


def test_set_accepts_vietnamese_numbers_and_show_returns_them(
    district: Cli, tmp_path: Path
) -> None:
    report_id = _new_report(district)
    payload = {
        "values": {
            "tong_may_tinh": "1.200",
            "may_tinh_ket_noi": "900",
            "bang_thong_internet": "12,5",
        },
        "narratives": {"chi_dao_dieu_hanh": "Đảng ủy đã chỉ đạo."},
        "comments": {"tong_ho_so": "Chưa có số liệu."},
    }
    assert _set(district, tmp_path, report_id, payload)[0] == 0
    shown = district.json("report", "show", report_id)
    assert shown["values"]["tong_may_tinh"] == 1200
    assert shown["values"]["bang_thong_internet"] == 12.5
    assert shown["computed"]["ty_le_may_tinh_ket_noi"] == 75.0
    assert shown["narratives"]["chi_dao_dieu_hanh"] == "Đảng ủy đã chỉ đạo."
    assert shown["comments"]["tong_ho_so"] == "Chưa có số liệu."


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"values": {"tong_may_tinh": "nhiều"}}, "tong_may_tinh"),
        ({"values": {"khong_co": 1}}, "khong_co"),
        ({"gia_tri": {}}, "gia_tri"),
        ({"values": {"ty_le_may_tinh_ket_noi": 50}}, "ty_le_may_tinh_ket_noi"),
    ],
)
def test_bad_set_input_exits_2_and_changes_nothing(
    district: Cli, tmp_path: Path, payload: dict[str, Any], needle: str
) -> None:
    report_id = _new_report(district)
    before = district.json("report", "show", report_id)
    code, _, err = _set(district, tmp_path, report_id, payload)
    assert code == 2
    assert needle in err
    assert district.json("report", "show", report_id) == before


def test_set_from_a_file_that_is_not_json(district: Cli, tmp_path: Path) -> None:
    report_id = _new_report(district)
    path = tmp_path / "khong-phai-json.txt"
    path.write_text("tong_may_tinh = 5", encoding="utf-8")
    code, _, err = district.run("report", "set", report_id, "--from-json", str(path))
    assert code == 2 and "khong-phai-json.txt" in err
    assert "not JSON" in err and "json.invalid" not in err  # the parser's reason, not a code


def test_unknown_report_and_bad_period_exit_2(district: Cli) -> None:
    assert district.run("report", "show", "khong-co")[0] == 2
    code, _, err = district.run("report", "new", "cntt-quy", "--period", "2026Q5")
    assert code == 2 and "2026Q5" in err


def test_a_new_report_on_a_history_template_needs_history(district: Cli) -> None:
    code, out, err = district.run("report", "new", "ct58-tongket-10nam", "--period", "TK2010")
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert "nhóm mẫu cũ (lịch sử)" in err and "--history" in err
    assert district.json("report", "list") == []
    report_id = district.json(
        "report", "new", "ct58-tongket-10nam", "--period", "TK2010", "--history"
    )["id"]
    shown = district.json("report", "show", report_id)
    assert (shown["template_id"], shown["period"]) == ("ct58-tongket-10nam", "TK2010")


def test_commands_before_init_say_what_to_do(cli: Cli) -> None:
    code, _, err = cli.run("report", "new", "cntt-quy", "--period", "2026Q3")
    assert code == 2 and "baocao init" in err


def test_usage_error_exits_2(cli: Cli) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["report", "new"])
    assert caught.value.code == 2


def test_backup_and_restore_commands(district: Cli, tmp_path: Path) -> None:
    report_id = _new_report(district)
    target = tmp_path / "saoluu.db"
    assert district.json("backup", "--to", str(target))["path"] == str(target)
    district.run(
        "report",
        "set",
        report_id,
        "--from-json",
        str(_write(tmp_path, {"values": {"tong_may_tinh": 5}})),
    )
    restored = district.json("restore", str(target))
    assert Path(restored["previous_saved_as"]).exists()
    assert "tong_may_tinh" not in district.json("report", "show", report_id)["values"]


def _write(tmp_path: Path, payload: dict[str, Any]) -> Path:
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_english_messages(district: Cli) -> None:
    code, _, err = district.run("report", "show", "khong-co", "--lang", "en")
    assert code == 2 and "not found" in err


def test_pdf_docx_and_blank_form_commands(cli: Cli, tmp_path: Path) -> None:
    cli.run("demo")
    report_id = cli.json("report", "list", "--period", "2026Q3")[0]["id"]
    pdf = tmp_path / "bao-cao.pdf"
    assert cli.json("pdf", report_id, "--out", str(pdf)) == {"path": str(pdf)}
    assert pdf.read_bytes().startswith(b"%PDF")
    word = tmp_path / "bao-cao.docx"
    assert cli.json("docx", report_id, "--out", str(word))["path"] == str(word)
    assert word.read_bytes().startswith(b"PK")
    blank = tmp_path / "mau-trang.pdf"
    assert cli.json("pdf", "--blank", "cntt-quy", "--out", str(blank))["path"] == str(blank)
    assert not list(tmp_path.glob("*.partial"))


def test_pdf_needs_exactly_one_source(cli: Cli, tmp_path: Path) -> None:
    cli.run("demo")
    code, _, err = cli.run("pdf", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "REPORT_ID" in err
    assert not (tmp_path / "x.pdf").exists()


def test_pdf_to_a_folder_that_does_not_exist_exits_2(cli: Cli, tmp_path: Path) -> None:
    cli.run("demo")
    report_id = cli.json("report", "list")[0]["id"]
    code, _, err = cli.run("pdf", report_id, "--out", str(tmp_path / "khong-co" / "x.pdf"))
    assert code == 2 and "khong-co" in err


def test_what_show_prints_set_takes_back(district: Cli, tmp_path: Path) -> None:
    """show → edit one value → set → show: only that value (and what follows from it) moved;
    decimals travel exactly, never through a binary float."""
    report_id = _new_report(district)
    typed_in = {"tong_may_tinh": "1.200", "may_tinh_ket_noi": "900"}
    typed_in["kinh_phi_cntt"] = "123.456.789.012,123456"
    assert _set(district, tmp_path, report_id, {"values": typed_in})[0] == 0
    code, printed, err = district.run("report", "show", report_id, "--json")
    assert code == 0, err
    before = json.loads(printed, parse_float=Decimal)
    assert before["values"]["kinh_phi_cntt"] == Decimal("123456789012.123456")

    document = tmp_path / "bao-cao.json"
    document.write_text(printed, encoding="utf-8")  # exactly what show printed
    assert district.run("report", "set", report_id, "--from-json", str(document))[0] == 0
    edited = json.loads(printed, parse_float=Decimal)
    edited["values"]["may_tinh_ket_noi"] = 600
    document.write_text(json_text(edited), encoding="utf-8")
    assert district.run("report", "set", report_id, "--from-json", str(document))[0] == 0

    after = json.loads(district.run("report", "show", report_id, "--json")[1], parse_float=Decimal)
    assert after["computed"]["ty_le_may_tinh_ket_noi"] == 50
    assert after == {**edited, "computed": after["computed"], "updated_at": after["updated_at"]}


def test_set_refuses_a_document_of_another_report(district: Cli, tmp_path: Path) -> None:
    first = _new_report(district)
    second = district.json("report", "new", "cntt-quy", "--period", "2026Q4")["id"]
    shown = district.json("report", "show", first)
    before = district.json("report", "show", second)
    code, _, err = _set(district, tmp_path, second, {**shown, "values": {"tong_may_tinh": 5}})
    assert code == 2 and f"«id» ghi {first}" in err
    assert district.json("report", "show", second) == before


def test_report_due_prints_what_the_home_page_lists(cli: Cli) -> None:
    """With the deadline of 2026Q4 moved to 11/01/2027, the CLI says what core says (and the
    home page shows core's list: tests/ui/test_home_due_dates.py)."""
    assert cli.run("demo")[0] == 0
    code, _, err = cli.run("schedule", "cntt-quy", "--period", "2026Q4", "--deadline", "11/01/2027")
    assert code == 0, err
    printed = cli.json("report", "due", "--on", "03/01/2027")
    with Workspace.open(cli.workspace, automatic_backup=False) as workspace:
        listed = workspace.reports.due(date(2027, 1, 3))
    assert [(row["template_id"], row["period"]) for row in printed] == [
        (item.template_id, item.period.code) for item in listed
    ]
    quarter = next(r for r in printed if (r["template_id"], r["period"]) == ("cntt-quy", "2026Q4"))
    assert (quarter["cutoff"], quarter["deadline"], quarter["days_left"]) == (
        "2026-12-14",
        "2027-01-11",
        8,
    )
    assert [row["deadline"] for row in printed] == [
        item.deadline.isoformat() if item.deadline else None for item in listed
    ]


def test_term_start_is_set_and_shown(district: Cli) -> None:
    assert district.json("term") == {"party_term_start": None}

    assert district.json("term", "--start", "2025-10-15") == {"party_term_start": "2025-10-15"}

    code, out, _ = district.run("term")
    assert code == 0 and "2025-10-15" in out
    code, _, err = district.run("term", "--start", "2999-01-01")
    assert code != 0 and "2999-01-01" in err


def test_recipients_are_shown_and_changed_per_report(district: Cli) -> None:
    report_id: str = district.json("report", "new", "cntt-quy", "--period", "2026Q3")["id"]
    assert district.json("recipients", report_id)["archive"].startswith("Lưu Văn phòng")

    changed = district.json(
        "recipients",
        report_id,
        "--to",
        "Ban Thường vụ Tỉnh ủy (b/c)",
        "--copy",
        "Văn phòng Tỉnh ủy",
    )

    assert changed["addressees"] == ["Ban Thường vụ Tỉnh ủy (b/c)"]
    assert district.json("recipients", report_id) == changed
    assert district.json("recipients", "--defaults")["copies"] == []
    code, _, err = district.run("recipients")
    assert code != 0 and "--defaults" in err

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.documents import formatting
from desktop_app.core.documents.model import DocumentHeader
from desktop_app.core.documents.profiles import (
    ProfileError,
    available_profiles,
    fill,
    load_profile,
    load_profile_file,
    profile_for,
    profile_from_dict,
)
from desktop_app.core.documents.signer import SigningBody, signature, signing_body
from desktop_app.core.model.text import format_document_date
from desktop_app.core.paths import resource


def _raw(profile_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resource("profiles", f"{profile_id}.json").read_text(encoding="utf-8")
    )
    return data


def _header(number: int | None = 12, issued_on: date | None = date(2026, 2, 5),
            office_abbr: str = "HU") -> DocumentHeader:
    return DocumentHeader(
        issuing_body="HUYỆN ỦY ĐÔNG SƠN", type_abbr="BC", office_abbr=office_abbr,
        place="Đông Sơn", type_name="BÁO CÁO", number=number, issued_on=issued_on,
        issuing_body_name="Huyện ủy Đông Sơn",
    )


def test_both_bundled_profiles_load() -> None:
    assert {"party-hd36", "state-nd30"} <= set(available_profiles())
    party, state = load_profile("party-hd36"), load_profile("state-nd30")
    assert party.kind == "party" and party.issuer_mark == "asterisk"
    assert party.national_lines == ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    assert state.kind == "state" and state.issuer_mark == "rule"
    assert state.national_lines == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                    "Độc lập - Tự do - Hạnh phúc")
    assert party.page_size == pytest.approx((595.28, 841.89), abs=0.01)


def test_number_formats_differ_between_party_and_state() -> None:
    party, state = load_profile("party-hd36"), load_profile("state-nd30")
    assert formatting.number_line(party, _header()) == "Số 12-BC/HU"
    assert formatting.number_line(state, _header(office_abbr="UBND")) == "Số: 12/BC-UBND"
    assert formatting.number_line(party, _header(number=5)) == "Số 05-BC/HU"
    assert formatting.number_reference(party, _header()) == "12-BC/HU"


def test_draft_leaves_number_and_date_blank() -> None:
    party = load_profile("party-hd36")
    line = formatting.number_line(party, _header(number=None))
    assert line.startswith("Số ") and line.endswith("-BC/HU")
    assert not any(character.isdigit() for character in line)
    date_line = formatting.place_date_line(party, _header(issued_on=None))
    assert date_line.startswith("Đông Sơn, ngày ")
    assert not any(character.isdigit() for character in date_line)


def test_document_date_pads_days_below_ten_and_months_one_and_two() -> None:
    assert formatting.document_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert formatting.document_date(date(2026, 5, 27)) == "ngày 27 tháng 5 năm 2026"
    assert formatting.document_date(date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
    party = load_profile("party-hd36")
    assert (formatting.place_date_line(party, _header())
            == "Đông Sơn, ngày 05 tháng 02 năm 2026")


def test_place_date_line_agrees_with_the_shared_date_helper() -> None:
    party = load_profile("party-hd36")
    for day in (date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 9), date(2025, 12, 31)):
        header = _header(issued_on=day)
        expected = f"Đông Sơn, {format_document_date(day)}"
        assert formatting.place_date_line(party, header) == expected


def test_appendix_caption_quotes_type_number_date_and_issuer() -> None:
    party = load_profile("party-hd36")
    assert formatting.appendix_caption(party, _header()) == (
        "(Kèm theo Báo cáo số 12-BC/HU ngày 05/02/2026 của Huyện ủy Đông Sơn)"
    )
    assert formatting.appendix_label(party, 1) == "Phụ lục 01"


def test_recipient_lines_get_dashes_commas_and_a_final_full_stop() -> None:
    party = load_profile("party-hd36")
    lines = formatting.recipient_lines(
        party, ["- Văn phòng Tỉnh ủy,"], "Lưu Văn phòng Huyện ủy", ["Ban Thường vụ Tỉnh ủy (b/c)"]
    )
    assert lines == ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Văn phòng Tỉnh ủy,",
                     "- Lưu Văn phòng Huyện ủy."]
    assert formatting.recipient_lines(party, ["A", "B"], "") == ["- A,", "- B."]
    assert formatting.addressee_lines(party, ["Ban Thường vụ Tỉnh ủy"]) == []


def test_state_recipients_say_as_above_and_end_with_semicolons() -> None:
    state = load_profile("state-nd30")
    lines = formatting.recipient_lines(
        state, ["Sở Khoa học và Công nghệ"], "Lưu: VT", ["Ủy ban nhân dân tỉnh Thanh Hóa"]
    )
    assert lines == ["- Như trên;", "- Sở Khoa học và Công nghệ;", "- Lưu: VT."]
    assert formatting.addressee_lines(state, ["Ủy ban nhân dân tỉnh Thanh Hóa"]) == [
        "Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa."
    ]


def test_profile_id_cannot_reach_outside_the_profiles_folder() -> None:
    for hostile in ("../fonts/OFL", "/etc/passwd", "party-hd36.json", ""):
        with pytest.raises(ProfileError) as error:
            load_profile(hostile)
        assert error.value.code == "document.profile.id_invalid"
    with pytest.raises(ProfileError) as error:
        load_profile("party-hd99")
    assert error.value.code == "document.profile.not_found"


def test_missing_key_is_reported_as_invalid_profile() -> None:
    data = _raw("party-hd36")
    del data["styles"]["body"]
    with pytest.raises(ProfileError) as error:
        profile_from_dict(data)
    assert error.value.code == "document.profile.invalid"


@pytest.mark.parametrize("pattern", [
    "Số {number.__class__}", "Số {0}", "Số {number:>{width}}", "Số {secret}", "Số {number",
])
def test_patterns_only_accept_their_own_plain_placeholders(pattern: str) -> None:
    data = _raw("party-hd36")
    data["patterns"]["number"] = pattern
    with pytest.raises(ProfileError) as error:
        profile_from_dict(data)
    assert error.value.code == "document.profile.pattern_invalid"


@pytest.mark.parametrize("font", ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                                  "../fonts/x.ttf", "Times New Roman"])
def test_profile_cannot_point_at_system_fonts(font: str) -> None:
    data = _raw("state-nd30")
    data["fonts"]["regular"] = font
    with pytest.raises(ProfileError) as error:
        profile_from_dict(data)
    assert error.value.code == "document.profile.font_invalid"


@pytest.mark.parametrize(("path", "value"), [
    (("page", "margins_mm", "left"), -5),
    (("page", "margins_mm", "left"), "30"),
    (("styles", "body", "size"), True),
    (("styles", "body", "align"), "middle"),
    (("kind",), "church"),
    (("header", "national_lines"), []),
])
def test_out_of_range_or_wrong_type_values_are_refused(path: tuple[str, ...],
                                                       value: object) -> None:
    data = copy.deepcopy(_raw("party-hd36"))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ProfileError):
        profile_from_dict(data)


def test_an_edited_copy_of_a_profile_loads_from_a_file(tmp_path: Path) -> None:
    data = _raw("party-hd36")
    data["id"] = "party-hd36-binhthuan"
    data["page"]["margins_mm"].update(top=25, bottom=25, left=35)
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    profile = load_profile_file(path)
    assert (profile.margins.top_mm, profile.margins.left_mm) == (25, 35)


def test_unreadable_profile_file_gives_a_code(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b"{not json")
    with pytest.raises(ProfileError) as error:
        load_profile_file(path)
    assert error.value.code == "document.profile.unreadable"


def test_fill_refuses_unknown_placeholders() -> None:
    assert fill("Phụ lục {number}", number="01") == "Phụ lục 01"
    with pytest.raises(ProfileError):
        fill("{other}", number="01")


def test_the_party_profile_is_chosen_by_the_documents_date() -> None:
    assert profile_for("party", date(2026, 5, 26)).id == "party-hd36"
    assert profile_for("party", date(2026, 5, 27)).id == "party-hd05"
    assert profile_for("state", date(2026, 12, 1)).id == "state-nd30"
    hd05 = load_profile("party-hd05")
    assert hd05.style("body").first_indent_mm == 10
    assert "styles.body.first_indent_mm" in hd05.secondary_values


def test_a_secondary_value_that_is_not_in_the_file_is_refused() -> None:
    data = _raw("party-hd05")
    data["secondary_values"].append("styles.no_such_style.size")
    with pytest.raises(ProfileError) as error:
        profile_from_dict(data)
    assert error.value.code == "document.profile.invalid"


@pytest.mark.parametrize(
    ("profile_id", "title", "authority", "printed"),
    [
        ("party-hd36", "Phó Bí thư", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"),
        ("party-hd36", "Chánh Văn phòng", "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"),
        ("state-nd30", "Chủ tịch", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        ("state-nd30", "Phó Chủ tịch", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("state-nd30", "Quyền Chủ tịch", "TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"),
        ("state-nd30", "TUQ. Chánh Văn phòng", "TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
    ],
)
def test_the_signers_authority_follows_the_profiles_rules(
    profile_id: str, title: str, authority: str, printed: str
) -> None:
    profile = load_profile(profile_id)
    head = "BÍ THƯ" if profile.kind == "party" else "CHỦ TỊCH"
    body = signing_body("T/M BAN THƯỜNG VỤ" if profile.kind == "party" else "TM. ỦY BAN NHÂN DÂN",
                        head, profile)

    block = signature(profile, body, title, "Nguyễn Văn An")

    assert (block.authority, block.title, block.name) == (authority, printed, "Nguyễn Văn An")


def test_a_body_led_by_one_head_has_no_collective_line() -> None:
    profile = load_profile("state-nd30")
    block = signature(profile, SigningBody("", "GIÁM ĐỐC"), "Phó Giám đốc", "Lê Văn Nam")
    assert (block.authority, block.title) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")

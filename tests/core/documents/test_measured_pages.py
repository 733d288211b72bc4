"""Approved reports measured as a reviewer at the Văn phòng Tỉnh ủy would: positions, sizes and
styles of the first page and of the signature page, in both formats, read back from the PDF.

The Party report is a Đảng ủy phường's, signed by its Phó Bí thư and dated in December 2026
(HD 05-HD/VPTW as reported: 10 mm first-line indent); the state report is a UBND phường's,
signed by its Phó Chủ tịch (NĐ 30/2020). Millimetres from the page's top-left corner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from desktop_app.core.documents.profiles import Profile, load_profile
from tests.core.documents.approved import approved_pdf
from tests.core.documents.pdftext import PageLayout, TextRun, page_layouts, page_texts

TEXT_LEFT, TEXT_RIGHT = 30.0, 195.0  # A4 with 30 mm left and 15 mm right margins
TOLERANCE = 0.6
HEADING = re.compile(r"^([IVX]+\.|\d+\.|[a-zđ]\)) ")


class Report:
    def __init__(self, kind: str, pdf: bytes) -> None:
        self.kind = kind
        self.pdf = pdf
        self.pages = page_layouts(pdf)
        self.texts = page_texts(pdf)
        self.profile: Profile = load_profile("party-hd05" if kind == "party" else "state-nd30")

    @property
    def first(self) -> PageLayout:
        return self.pages[0]

    @property
    def closing(self) -> PageLayout:
        return next(page for page in self.pages if _has(page, "Nơi nhận:"))

    @property
    def text_pages(self) -> list[PageLayout]:
        """The report's own pages, up to the signature (the appendices follow)."""
        return self.pages[: self.pages.index(self.closing) + 1]


def _has(page: PageLayout, text: str) -> bool:
    return any(text in run.text for run in page.runs)


def _body_runs(page: PageLayout) -> list[TextRun]:
    """The text block's lines, without the page number in the top margin."""
    return sorted((run for run in page.runs if run.top > 18), key=lambda run: run.top)


@pytest.fixture(scope="module", params=["party", "state"])
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Report:
    kind = request.param
    return Report(kind, approved_pdf(tmp_path_factory.mktemp(kind), kind))


@pytest.fixture(scope="module")
def party(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    yield Report("party", approved_pdf(tmp_path_factory.mktemp("party-only"), "party"))


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    yield Report("state", approved_pdf(tmp_path_factory.mktemp("state-only"), "state"))


# --- every page ----------------------------------------------------------------------------


def test_pages_are_a4_and_text_stays_inside_the_margins(report: Report) -> None:
    for page in report.pages:
        portrait = page.width < page.height
        assert sorted((round(page.width), round(page.height))) == [210, 297]
        if portrait:
            assert min(run.left for run in page.runs) >= TEXT_LEFT - TOLERANCE
            assert max(run.right for run in page.runs) <= TEXT_RIGHT + TOLERANCE


def test_a_heading_always_has_two_lines_of_its_text_below_it(report: Report) -> None:
    for number, page in enumerate(report.text_pages, start=1):
        runs = _body_runs(page)
        for index, run in enumerate(runs):
            if run.bold and run.size == 14 and HEADING.match(run.text):
                after = [r for r in runs[index + 1 :] if not (r.bold and HEADING.match(r.text))]
                assert len(after) >= 2, f"page {number}: {run.text!r} ends the page"


def test_the_signature_page_starts_with_the_end_of_the_text(report: Report) -> None:
    runs = _body_runs(report.closing)
    label = next(run for run in runs if run.text == "Nơi nhận:")
    above = [run for run in runs if run.bottom <= label.top and run.size == 14 and not run.bold]
    assert above, "the recipients and the signature stand alone on the last page"
    assert above[-1].text.endswith("./.")  # the closing sentence, kept with the signature


# --- first page ----------------------------------------------------------------------------


def test_party_first_page_header(party: Report) -> None:
    page = party.first
    title = page.find("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title.size == 15 and title.bold
    superior = page.find("ĐẢNG BỘ TỈNH THANH HÓA")
    assert superior.size == 14 and not superior.bold
    assert abs(superior.top - title.top) < TOLERANCE
    # The office name wraps before the place name, never inside it, and is bold.
    office, place = page.find("ĐẢNG ỦY PHƯỜNG"), page.find("HẠC THÀNH")
    assert office.bold and place.bold and place.top > office.bottom - TOLERANCE
    assert page.find("*").top > place.bottom - TOLERANCE
    number, place_date = page.find("Số 01-BC/ĐU"), page.find("Hạc Thành, ngày")
    assert abs(number.top - place_date.top) < TOLERANCE
    assert place_date.italic and not number.italic
    type_name = page.find("BÁO CÁO")
    assert type_name.size == 16 and type_name.bold
    assert abs(type_name.centre - (TEXT_LEFT + TEXT_RIGHT) / 2) < 1


def test_state_first_page_header(state: Report) -> None:
    page = state.first
    title = page.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = page.find("Độc lập - Tự do - Hạnh phúc")
    assert (title.size, title.bold, motto.size, motto.bold) == (13, True, 14, True)
    # Single-spaced: the motto's line follows the title's directly.
    assert 0 <= motto.top - title.bottom < 2.5
    motto_rule = next(r for r in page.rules if r[2] > motto.bottom - 1 and r[0] > motto.left - 5)
    assert abs((motto_rule[1] - motto_rule[0]) - (motto.right - motto.left)) < 1.5
    body, place = page.find("ỦY BAN NHÂN DÂN"), page.find("PHƯỜNG HẠC THÀNH")
    assert body.bold and place.bold
    left_column_end = TEXT_LEFT + (TEXT_RIGHT - TEXT_LEFT) * state.profile.header_left_ratio
    assert place.right <= left_column_end - state.profile.header_gutter_mm + TOLERANCE
    assert motto.left - place.right > 10  # the name stays well clear of the motto
    # The issuer's rule: 1/3 to 1/2 of the name's line, under it.
    rule = next(r for r in page.rules if place.bottom < r[2] < place.bottom + 4 and r[1] < 100)
    assert 1 / 3 <= (rule[1] - rule[0]) / (place.right - place.left) <= 1 / 2
    number, place_date = page.find("Số: 01/BC-UBND"), page.find("Hạc Thành, ngày")
    assert abs(number.top - place_date.top) < TOLERANCE
    summary = page.find("Tình hình ứng dụng công nghệ thông tin")
    summary_rule = next(r for r in page.rules if summary.bottom < r[2] < summary.bottom + 6)
    assert 1 / 3 <= (summary_rule[1] - summary_rule[0]) / (summary.right - summary.left) <= 1 / 2
    addressee = page.find("Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa.")
    assert addressee.top > summary_rule[2]


def test_body_text_size_indent_and_no_page_number_on_page_one(report: Report) -> None:
    page = report.first
    intro = page.find("Thực hiện Nghị định số 64/2007/NĐ-CP")
    indent = report.profile.style("body").first_indent_mm
    assert intro.size == 14 and not intro.bold
    assert abs(intro.left - (TEXT_LEFT + indent)) < TOLERANCE
    assert all(run.top > 18 for run in page.runs)  # nothing in the top margin
    second = report.pages[1]
    number = min(second.runs, key=lambda run: run.top)
    assert number.text == "2" and 9 < number.top < 12
    assert abs(number.centre - (TEXT_LEFT + TEXT_RIGHT) / 2) < 1


# --- the signature page --------------------------------------------------------------------


def test_party_signer_and_recipients(party: Report) -> None:
    page = party.closing
    authority, title, name = (
        page.find("T/M BAN THƯỜNG VỤ"),
        page.find("PHÓ BÍ THƯ"),
        page.find("Trần Thị Hoa"),
    )
    assert authority.bold and title.bold and name.bold
    assert authority.top < title.top < name.top
    assert abs(authority.centre - title.centre) < 1 and abs(title.centre - name.centre) < 1
    # Room for the handwritten signature and the red seal; no "Đã ký số" without a signature.
    assert name.top - title.bottom >= party.profile.signature_gap_mm - 1
    assert not _has(page, "Đã ký số")
    assert not any(run.text == "BÍ THƯ" for run in page.runs)
    items = [run for run in _body_runs(page) if run.size == 12 and run.left < 100]
    texts = [run.text for run in items]
    assert texts[0] == "- Ban Thường vụ Tỉnh ủy Thanh Hóa (b/c),"
    assert texts[1].startswith("- Lưu Văn phòng Đảng ủy phường") and texts[-1].endswith(".")
    assert not any("Ủy ban nhân dân tỉnh" in text for text in texts)


def test_state_signer_and_recipients(state: Report) -> None:
    page = state.closing
    lines = [page.find(text) for text in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")]
    name = page.find("Lê Văn Nam")
    assert [run.top for run in lines] == sorted(run.top for run in lines)
    assert all(run.bold for run in (*lines, name))
    assert name.top - lines[-1].bottom >= state.profile.signature_gap_mm - 1
    assert not _has(page, "Đã ký số")
    label = page.find("Nơi nhận:")
    assert label.bold and label.italic and label.size == 12
    items = [run.text for run in _body_runs(page) if run.size == 11]
    assert items == ["- Như trên;", "- Lưu: VT."]


# --- numbering -----------------------------------------------------------------------------


def test_party_appendices_are_numbered_01_and_pages_run_on(party: Report) -> None:
    labels = [text for text in party.texts if "\nPhụ lục " in text]
    assert [re.search(r"Phụ lục (\S+)", text)[1] for text in labels] == ["01", "02", "03", "04"]
    for number, page in enumerate(party.pages[1:], start=2):
        assert min(page.runs, key=lambda run: run.top).text == str(number)


def test_state_appendices_are_roman_with_their_own_page_numbers(state: Report) -> None:
    # An appendix's heading line (the form's own name, "Biểu 01", may stand above it).
    headings = [re.search(r"^Phụ lục [IVXLC]+$", text, re.MULTILINE) for text in state.texts]
    starts = [i for i, found in enumerate(headings) if found]
    labels = [found[0] for found in headings if found]
    assert labels == ["Phụ lục I", "Phụ lục II", "Phụ lục III", "Phụ lục IV"]
    for index in starts:  # the first page of an appendix is its page 1: unnumbered
        assert all(run.top > 18 for run in state.pages[index].runs)
    assert "(Chi tiết tại Phụ lục I)" in "\n".join(state.texts)


def test_words_in_table_cells_are_never_broken(report: Report) -> None:
    appendix_pages = report.pages[report.pages.index(report.closing) + 1 :]
    cells = [run.text for page in appendix_pages for run in page.runs]
    assert "chiếc/người" in cells and "STT" in cells
    assert not any(text in ("ngư", "ời", "ST", "T") for text in cells)


def test_the_pdf_is_dated_the_day_it_was_signed(report: Report) -> None:
    stamp = re.search(rb"/CreationDate \(D:(\d{8})", report.pdf)
    assert stamp is not None and stamp[1] != b"20000101"
    place_date = report.first.find("Hạc Thành, ngày").text
    day, month, year = re.search(r"ngày (\d+) tháng (\d+) năm (\d+)", place_date).groups()
    assert stamp[1].decode() == f"{year}{int(month):02d}{int(day):02d}"

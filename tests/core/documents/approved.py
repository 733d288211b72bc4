"""Approved reports as offices print them: a Đảng ủy phường under the Tỉnh ủy (signed by its Phó
Bí thư) and a UBND phường under the UBND tỉnh (signed by its Phó Chủ tịch).

Used by ``test_measured_pages.py`` and, run as a script, to write the previews in
``docs/images``: ``python -m tests.core.documents.approved docs/images``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from tests.core.upper.helpers import (
    PASSPHRASE,
    PERIOD,
    TEMPLATE_ID,
    figures_for,
    narratives_for,
    open_office,
)

PROVINCE_PARTY = Office(
    code="TU-38",
    name="Tỉnh ủy Thanh Hóa",
    level="province",
    block="party",
    abbreviation="TU",
    place="Thanh Hóa",
    superior_name="Đảng bộ tỉnh Thanh Hóa",
)
WARD_PARTY = Office(
    code="DU-HT",
    name="Đảng ủy phường Hạc Thành",
    level="commune",
    block="party",
    abbreviation="ĐU",
    place="Hạc Thành",
    parent_code=PROVINCE_PARTY.code,
    superior_name="Đảng bộ tỉnh Thanh Hóa",
)
PROVINCE_STATE = Office(
    code="UB-38",
    name="Ủy ban nhân dân tỉnh Thanh Hóa",
    level="province",
    block="state",
    abbreviation="UBND",
    place="Thanh Hóa",
)
WARD_STATE = Office(
    code="UB-HT",
    name="Ủy ban nhân dân phường Hạc Thành",
    level="commune",
    block="state",
    abbreviation="UBND",
    place="Hạc Thành",
    parent_code=PROVINCE_STATE.code,
)
SIGNERS = {"party": ("Trần Thị Hoa", "Phó Bí thư"), "state": ("Lê Văn Nam", "Phó Chủ tịch")}


def approved_pdf(root: Path, kind: str) -> bytes:
    """The approved report's PDF, printed by the office that approved it."""
    office, above = (
        (WARD_PARTY, PROVINCE_PARTY) if kind == "party" else (WARD_STATE, PROVINCE_STATE)
    )
    workspace = open_office(root, office, above)
    try:
        report_id = workspace.reports.new(TEMPLATE_ID, PERIOD)
        changes = ContentChanges(values=figures_for(3), narratives=narratives_for(office.name))
        workspace.reports.save(report_id, changes)
        name, title = SIGNERS[kind]
        workspace.reports.approve(report_id, name, title, PASSPHRASE)
        return workspace.documents.report_pdf(report_id)
    finally:
        workspace.close()


def write_previews(folder: Path) -> list[Path]:
    """First and last page of each report's text as PNG (pdftoppm, 70 dpi)."""
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        for kind in ("party", "state"):
            pdf = Path(scratch) / f"{kind}.pdf"
            pdf.write_bytes(approved_pdf(Path(scratch) / kind, kind))
            closing = _closing_page(pdf.read_bytes())
            for page, label in ((1, "page1"), (closing, "closing")):
                target = folder / f"pdf-approved-{kind}-{label}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        "70",
                        "-png",
                        "-singlefile",
                        "-f",
                        str(page),
                        "-l",
                        str(page),
                        str(pdf),
                        str(target),
                    ],
                    check=True,
                )
                written.append(target.with_suffix(".png"))
    return written


def _closing_page(pdf: bytes) -> int:
    from tests.core.documents.pdftext import page_texts

    return next(n for n, text in enumerate(page_texts(pdf), start=1) if "Nơi nhận:" in text)


if __name__ == "__main__":
    for path in write_previews(Path(sys.argv[1])):
        print(path)

"""The printed pages of the 2026 templates in docs/images (tpl-*.png), filled with the figures
the template tests type in: python3 docs/template_pages.py OUT_DIR (run by docs/screenshots.sh).

Each template gets a commune workspace of its own; its second period's report is printed, and
the page carrying the first grid (and the page carrying the task list, where there is one) is
turned into a PNG with poppler's pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from desktop_app.core.workspace import Workspace
from tests.core.documents.pdftext import page_texts
from tests.core.upper.test_templates_2026 import (
    COMMUNES,
    PROVINCE,
    TEMPLATES,
    file_report,
    open_office,
)

# template id → (picture of its first grid, picture of its task list or None)
PICTURES = {
    "kh02-tien-do": ("tpl-kh02", "tpl-kh02-nhiem-vu"),
    "qd204-cds-co-quan-dang": ("tpl-qd204", None),
    "bao-cao-thang": ("tpl-bao-cao-thang", None),
    "so-ket-6-thang": ("tpl-so-ket-6-thang", None),
    "tong-ket-nam": ("tpl-tong-ket-nam", None),
    "nhiem-vu-cap-tren-giao": ("tpl-nhiem-vu-cap-tren-giao", "tpl-nhiem-vu-danh-muc"),
}


def printed_report(root: Path, template_id: str) -> bytes:
    template = TEMPLATES[template_id]
    commune: Workspace = open_office(root / template_id, COMMUNES[0], PROVINCE, template)
    with commune:
        file_report(commune, template, 1, 1)
        report, _ = file_report(commune, template, 1, 2)
        return commune.documents.report_pdf(report)


def page_with(texts: list[str], title: str) -> int:
    """The 1-based number of the first page whose words carry ``title`` (set in capitals)."""
    wanted = title.casefold()
    for number, text in enumerate(texts, 1):
        if wanted in " ".join(text.split()).casefold():
            return number
    raise LookupError(title)


def picture(pdf: Path, page: int, target: Path) -> None:
    stem = pdf.with_name(f"{pdf.stem}-{page}")
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-singlefile", *pages, str(pdf), str(stem)], check=True
    )
    target.write_bytes(stem.with_suffix(".png").read_bytes())


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for template_id, (grid_picture, list_picture) in PICTURES.items():
            template = TEMPLATES[template_id]
            pdf = root / f"{template_id}.pdf"
            pdf.write_bytes(printed_report(root, template_id))
            texts = page_texts(pdf.read_bytes())
            grid_title = template.grids[0].title.split(". ", 1)[-1]
            picture(pdf, page_with(texts, grid_title), out / f"{grid_picture}.png")
            if list_picture is not None:
                list_title = template.lists[0].title.split(". ", 1)[-1]
                picture(pdf, page_with(texts, list_title), out / f"{list_picture}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

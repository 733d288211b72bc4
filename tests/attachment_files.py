"""Real scans for attachment tests: a PDF drawn by reportlab, a PNG and a JPEG by Pillow, and
the NQ 57 template with its "minh chứng" column typed as an attachment."""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any

from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from desktop_app.core.reports.templates import (
    Template,
    bundled_template_files,
    load_template_bytes,
)


@cache
def scan_pdf(text: str = "Biên bản nghiệm thu") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.drawString(72, 720, text)
    canvas.save()
    return buffer.getvalue()


@cache
def photo_jpeg(shade: int = 120) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, 80, 40)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@cache
def picture_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 90)).save(buffer, "PNG")
    return buffer.getvalue()


@cache
def nq57_with_evidence(template_id: str = "nq57-quy-xa") -> Template:
    """``nq57-quy-xa`` as shipped, its task list's ``tep_minh_chung`` naming an attachment
    (under another ``template_id`` where the bundled one is installed too)."""
    path = next(p for p in bundled_template_files() if p.stem == "nq57-quy-xa")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["id"] = template_id
    data = json.dumps(document, ensure_ascii=False).encode()
    return load_template_bytes(data, "nq57-quy-xa.json")


def complete_quarter(n: int, tasks: list[dict[str, str]]) -> Any:
    """A whole NQ 57 quarter for commune ``n`` (every required figure), with these tasks."""
    from desktop_app.core.reports.records import ContentChanges
    from tests.core.upper.test_nq57_end_to_end import NARRATIVES, kpi_figures, status_counts

    return ContentChanges(
        values={"da_kien_toan_bcd": True, "so_van_ban_chi_dao": n, "danh_gia_tien_do": "vang"},
        narratives=NARRATIVES,
        grids={
            "bieu_kpi": {row: {"thuc_hien": v} for row, v in kpi_figures(n, 2).items()},
            "bieu_tinh_trang": status_counts(n),
        },
        lists={"nhiem_vu": tasks},
    )

"""Printing cost against narrative length: a report whose narratives hold 1,000,000
characters in all (five sections at the 200,000-character limit) must print in under 10 s,
and the cost must grow linearly (issue 13, item 11).

Run: ``.venv/bin/python bench/bench_long_narrative.py [--paragraphs]``. By default each
section is one paragraph with no line break (the worst case: a text pasted from elsewhere);
``--paragraphs`` breaks it every 600 characters as clerks write. Prints seconds per size and
the ratio of the largest to the smallest per character, next to the target.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.demo import IT_FIGURES, IT_NARRATIVES
from desktop_app.core.model.limits import MAX_NARRATIVE
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT

TARGET_SECONDS = 10.0
SECTIONS = ("chi_dao_dieu_hanh", "kq_ha_tang", "kq_nhan_luc", "kq_ung_dung", "danh_gia_chung")
SENTENCE = "Đảng ủy phường tiếp tục chỉ đạo ứng dụng công nghệ thông tin và chuyển đổi số. "


def narrative(length: int, paragraphs: bool) -> str:
    text = (SENTENCE * (length // len(SENTENCE) + 1))[:length]
    if not paragraphs:
        return text
    return "\n".join(text[i : i + 600] for i in range(0, len(text), 600))[:length]


def seconds_to_print(ws: Workspace, period: str, per_section: int, paragraphs: bool) -> float:
    report_id = ws.reports.new("cntt-quy", period)
    texts = dict(IT_NARRATIVES)
    texts.update({section: narrative(per_section, paragraphs) for section in SECTIONS})
    ws.reports.save(report_id, ContentChanges(values=dict(IT_FIGURES), narratives=texts))
    start = time.perf_counter()
    pdf = ws.documents.report_pdf(report_id)
    elapsed = time.perf_counter() - start
    assert pdf.startswith(b"%PDF")
    return elapsed


def main() -> int:
    paragraphs = "--paragraphs" in sys.argv
    sizes = [MAX_NARRATIVE // 8, MAX_NARRATIVE // 4, MAX_NARRATIVE // 2, MAX_NARRATIVE]
    timings = []
    with (
        tempfile.TemporaryDirectory() as folder,
        Workspace.open(Path(folder) / "ws", automatic_backup=False) as ws,
    ):
        ws.initialise(DISTRICT)
        for index, size in enumerate(sizes):
            seconds = seconds_to_print(ws, f"202{index}Q1", size, paragraphs)
            total = size * len(SECTIONS)
            timings.append((total, seconds))
            each = seconds / total * 1e6
            print(f"{total:>9,} characters: {seconds:6.2f} s ({each:.2f} µs/char)")
    (small, small_s), (large, large_s) = timings[0], timings[-1]
    growth = (large_s / large) / (small_s / small)
    print(f"target: {large:,} characters in < {TARGET_SECONDS:.0f} s -> {large_s:.2f} s")
    print(f"cost per character, largest / smallest: {growth:.2f} (linear ~ 1)")
    return 0 if large_s < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

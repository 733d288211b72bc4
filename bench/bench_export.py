"""Export of one long report (about 50 printed pages): render, sign and write to the stick.

The report is the quarterly IT report of the demo, its narratives repeated as numbered
paragraphs until the printed form runs to about 50 pages (measured on a draft first). Timed
in the same run, best of ``--runs``:

* render — ``Workspace.report_pdf`` alone (the printed form the bundle carries);
* prepare — ``Workspace.prepare_export``: render, sign, build the bundle into the outbox;
* write  — ``Workspace.write_export``: ``.partial``, fsync, rename, read back and compare.

There is no target; the figures show what a clerk waits for and how large the file is.

Usage: .venv/bin/python bench/bench_export.py [--pages 50] [--runs 3] [--folder DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium

from desktop_app.core.demo import IT_FIGURES, IT_NARRATIVES
from desktop_app.core.exchange.formats.keys import KdfCost
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace

CHEAP = KdfCost(memory_kib=1024, iterations=1, lanes=1)  # the passphrase is not what is timed
PASSPHRASE = "mật khẩu của Bí thư"
PROVINCE = Office(
    code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party", abbreviation="TU"
)
WARD = Office(
    code="DU-14797",
    name="Đảng ủy phường Hạc Thành",
    level="commune",
    block="party",
    abbreviation="ĐU",
    parent_code="TU-38",
    superior_name="ĐẢNG BỘ TỈNH THANH HÓA",
    place="Hạc Thành",
)


def long_narratives(paragraphs: int) -> dict[str, str]:
    """Each demo narrative repeated as ``paragraphs`` numbered paragraphs."""
    return {
        section: "\n".join(f"{n + 1}. {text}" for n in range(paragraphs))
        for section, text in IT_NARRATIVES.items()
    }


def paragraphs_for(ward: Workspace, pages: int) -> int:
    """How many paragraphs per section print to about ``pages`` pages, found on a draft."""
    report_id = ward.reports.new("cntt-quy", "2019Q1")
    guess = 4
    for _ in range(3):
        ward.reports.save(report_id, ContentChanges(narratives=long_narratives(guess)))
        printed = page_count(ward.documents.report_pdf(report_id))
        if abs(printed - pages) <= 1:
            break
        guess = max(1, round(guess * pages / printed))
    return guess


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def approved_long_report(ward: Workspace, period: str, paragraphs: int) -> str:
    report_id = ward.reports.new("cntt-quy", period)
    changes = ContentChanges(values=dict(IT_FIGURES), narratives=long_narratives(paragraphs))
    ward.reports.save(report_id, changes)
    ward.reports.approve(report_id, "Lê Văn Bình", "Bí thư", PASSPHRASE)
    return report_id


@dataclass(frozen=True)
class Run:
    render: float
    prepare: float
    write: float
    pdf: bytes
    bundle: Path


def one_run(ward: Workspace, stick: Path, period: str, paragraphs: int) -> Run:
    report_id = approved_long_report(ward, period, paragraphs)
    started = time.perf_counter()
    pdf = ward.documents.report_pdf(report_id)
    rendered = time.perf_counter()
    entry = ward.exchange.prepare_export([report_id], PASSPHRASE)
    prepared = time.perf_counter()
    bundle = ward.exchange.write_export(entry, stick)
    written = time.perf_counter()
    return Run(rendered - started, prepared - rendered, written - prepared, pdf, bundle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=None, help="where to work (default: temp)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=options.folder) as temp:
        root = Path(temp)
        with Workspace.open(root / "ward", automatic_backup=False, kdf_cost=CHEAP) as ward:
            ward.initialise(WARD)
            ward.add_unit(PROVINCE)
            ward.keys.create(PASSPHRASE)
            paragraphs = paragraphs_for(ward, options.pages)
            runs = []
            for run in range(options.runs):
                stick = root / f"stick{run}"
                stick.mkdir()
                runs.append(one_run(ward, stick, f"{2020 + run}Q1", paragraphs))
            size = runs[0].bundle.stat().st_size
    render = min(r.render for r in runs)
    prepare = min(r.prepare for r in runs)
    write = min(r.write for r in runs)
    pdf = runs[0].pdf
    print(f"report: {page_count(pdf)} printed pages, PDF {len(pdf) / 1024:.0f} KiB")
    print(f"render PDF alone: {render:.2f} s")
    print(f"prepare (render + sign + build into the outbox): {prepare:.2f} s")
    print(f"write to the stick (.partial, fsync, rename, read back): {write:.3f} s")
    print(f"render + sign + write: {prepare + write:.2f} s; bundle {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()

"""Autosave latency of the report editor, against one plain SQLite row write.

Three loops in the same folder and the same run, so the disk and its fsync cost are shared:

* plain  — ``INSERT OR REPLACE`` of one row in a WAL + ``synchronous=FULL`` database
  (the floor: one durable commit);
* core   — ``Workspace.save`` with one changed value (what every autosave runs);
* editor — from a value typed in the editor's table model to its ``saved`` signal (core save
  plus the task runner's thread hop and the in-memory recomputation).

Target: p99 of an autosave ≤ 5 × p99 of the plain write. ``--profile`` prints where the core
save spends its time.

Usage: .venv/bin/python bench/bench_autosave.py [--rounds 500] [--folder DIR] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.demo import build_demo
from desktop_app.core.reports import ContentChanges
from desktop_app.core.workspace import Workspace

TARGET_RATIO = 5.0
FIGURE = "tong_may_tinh"


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[98] * 1000


def timed(rounds: int, step: Callable[[int], None]) -> list[float]:
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        step(i)
        samples.append(time.perf_counter() - start)
    return samples


def plain_writes(folder: Path, rounds: int) -> list[float]:
    connection = sqlite3.connect(folder / "plain.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)")
    try:
        return timed(rounds, lambda i: connection.execute(
            "INSERT OR REPLACE INTO t VALUES (1, ?)", [str(i)]
        ).close())
    finally:
        connection.close()


def pyside_loses_none_references() -> bool:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a Qt method
    returning void; after a few thousand calls Python aborts ("deallocating None")."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 50


def draft_report(workspace: Workspace) -> str:
    build_demo(workspace)
    return next(r.id for r in workspace.reports(template_id="cntt-quy", status="draft"))


def core_saves(workspace: Workspace, report_id: str, rounds: int) -> list[float]:
    return timed(
        rounds,
        lambda i: workspace.save(report_id, ContentChanges(values={FIGURE: 1000 + i})),
    )


def editor_saves(workspace: Workspace, report_id: str, rounds: int) -> list[float]:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.editor import ReportEditor
    from desktop_app.ui.editor.indicator_model import VALUE_COLUMN
    from desktop_app.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    editor = ReportEditor(workspace, runner, report_id)
    loop = QEventLoop()
    editor.loaded.connect(loop.quit)
    editor.saved.connect(loop.quit)
    loop.exec()
    assert editor.document is not None
    table_id = editor.document.template.indicator(FIGURE).table_id
    model = editor.pages[editor.document.section_of_table(table_id)].models[table_id]
    index = model.index(model.row_of(FIGURE), VALUE_COLUMN)

    def step(i: int) -> None:
        model.setData(index, str(5000 + i))
        loop.exec()

    samples = timed(rounds, step)
    runner.wait()
    editor.deleteLater()
    app.processEvents()
    return samples


def profile_core(workspace: Workspace, report_id: str, rounds: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    core_saves(workspace, report_id, rounds)
    profiler.disable()
    print("\nWhere Workspace.save spends its time (cumulative, top 18):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


def report(name: str, samples: list[float], floor_p50: float, floor_p99: float) -> float:
    p50, p99 = percentiles(samples)
    ratio = p99 / floor_p99
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"{name:<8} p50 {p50:7.3f} ms  p99 {p99:7.3f} ms   "
        f"ratio p50 {p50 / floor_p50:5.2f}  p99 {ratio:5.2f}  (target p99 ≤ {TARGET_RATIO:g}) "
        f"{verdict}"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--folder", type=Path, default=None, help="where to write (default: tmp)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-autosave-", dir=args.folder))
    print(f"{args.rounds} rounds each in {folder}")
    plain = plain_writes(folder, args.rounds)
    with Workspace.open(folder / "ws", automatic_backup=False) as workspace:
        report_id = draft_report(workspace)
        core = core_saves(workspace, report_id, args.rounds)
        floor_p50, floor_p99 = percentiles(plain)
        print(f"{'plain':<8} p50 {floor_p50:7.3f} ms  p99 {floor_p99:7.3f} ms   (one row write)")
        ratios = [report("core", core, floor_p50, floor_p99)]
        if pyside_loses_none_references():
            import PySide6

            print(
                f"editor   SKIPPED: PySide6 {PySide6.__version__} loses a reference to None on "
                "every void Qt call and would abort this loop; use a PySide6 without that bug."
            )
        else:
            editor = editor_saves(workspace, report_id, args.rounds)
            ratios.append(report("editor", editor, floor_p50, floor_p99))
        if args.profile or max(ratios) > TARGET_RATIO:
            profile_core(workspace, report_id, min(args.rounds, 200))
    return 0


if __name__ == "__main__":
    sys.exit(main())

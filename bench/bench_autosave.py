"""Autosave latency of the report editor, against one plain SQLite row write.

Three steps, interleaved round by round in the same folder so that all three meet the same disk
(an fsync on a shared machine can cost 0.3 ms one minute and 8 ms the next):

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
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.demo import build_demo
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.workspace import Workspace

TARGET_RATIO = 5.0
WARM_UP = 20
FIGURE = "tong_may_tinh"
Step = Callable[[int], None]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[98] * 1000


def run_interleaved(steps: dict[str, Step], rounds: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in steps}
    for i in range(WARM_UP + rounds):
        for name, step in steps.items():
            start = time.perf_counter()
            step(i)
            if i >= WARM_UP:
                samples[name].append(time.perf_counter() - start)
    return samples


def plain_step(folder: Path) -> tuple[Step, sqlite3.Connection]:
    connection = sqlite3.connect(folder / "plain.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)")

    def step(i: int) -> None:
        connection.execute("INSERT OR REPLACE INTO t VALUES (1, ?)", [str(i)])

    return step, connection


def core_step(workspace: Workspace, report_id: str) -> Step:
    def step(i: int) -> None:
        workspace.reports.save(report_id, ContentChanges(values={FIGURE: 1000 + i}))

    return step


def pyside_loses_none_references() -> bool:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a Qt method
    returning void; after a few thousand calls Python aborts ("deallocating None")."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 50


def editor_step(workspace: Workspace, report_id: str) -> tuple[Step, Any]:
    """Type a figure into an offscreen editor and wait for its ``saved`` signal."""
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

    return step, (app, runner, editor)


def draft_reports(workspace: Workspace) -> tuple[str, str]:
    """Two editable reports: one for the core loop, one for the editor."""
    build_demo(workspace)
    core_report = next(
        r.id for r in workspace.reports.summaries(template_id="cntt-quy", status="draft")
    )
    editor_report = workspace.reports.new("cntt-quy", "2025Q4")
    return core_report, editor_report


def profile_core(workspace: Workspace, report_id: str, rounds: int) -> None:
    step = core_step(workspace, report_id)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(rounds):
        step(i)
    profiler.disable()
    print("\nWhere Workspace.save spends its time (cumulative, top 18):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


def report(name: str, samples: list[float], floor: tuple[float, float]) -> float:
    p50, p99 = percentiles(samples)
    ratio = p99 / floor[1]
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"{name:<8} p50 {p50:7.3f} ms  p99 {p99:7.3f} ms   "
        f"ratio p50 {p50 / floor[0]:5.2f}  p99 {ratio:5.2f}  (target p99 ≤ {TARGET_RATIO:g}) "
        f"{verdict}"
    )
    return ratio


def measure(workspace: Workspace, folder: Path, rounds: int) -> tuple[list[float], str]:
    core_report, editor_report = draft_reports(workspace)
    plain, connection = plain_step(folder)
    steps = {"plain": plain, "core": core_step(workspace, core_report)}
    keep: Any = None
    if pyside_loses_none_references():
        import PySide6

        print(
            f"editor loop skipped: PySide6 {PySide6.__version__} loses a reference to None on "
            "every void Qt call and would abort it; use a PySide6 without that bug."
        )
    else:
        steps["editor"], keep = editor_step(workspace, editor_report)
    samples = run_interleaved(steps, rounds)
    connection.close()
    if keep is not None:
        keep[1].wait()  # the editor's runner, before the workspace closes
    floor = percentiles(samples.pop("plain"))
    print(f"{'plain':<8} p50 {floor[0]:7.3f} ms  p99 {floor[1]:7.3f} ms   (one row write)")
    return [report(name, values, floor) for name, values in samples.items()], core_report


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--folder", type=Path, default=None, help="where to write (default: tmp)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-autosave-", dir=args.folder))
    print(f"{args.rounds} rounds of each step, interleaved, in {folder}")
    with Workspace.open(folder / "ws", automatic_backup=False) as workspace:
        ratios, core_report = measure(workspace, folder, args.rounds)
        if args.profile or max(ratios) > TARGET_RATIO:
            profile_core(workspace, core_report, min(args.rounds, 200))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The main window on a workspace of 10,000 reports: time to first paint and peak memory.

Run: ``.venv/bin/python bench/bench_gui.py`` (offscreen unless a display is set). The
workspace is filled by inserting rows straight into the store in one transaction (bench only:
the app itself always goes through the Workspace): 250 subordinate offices × 40 quarters of the
quarterly IT report, received from below, in a mix of statuses.

Figures, each printed next to its target:
- time to first paint as a ratio to a bare QMainWindow (target <= 3), measured two ways:
  cold start (a fresh process from launch to the first paint event: Python, Qt, fonts, the
  workspace and the window; the bare one imports Qt and shows an empty QMainWindow) and warm,
  inside this process after a warm-up window (window construction to first paint only);
  the cold children run as the installed app does: from compiled bytecode (written once, by an
  unmeasured first run, into a scratch cache) and without numpy and pandas, which the frozen
  build leaves out (installers/baocao.spec) but the test tools bring into a development venv,
  where sqlite-utils imports them (about 100 ms); that figure is printed too, without a target;
- peak resident memory after the home page and the full report list (sorted) are shown
  (target <= 250 MB, ``resource.getrusage`` maxrss).
Also printed, without targets: time until the home page and the 10,000-row list show data.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, SignalInstance
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from desktop_app.core.demo import DEMO_OFFICE
from desktop_app.core.store.database import write_transaction
from desktop_app.core.workspace import Workspace
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import LIST_TAB, MainWindow
from desktop_app.ui.report_list import UPDATED
from desktop_app.ui.settings import AppSettings, apply_font, install_ui_font
from desktop_app.ui.tasks import TaskRunner

REPORTS = 10_000
OFFICES = 250
QUARTERS = REPORTS // OFFICES
TARGET_RATIO = 3.0
TARGET_MEGABYTES = 250
BARE_RUNS = 5
STATUSES = ("draft", "ready", "approved", "exported", "acknowledged", "returned")


def quarters(count: int) -> Iterator[str]:
    year, quarter = 2017, 1
    for _ in range(count):
        yield f"{year}Q{quarter}"
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def fill(workspace: Workspace) -> None:
    """10,000 received reports with their current revision, in one transaction."""
    office_rows = [
        (f"DU-B{n:04d}", f"Đảng ủy xã Thử nghiệm {n}", "commune", "party", DEMO_OFFICE.code)
        for n in range(OFFICES)
    ]
    report_rows, revision_rows = [], []
    for n, (code, *_rest) in enumerate(office_rows):
        for q, period in enumerate(quarters(QUARTERS)):
            report_id = f"bench-{n:04d}-{q:02d}"
            stamp = f"2026-{1 + (n + q) % 12:02d}-{1 + q % 28:02d}T08:{n % 60:02d}:00+07:00"
            report_rows.append((report_id, "cntt-quy", 1, period, code, "received", stamp, stamp))
            status = STATUSES[(n + q) % len(STATUSES)]
            revision_rows.append((report_id, 1, status, stamp))
    with write_transaction(workspace.db):
        workspace.db.conn.executemany(
            "INSERT INTO offices (code, name, level, block, parent_code) VALUES (?, ?, ?, ?, ?)",
            office_rows,
        )
        workspace.db.conn.executemany(
            "INSERT INTO reports (id, template_id, template_version, period, office_code, origin,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            report_rows,
        )
        workspace.db.conn.executemany(
            "INSERT INTO revisions (report_id, revision, status, created_at) VALUES (?, ?, ?, ?)",
            revision_rows,
        )


# The waits below run one event loop until a signal or event, never a processEvents() loop:
# each call from Python to a Qt function returning nothing costs PySide6 6.12 on Python 3.11
# a reference to None, and a busy loop would use them all up.


class FirstPaint(QObject):
    """Notes when a widget receives its first paint event and ends ``loop``."""

    def __init__(self, widget: QWidget, loop: QEventLoop) -> None:
        super().__init__()
        self.painted_at: float | None = None
        self.loop = loop
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None:
            self.painted_at = time.perf_counter()
            self.loop.quit()
        return False


def time_to_first_paint(make: Callable[[], QWidget]) -> tuple[float, QWidget]:
    """Seconds from constructing the window to its first paint."""
    loop = QEventLoop()
    start = time.perf_counter()
    window = make()
    watcher = FirstPaint(window, loop)
    window.resize(1280, 800)
    window.show()
    if watcher.painted_at is None:
        loop.exec()
    assert watcher.painted_at is not None
    return watcher.painted_at - start, window


def wait_for_signal(signal: SignalInstance) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    loop.exec()


def bare_window() -> QWidget:
    window = QMainWindow()
    window.setCentralWidget(QLabel("Báo cáo"))
    window.menuBar().addMenu("Tệp")
    window.statusBar()
    return window


FIRST_PAINT_FILTER = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QEventLoop
class Watch(QObject):
    painted = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            print(time.monotonic())
            self.loop.quit()
        return False
def show_and_wait(window):
    watch = Watch()
    watch.loop = QEventLoop()
    window.installEventFilter(watch)
    window.resize(1280, 800)
    window.show()
    if not watch.painted:
        watch.loop.exec()
"""
BARE_CHILD = (
    FIRST_PAINT_FILTER
    + """
from PySide6.QtWidgets import QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Báo cáo"))
window.menuBar().addMenu("Tệp")
window.statusBar()
show_and_wait(window)
"""
)
# What the frozen build leaves out and sqlite-utils would import if it could.
AS_FROZEN = """
import sys
sys.modules.update(numpy=None, pandas=None)
"""
APP_CHILD = (
    FIRST_PAINT_FILTER
    + """
import os
from pathlib import Path
from desktop_app.core.workspace import Workspace
from desktop_app.ui.app import _application
from desktop_app.ui.i18n import Texts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import AppSettings, apply_font, install_ui_font
from desktop_app.ui.tasks import TaskRunner
print(time.monotonic())  # imports done
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
app = _application(None)
settings = AppSettings()
family = install_ui_font()
apply_font(family, settings.font_size)
workspace = Workspace(Path(sys.argv[1]), automatic_backup=False)
runner = TaskRunner()
show_and_wait(MainWindow(workspace, runner, Texts(settings.language), settings, family))
runner.wait()
workspace.close()
os._exit(0)
"""
)


def child_environment(bytecode_cache: Path) -> dict[str, str]:
    """Bytecode on (into a scratch cache), as in an installed or frozen app."""
    root = str(Path(__file__).resolve().parents[1])
    environment = {**os.environ, "PYTHONPATH": root, "PYTHONPYCACHEPREFIX": str(bytecode_cache)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def launch(code: str, args: tuple[str, ...], environment: dict[str, str]) -> tuple[float, float]:
    """Seconds from launching a Python process to its window's first paint, and to the end of
    its imports when the child reports that too."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(Path(__file__).resolve().parents[1]),
        env=environment,
    )
    stamps = [float(word) for word in result.stdout.split()]
    return stamps[-1] - started, stamps[0] - started


def cold_start(code: str, *args: str, environment: dict[str, str]) -> tuple[float, float]:
    """Medians of 3 launches after one unmeasured launch that compiles the bytecode."""
    launch(code, args, environment)
    paints, imports = zip(*(launch(code, args, environment) for _ in range(3)), strict=True)
    return sorted(paints)[1], sorted(imports)[1]


def main() -> int:
    _application = QApplication.instance() or QApplication(sys.argv[:1])  # alive for the run
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        family = install_ui_font()
        apply_font(family, 11)
        with Workspace(Path(folder) / "ws", automatic_backup=False) as workspace:
            workspace.initialise(DEMO_OFFICE)
            started = time.perf_counter()
            fill(workspace)
            print(f"filled {REPORTS:,} reports in {time.perf_counter() - started:.2f} s")
            environment = child_environment(Path(folder) / "pycache")
            arguments = (str(workspace.root), folder)
            bare_cold, _ = cold_start(BARE_CHILD, environment=environment)
            app_cold, app_imports = cold_start(
                AS_FROZEN + APP_CHILD, *arguments, environment=environment
            )
            venv_cold, _ = cold_start(APP_CHILD, *arguments, environment=environment)
            ratio = app_cold / bare_cold
            print(f"cold start, bare QMainWindow: {bare_cold * 1000:.0f} ms (median of 3)")
            print(
                f"cold start, main window:      {app_cold * 1000:.0f} ms (median of 3),"
                f" of which Python start and imports {app_imports * 1000:.0f} ms"
            )
            print(
                f"  (with numpy importable, as in a development venv: {venv_cold * 1000:.0f} ms,"
                f" ratio {venv_cold / bare_cold:.2f}, no target)"
            )
            print(
                f"cold first-paint ratio:       {ratio:.2f}  (target <= {TARGET_RATIO:g})"
                f"  {'OK' if ratio <= TARGET_RATIO else 'MISSED'}"
            )
            run(workspace, family)
    return 0


def run(workspace: Workspace, family: str) -> None:
    time_to_first_paint(bare_window)[1].close()  # warm-up: fonts, style, platform
    bare = sorted(time_to_first_paint(bare_window)[0] for _ in range(BARE_RUNS))[BARE_RUNS // 2]
    runner = TaskRunner()
    start = time.perf_counter()
    main_paint, window = time_to_first_paint(
        lambda: MainWindow(workspace, runner, Texts("vi"), AppSettings(), family)
    )
    assert isinstance(window, MainWindow)
    if window.home.data is None:
        wait_for_signal(window.home.loaded)
    home_ready = time.perf_counter() - start
    start = time.perf_counter()
    list_page = window.list_page
    window.tabs.setCurrentIndex(LIST_TAB)
    wait_for_signal(list_page.loaded)
    assert list_page.model.rowCount() == REPORTS
    list_page.view.sortByColumn(UPDATED, Qt.SortOrder.AscendingOrder)
    list_page.view.viewport().repaint()
    list_ready = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    megabytes = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    ratio = main_paint / bare
    print(f"warm, bare QMainWindow:       {bare * 1000:.1f} ms (median of {BARE_RUNS})")
    print(f"warm, main window:            {main_paint * 1000:.1f} ms")
    print(
        f"warm first-paint ratio:       {ratio:.2f}  (target <= {TARGET_RATIO:g})"
        f"  {'OK' if ratio <= TARGET_RATIO else 'MISSED'}"
    )
    print(f"home page with data:          {home_ready * 1000:.0f} ms (no target)")
    print(f"list of {REPORTS:,} shown and sorted: {list_ready * 1000:.0f} ms (no target)")
    print(
        f"peak memory:                  {megabytes:.0f} MB  (target <= {TARGET_MEGABYTES})"
        f"  {'OK' if megabytes <= TARGET_MEGABYTES else 'MISSED'}"
    )
    window.close()
    runner.wait()


if __name__ == "__main__":
    sys.exit(main())

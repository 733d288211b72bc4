"""Start-up to first paint: the frozen folder against the same code run from source.

Run after building (``python installers/build.py``)::

    .venv/bin/python bench/bench_frozen_start.py [--folder dist/baocao] [--runs 7]

Each run starts a new process that opens the demo workspace, shows the main window, waits
until every queued core call has come back and saves the window to a PNG (``--screenshot``),
then exits: the wall time of that process is start-up to first paint. The three ways to start
take turns run by run, on the same workspace (made once beforehand, so no run pays for the
demo), offscreen. The first round is reported on its own: it is the closest to a cold start
this script can get without root dropping the page cache. Target: none; the ratio frozen /
source is reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "installers"))
import buildinfo  # noqa: E402

RUNS = 7


def commands(folder: Path, workspace: Path, shot: Path) -> dict[str, list[str]]:
    gui_args = ["--workspace", str(workspace), "--screenshot", str(shot)]
    return {
        "source: python -m desktop_app.cli.main gui": [
            sys.executable, "-m", "desktop_app.cli.main", "gui", *gui_args],
        "frozen: baocao gui": [str(buildinfo.program(folder, buildinfo.CLI_NAME)), "gui",
                               *gui_args],
        "frozen: baocao-desktop": [str(buildinfo.program(folder, buildinfo.GUI_NAME)), *gui_args],
    }


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - started


def environment(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO")}
    return env | {"QT_QPA_PLATFORM": "offscreen", "HOME": str(scratch / "home"),
                  "XDG_CONFIG_HOME": str(scratch / "config"), "APPDATA": str(scratch / "appdata")}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=REPO / "dist" / buildinfo.APP_FOLDER)
    parser.add_argument("--runs", type=int, default=RUNS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not buildinfo.program(args.folder, buildinfo.CLI_NAME).is_file():
        print(f"No built folder at {args.folder}: run installers/build.py first.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as temporary:
        scratch = Path(temporary)
        env = environment(scratch)
        workspace = scratch / "workspace"
        demo = [str(buildinfo.program(args.folder, buildinfo.CLI_NAME)), "demo", "--workspace",
                str(workspace)]
        subprocess.run(demo, env=env, check=True, capture_output=True)
        ways = commands(args.folder, workspace, scratch / "shot.png")
        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.runs):
            for name, command in ways.items():
                times[name].append(timed(command, env))
    report(times)
    return 0


def report(times: dict[str, list[float]]) -> None:
    source = statistics.median(next(iter(times.values())))
    print(f"Start-up to first paint, {len(next(iter(times.values())))} runs each, offscreen")
    print(f"{'':44} {'first':>7} {'median':>7} {'best':>7} {'ratio':>6}")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:44} {runs[0]:6.2f}s {median:6.2f}s {min(runs):6.2f}s "
              f"{median / source:5.2f}x")
    print("ratio: median / median of the source run (below 1: the frozen folder starts faster)")


if __name__ == "__main__":
    sys.exit(main())

"""Make the pictures of docs/cai-dat.md (docs/images/install-*.png) with the FROZEN programs, so
the guide shows what the installed app shows. Build first (installers/build.py), then:

    .venv/bin/python installers/guide_screenshots.py [--folder dist/baocao]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildinfo

IMAGES = buildinfo.REPO / "docs" / "images"
# The office of the examples in the user guide.
OFFICE = ["--office-code", "DU-14797", "--office-name", "Đảng ủy phường Hạc Thành",
          "--level", "commune", "--block", "party", "--abbreviation", "ĐU",
          "--superior-name", "ĐẢNG BỘ TỈNH THANH HÓA", "--place", "Thanh Hóa"]


def run(folder: Path, program: str, args: Sequence[str], env: dict[str, str]) -> None:
    command = [str(buildinfo.program(folder, program)), *args]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=180)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=buildinfo.REPO / "dist" / "baocao")
    folder = parser.parse_args(argv).folder
    with tempfile.TemporaryDirectory(prefix="baocao-shots-") as temporary:
        scratch = Path(temporary)
        env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "HOME": str(scratch),
                            "XDG_CONFIG_HOME": str(scratch / "config")}
        gui = buildinfo.GUI_NAME
        run(folder, gui, ["--workspace", str(scratch / "new"), "--screenshot",
                          str(IMAGES / "install-wizard.png")], env)
        run(folder, buildinfo.CLI_NAME, ["init", "--workspace", str(scratch / "office"), *OFFICE],
            env)
        run(folder, gui, ["--workspace", str(scratch / "office"), "--screenshot",
                          str(IMAGES / "install-first-start.png")], env)
    print(f"written: {', '.join(sorted(p.name for p in IMAGES.glob('install-*.png')))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

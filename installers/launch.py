"""Frozen entry point of both programs in the folder.

``baocao`` (console) and ``baocao-desktop`` (windowed) carry the same frozen code; the name the
program was started by chooses which ``main`` runs, the same two entry points as the
``baocao`` console script and the ``baocao-desktop`` gui script in pyproject.toml. Sharing one
code archive keeps the archives small: on Linux ``baocao-desktop`` is a link to ``baocao``; on
Windows they are two files (only the console flag differs) that the installer compresses as one.
"""

import sys
from pathlib import Path

GUI_PROGRAM = "baocao-desktop"


def started_as_gui(argv0: str) -> bool:
    return Path(argv0).stem.lower() == GUI_PROGRAM


def main() -> int:
    if started_as_gui(sys.argv[0]):
        from desktop_app.ui.app import main as gui_main

        return gui_main()
    from desktop_app.cli.main import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())

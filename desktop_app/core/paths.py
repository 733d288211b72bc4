"""Where things live: the bundled resources and the user's workspace folder.

Every path the app uses comes from here, so tests, the CLI and the frozen build can point the
whole app at a temporary folder with ``--workspace`` or ``BAOCAO_HOME``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "BaoCao"
HOME_VARIABLE = "BAOCAO_HOME"


def resources_dir() -> Path:
    """The read-only data shipped with the app (fonts, templates, profiles, messages)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def workspace_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--workspace DIR``, else ``BAOCAO_HOME``, else the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(HOME_VARIABLE)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

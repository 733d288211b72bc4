"""Named crash points for the crash tests: the process dies exactly there, as a power cut would.

A test runs an import or an export in a child process with ``BAOCAO_FAILPOINT`` set to one
name; when the code reaches ``hit`` with that name the process ends at once through
``os._exit`` (no ``finally`` blocks, no rollback, no flush: the same state a power cut or a
killed process leaves). This is deterministic, unlike killing a process after a delay. Without
the variable, or with another name, ``hit`` does nothing, so the calls are inert in the app.
"""

from __future__ import annotations

import os

VARIABLE = "BAOCAO_FAILPOINT"
EXIT_CODE = 86

IMPORT_AFTER_QUARANTINE = "import.after_quarantine"
IMPORT_AFTER_ARCHIVE = "import.after_archive"
IMPORT_BEFORE_COMMIT = "import.before_commit"
IMPORT_AFTER_COMMIT = "import.after_commit"
EXPORT_BEFORE_COMMIT = "export.before_commit"
FILE_AFTER_PARTIAL = "file.after_partial"
FILE_AFTER_RENAME = "file.after_rename"

ALL = (
    IMPORT_AFTER_QUARANTINE,
    IMPORT_AFTER_ARCHIVE,
    IMPORT_BEFORE_COMMIT,
    IMPORT_AFTER_COMMIT,
    EXPORT_BEFORE_COMMIT,
    FILE_AFTER_PARTIAL,
    FILE_AFTER_RENAME,
)


def hit(name: str) -> None:
    """End the process here if the crash tests asked for ``name``; otherwise do nothing."""
    if os.environ.get(VARIABLE) == name:
        os._exit(EXIT_CODE)

"""The live store as the areas of a workspace share it.

Restoring a backup reopens the connection; every area reads ``live.db`` when it works, so none
keeps a connection that was closed under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.store.database import ThreadConfinedDatabase, connect


@dataclass
class LiveStore:
    path: Path
    actor: str
    db: ThreadConfinedDatabase

    @classmethod
    def open(cls, path: Path, actor: str, *, read_only: bool = False) -> LiveStore:
        return cls(path, actor, connect(path, read_only=read_only))

    def reopen(self) -> None:
        self.db = connect(self.path, read_only=self.db.read_only)

    def close(self) -> None:
        self.db.close()

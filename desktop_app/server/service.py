"""The Workspace behind the service, used from one worker thread.

Every store call, read or write, runs on that one thread (as in the windows' ``ui/tasks.py``):
imports never race each other, and the event loop that reads the clients' bodies is never held
by SQLite. The thread has its own connection to the store (``ThreadConfinedDatabase``).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.packages import BuiltPackage
from desktop_app.core.exchange.inbox import ImportOutcome
from desktop_app.core.exchange.published import PublishedFile
from desktop_app.core.model.offices import Office
from desktop_app.core.upper.completeness import Completeness
from desktop_app.core.workspace import Workspace

T = TypeVar("T")


class StoreWorker:
    def __init__(self, workspace: Workspace, key: OfficeKey | None) -> None:
        self._workspace = workspace
        self._key = key
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="baocao-store")
        self.uploads_folder = workspace.root / "uploads"
        # Bodies half-received when the service last stopped (or was killed): never imported,
        # their senders retry.
        shutil.rmtree(self.uploads_folder, ignore_errors=True)
        self.uploads_folder.mkdir()

    async def _run(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, work)

    async def receive(self, path: Path) -> tuple[ImportOutcome, list[BuiltPackage]]:
        return await self._run(lambda: self._workspace.exchange.receive_upload(path, self._key))

    async def config(self) -> PublishedFile | None:
        return await self._run(self._workspace.exchange.published_config)

    async def receipts(self, unit_code: str, after: int) -> list[PublishedFile]:
        exchange = self._workspace.exchange
        return await self._run(lambda: exchange.published_receipts(unit_code, after, self._key))

    async def office(self) -> Office:
        return await self._run(lambda: self._workspace.office)

    async def completeness(self, period: str) -> Completeness:
        return await self._run(lambda: self._workspace.upper.completeness(period))

    def close(self) -> None:
        self._thread.shutdown(wait=True)

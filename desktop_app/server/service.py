"""The Workspace behind the service, used from one worker thread.

Every store call, read or write, runs on that one thread (as in the windows' ``ui/tasks.py``):
imports never race each other, and the event loop that reads the clients' bodies is never held
by SQLite. The thread has its own connection to the store (``ThreadConfinedDatabase``).

Uploads that arrive while the thread is busy are imported together when it is free, in one
call of the import (one transaction, as a folder from a stick): many offices sending at once
share the cost of the store's flushes instead of queueing one flush each.
"""

from __future__ import annotations

import asyncio
import queue
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from desktop_app.core.areas.exchange import Upload
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.packages import BuiltPackage
from desktop_app.core.exchange.formats.request import WRONG_OFFICE, RequestRefused
from desktop_app.core.exchange.inbox import BATCH_FILES, ImportOutcome
from desktop_app.core.exchange.published import PublishedFile
from desktop_app.core.model.offices import Office
from desktop_app.core.upper.completeness import Completeness
from desktop_app.core.workspace import Workspace

T = TypeVar("T")
Received = tuple[ImportOutcome, list[BuiltPackage]]


@dataclass
class _Job:
    done: Future[Any] = field(default_factory=Future)
    work: Callable[[], Any] | None = None
    upload: Upload | None = None


class StoreWorker:
    def __init__(self, workspace: Workspace, key: OfficeKey | None) -> None:
        self._workspace = workspace
        self._key = key
        self.uploads_folder = workspace.root / "uploads"
        # Bodies half-received when the service last stopped (or was killed): never imported,
        # their senders retry.
        shutil.rmtree(self.uploads_folder, ignore_errors=True)
        self.uploads_folder.mkdir()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="baocao-store", daemon=True)
        self._thread.start()

    async def receive(self, upload: Upload) -> Received:
        """The import's outcome, with the receipts owed when the upload proves its sender."""
        job = _Job(upload=upload)
        self._jobs.put(job)
        result: Received = await asyncio.wrap_future(job.done)
        return result

    async def config(self) -> PublishedFile | None:
        return await self._run(self._workspace.exchange.published_config)

    async def receipts(
        self, authorization: str, target: str, unit_code: str, after: int
    ) -> list[PublishedFile]:
        """The unit's receipts after ``after``, for the unit itself only: ``RequestRefused``
        unless its key signed the request's statement (``authorization``)."""
        exchange = self._workspace.exchange

        def fetch() -> list[PublishedFile]:
            office = exchange.proven_office(authorization, "GET", target)
            if office != unit_code:
                raise RequestRefused(WRONG_OFFICE, office=office)
            return exchange.published_receipts(unit_code, after, self._key)

        return await self._run(fetch)

    async def office(self) -> Office:
        return await self._run(lambda: self._workspace.office)

    async def completeness(self, period: str) -> tuple[Completeness, dict[str, str]]:
        """Who has sent for ``period``, and the title of each template."""
        workspace = self._workspace

        def read() -> tuple[Completeness, dict[str, str]]:
            titles = {template.id: template.title for template in workspace.templates.newest()}
            return workspace.upper.completeness(period), titles

        return await self._run(read)

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()

    async def _run(self, work: Callable[[], T]) -> T:
        job = _Job(work=work)
        self._jobs.put(job)
        result: T = await asyncio.wrap_future(job.done)
        return result

    # --- the worker thread -------------------------------------------------------------------

    def _serve(self) -> None:
        while (first := self._jobs.get()) is not None:
            jobs, stop = self._more([first])
            uploads = [job for job in jobs if job.upload is not None]
            if uploads:
                self._import(uploads)
            for job in jobs:
                if job.work is not None:
                    _settle(job, job.work)
            if stop:
                return

    def _more(self, jobs: list[_Job]) -> tuple[list[_Job], bool]:
        """The jobs waiting behind the first, up to one import batch of uploads."""
        while sum(job.upload is not None for job in jobs) < BATCH_FILES:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return jobs, False
            if job is None:
                return jobs, True
            jobs.append(job)
        return jobs, False

    def _import(self, uploads: list[_Job]) -> None:
        received = [job.upload for job in uploads if job.upload is not None]
        try:
            results = self._workspace.exchange.receive_uploads(received, self._key)
        except BaseException as error:  # the whole batch failed: each caller hears it
            for job in uploads:
                job.done.set_exception(error)
            return
        for job, result in zip(uploads, results, strict=True):
            job.done.set_result(result)


def _settle(job: _Job, work: Callable[[], Any]) -> None:
    try:
        job.done.set_result(work())
    except BaseException as error:
        job.done.set_exception(error)

"""The service's HTTP routes (Starlette): upload a bundle, fetch the configuration package and
a unit's receipts, and the status page for the office's own clerks.

An upload is judged by the same import as a file from a stick (``ws.exchange.import_bundles``):
the same codes, the same Vietnamese sentence. The body is written to a file under the
workspace's ``uploads/`` folder first, never held whole in memory, and refused past the E02 cap.
The answer carries the sender's receipts only when the upload's request statement (its
``Authorization`` header) proves the uploader is that sender: anyone may hold a copy of a bundle.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from desktop_app.core.areas.exchange import Upload
from desktop_app.core.catalogue import message
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import inbox
from desktop_app.core.exchange.formats import request as request_statement
from desktop_app.core.exchange.formats.codes import Code
from desktop_app.core.exchange.formats.request import RequestRefused
from desktop_app.core.exchange.online import API
from desktop_app.server.limits import Limits, RateLimiter
from desktop_app.server.service import StoreWorker
from desktop_app.server.status_page import default_period, status_page

LANG = "vi"
_FILE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,120}\.baocao")
_UNIT_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_HTTP_STATUS = {inbox.IMPORTED: 201, inbox.ALREADY: 200}
LOOPBACK = ("127.0.0.0/8", "::1/128")


class _BodyRefused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


@dataclass(frozen=True)
class Settings:
    limits: Limits = field(default_factory=Limits)
    # Who may see the status page: the office's own network, loopback unless widened.
    status_networks: Sequence[str] = LOOPBACK


def build_app(worker: StoreWorker, settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    routes = _Routes(worker, settings)
    return Starlette(
        routes=[
            Route("/", routes.status, methods=["GET"]),
            Route(f"{API}/hello", routes.hello, methods=["GET"]),
            Route(f"{API}/bundles", routes.upload, methods=["POST"]),
            Route(f"{API}/config", routes.config, methods=["GET"]),
            Route(f"{API}/receipts/{{unit}}", routes.receipts, methods=["GET"]),
        ],
        lifespan=_closing(worker),
    )


def _closing(worker: StoreWorker) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        worker.close()

    return lifespan


class _Routes:
    def __init__(self, worker: StoreWorker, settings: Settings) -> None:
        self.worker = worker
        self.limits = settings.limits
        self.rate = RateLimiter(self.limits.requests_per_minute, self.limits.burst)
        # An upload slot is a folder of its own, made once: the body is written there under
        # its sender's file name (which the import records), then removed. No folder is made
        # or removed per upload, on the event loop that every client shares.
        self.free_slots: asyncio.Queue[Path] = asyncio.Queue()
        for number in range(self.limits.concurrent_uploads):
            slot = worker.uploads_folder / f"slot-{number}"
            slot.mkdir(exist_ok=True)
            self.free_slots.put_nowait(slot)
        self.status_networks = [ipaddress.ip_network(n) for n in settings.status_networks]

    async def hello(self, request: Request) -> Response:
        if refused := self._over_rate(request):
            return refused
        office = await self.worker.office()
        return JSONResponse({"service": "baocao", "office": office.code})

    async def upload(self, request: Request) -> Response:
        if refused := self._over_rate(request):
            return refused
        if self._declared_length(request) > self.limits.max_body_bytes:
            return self._too_large()
        try:  # a slot frees within seconds (a stall is dropped): wait that long, no longer
            slot = await asyncio.wait_for(self.free_slots.get(), self.limits.slot_wait_seconds)
        except TimeoutError:
            return _busy()
        try:
            return await self._import_upload(request, slot)
        finally:
            self.free_slots.put_nowait(slot)

    async def _import_upload(self, request: Request, slot: Path) -> Response:
        path = slot / _file_name(request)
        try:
            await self._receive_body(request, path)
            authorization = request.headers.get("authorization", "")
            upload = Upload(path, authorization, _target(request))
            outcome, receipts = await self.worker.receive(upload)
        except _BodyRefused as refusal:
            return refusal.response
        finally:
            path.unlink(missing_ok=True)
        return JSONResponse(
            {
                "status": outcome.status,
                "code": outcome.code,
                "params": _plain(outcome.params),
                "message": inbox.sentence(outcome, LANG),
                "sender": outcome.sender,
                "seq": outcome.seq,
                "receipts": [_file_json(r.file_name, r.data) for r in receipts],
            },
            status_code=_HTTP_STATUS.get(outcome.status, 422),
        )

    async def config(self, request: Request) -> Response:
        if refused := self._over_rate(request):
            return refused
        package = await self.worker.config()
        if package is None:
            return JSONResponse({"code": "online.no_config"}, status_code=404)
        return Response(
            package.data,
            media_type="application/vnd.baocao.config+json",
            headers={"Content-Disposition": f'attachment; filename="{package.file_name}"'},
        )

    async def receipts(self, request: Request) -> Response:
        if refused := self._over_rate(request):
            return refused
        unit = request.path_params["unit"]
        after = request.query_params.get("after", "0")
        if not _UNIT_CODE.fullmatch(unit) or not after.isdigit():
            return JSONResponse({"code": "online.bad_request"}, status_code=400)
        authorization = request.headers.get("authorization", "")
        try:
            found = await self.worker.receipts(authorization, _target(request), unit, int(after))
        except RequestRefused as refusal:
            return _refused_request(refusal)
        items = [{"id": f.id, **_file_json(f.file_name, f.data)} for f in found]
        return JSONResponse({"receipts": items})

    async def status(self, request: Request) -> Response:
        if not self._may_see_status(request):
            return HTMLResponse(message("online.status.forbidden", LANG), status_code=403)
        period = request.query_params.get("period") or default_period()
        office = await self.worker.office()
        try:
            status, titles = await self.worker.completeness(period)
        except CoreError as error:  # a period the clerk mistyped: say so on the page
            return HTMLResponse(status_page(office, period, None, {}, error), status_code=400)
        return HTMLResponse(status_page(office, period, status, titles, None))

    # --- the body, bounded -------------------------------------------------------------------

    async def _receive_body(self, request: Request, path: Path) -> None:
        received = 0
        with path.open("wb") as file:
            async for chunk in self._chunks(request):
                received += len(chunk)
                if received > self.limits.max_body_bytes:
                    raise _BodyRefused(self._too_large())
                file.write(chunk)

    async def _chunks(self, request: Request) -> AsyncIterator[bytes]:
        """The body's chunks; a client silent for ``idle_seconds``, or still sending after
        ``upload_seconds``, is dropped so it holds its upload slot no longer."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.upload_seconds
        stream = request.stream().__aiter__()
        while True:
            wait = min(self.limits.idle_seconds, deadline - loop.time())
            try:  # a timeout in this task, not a task per chunk as wait_for would make
                async with asyncio.timeout(max(wait, 0.0)):
                    chunk = await stream.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise _BodyRefused(_stalled()) from None
            if chunk:
                yield chunk

    # --- limits ------------------------------------------------------------------------------

    def _over_rate(self, request: Request) -> Response | None:
        if self.rate.allow(_address(request)):
            return None
        return JSONResponse(
            {"code": "online.rate_limited"},
            status_code=429,
            headers={"Retry-After": str(self.rate.retry_after())},
        )

    def _declared_length(self, request: Request) -> int:
        declared = request.headers.get("content-length", "0")
        return int(declared) if declared.isdigit() else 0

    def _too_large(self) -> Response:
        params = {"limit_mb": self.limits.max_body_bytes >> 20}
        code = Code.TOO_LARGE.value
        return JSONResponse(
            {
                "status": inbox.REFUSED,
                "code": code,
                "params": params,
                "message": message(code, LANG, **params),
            },
            status_code=413,
        )

    def _may_see_status(self, request: Request) -> bool:
        try:
            address = ipaddress.ip_address(_address(request))
        except ValueError:
            return False
        return any(address in network for network in self.status_networks)


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


def _file_name(request: Request) -> str:
    name = request.headers.get("x-baocao-file-name", "")
    return name if _FILE_NAME.fullmatch(name) else "upload.baocao"


def _target(request: Request) -> str:
    """The path and query as the client sent them, which its request statement names."""
    path = bytes(request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
    query = bytes(request.scope.get("query_string", b"")).decode("latin-1")
    return f"{path}?{query}" if query else path


def _refused_request(refusal: RequestRefused) -> Response:
    headers = {"WWW-Authenticate": request_statement.SCHEME} if refusal.http_status == 401 else {}
    return JSONResponse(
        {"code": refusal.code, "message": message(refusal.code, LANG, **refusal.params)},
        status_code=refusal.http_status,
        headers=headers,
    )


def _busy() -> Response:
    return JSONResponse({"code": "online.busy"}, status_code=503, headers={"Retry-After": "1"})


def _stalled() -> Response:
    return JSONResponse({"code": "online.stalled"}, status_code=408)


def _file_json(file_name: str, data: bytes) -> dict[str, Any]:
    return {"file_name": file_name, "data": base64.b64encode(data).decode("ascii")}


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON carries them (a code's parameters are words and numbers)."""
    return {key: v if isinstance(v, int | float) else str(v) for key, v in params.items()}

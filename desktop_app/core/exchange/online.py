"""The lower office's side of the line (issue 16): upload a bundle, fetch packages and receipts.

Bundles, packages and receipts are signed, so the line adds availability and confidentiality,
not trust: what the service answers is judged by the same readers as a file from a stick.
Uploads are safe to repeat — the same bundle twice is E12 at the service and counts as
delivered — so every failure of the line is retried with back-off.

The service's TLS certificate is pinned by the SHA-256 its configuration package carries,
instead of trusting certificate authorities (an office's own machine has no public name). The
pin is checked inside the TLS handshake of every connection, before the client writes a byte of
its request: a machine showing another certificate never sees a bundle, and the clerk is told
so at once (no retries: another certificate will not change in a few seconds).

Receipts are asked for, and bundles uploaded, with a request statement signed by this office's
key (``formats/request.py``): the service hands a unit's receipts only to that unit, in the
answer to an upload as in a download. An upload without a statement is still judged and
stored (the bundle proves itself); its answer carries no receipt.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from desktop_app.core.errors import CoreError, Phrase, phrase
from desktop_app.core.exchange.formats import request as request_statement
from desktop_app.core.exchange.formats.dsse import Signer
from desktop_app.core.exchange.formats.packages import ServiceAddress

API = "/api/v1"
CHUNK_BYTES = 256 * 1024
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_BACKOFF_SECONDS = 30.0
# The answers a client reads whole into memory: a package (4 MiB), a page of receipts.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
UploadProgress = Callable[[int, int], None]  # bytes sent, bytes in all


class Unreachable(CoreError):
    """The service could not be reached (or kept failing) after every retry."""

    code = "online.unreachable"


@dataclass(frozen=True)
class Answer:
    """What the service said about one uploaded bundle: the import outcome's status, code and
    parameters, and any receipts it signed for the sender."""

    status: str
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    receipts: tuple[bytes, ...] = ()

    @property
    def delivered(self) -> bool:
        return self.status in ("imported", "already")


@dataclass(frozen=True)
class Fetched:
    """A receipt waiting at the service, with its position for the next ``sync``."""

    id: int
    file_name: str
    data: bytes


@dataclass(frozen=True)
class Asker:
    """This office, as its request statements name it, and the key that signs them."""

    office: str
    key: Signer

    def statement(self, request: httpx.Request) -> str:
        """The ``Authorization`` value for ``request``, naming its target as the request line
        will carry it; each call a fresh nonce, so a retry is not a replay."""
        target = request.url.raw_path.decode("ascii")
        return request_statement.sign(request.method, target, self.office, self.key)


@dataclass(frozen=True)
class Retries:
    attempts: int = 5
    first_delay: float = 0.5
    timeout: float = 60.0


def check_address(url: str) -> None:
    """HTTPS anywhere; plain HTTP only to this machine (loopback)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return
    raise CoreError("online.plain_http", url=url)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Connection:
    """One conversation with the service; use as a context manager."""

    def __init__(self, service: ServiceAddress, retries: Retries | None = None) -> None:
        check_address(service.url)
        self.service = service
        self.retries = retries or Retries()
        self._client = httpx.Client(
            base_url=service.url.rstrip("/"),
            verify=_tls_context(service),
            timeout=httpx.Timeout(self.retries.timeout, connect=10.0),
            follow_redirects=False,
        )

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def upload(
        self,
        file_name: str,
        data: bytes,
        sent: UploadProgress | None = None,
        asker: Asker | None = None,
    ) -> Answer:
        """Upload one bundle; with ``asker`` the service may answer with its receipts."""

        def attempt() -> httpx.Response:
            upload = self._client.build_request(
                "POST",
                f"{API}/bundles",
                content=_chunks(data, sent),
                headers={
                    "Content-Type": "application/vnd.baocao.bundle+zip",
                    "Content-Length": str(len(data)),
                    "X-Baocao-File-Name": file_name,
                },
            )
            if asker is not None:
                upload.headers["Authorization"] = asker.statement(upload)
            return self._client.send(upload)

        response = self._with_retries(attempt)
        document = _json(response)
        return Answer(
            status=str(document.get("status", "")),
            code=str(document.get("code", "")),
            params=dict(document.get("params") or {}),
            receipts=tuple(base64.b64decode(r["data"]) for r in document.get("receipts", [])),
        )

    def config(self) -> bytes | None:
        """The newest configuration package the service offers, or None."""
        response = self._with_retries(lambda: self._client.get(f"{API}/config"))
        return None if response.status_code == 404 else response.content

    def receipts(self, asker: Asker, after: int) -> list[Fetched]:
        """The receipts waiting for this office (``asker``) after position ``after``."""

        def attempt() -> httpx.Response:
            asked = self._client.build_request(
                "GET", f"{API}/receipts/{asker.office}?after={after}"
            )
            asked.headers["Authorization"] = asker.statement(asked)
            return self._client.send(asked)

        response = self._with_retries(attempt)
        if response.status_code in (401, 403):
            raise _refused_request(response)
        return [
            Fetched(int(item["id"]), str(item["file_name"]), base64.b64decode(item["data"]))
            for item in _json(response).get("receipts", [])
        ]

    def _with_retries(self, attempt: Callable[[], httpx.Response]) -> httpx.Response:
        delay, reason = self.retries.first_delay, phrase("online.reason.broken")
        for number in range(1, self.retries.attempts + 1):
            try:
                response = _bounded(attempt(), self.service.url)
            except httpx.TransportError as error:
                if _pin_refused(error):
                    pin = phrase("online.reason.pin")
                    raise Unreachable(url=self.service.url, reason=pin) from error
                reason = _transport_reason(error)
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                reason = phrase("online.reason.status", status=response.status_code)
                delay = max(delay, _retry_after(response))
            if number < self.retries.attempts:
                time.sleep(min(delay, MAX_BACKOFF_SECONDS))
                delay *= 2
        raise Unreachable(url=self.service.url, reason=reason)


class _PinMismatch(ssl.SSLCertVerificationError):
    """The service showed another certificate than the one its configuration package pins."""


def certificate_sha256(pem_or_der: bytes) -> str:
    """The pin of a certificate: lowercase hex SHA-256 of its DER form."""
    if pem_or_der.lstrip().startswith(b"-----"):
        pem_or_der = ssl.PEM_cert_to_DER_cert(pem_or_der.decode("ascii"))
    return hashlib.sha256(pem_or_der).hexdigest()


def _tls_context(service: ServiceAddress) -> ssl.SSLContext | bool:
    if urlsplit(service.url).scheme != "https":
        return False
    if service.tls_certificate_sha256 is None:
        return ssl.create_default_context()  # no pin: the usual authorities and host name
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the pin replaces the authorities: see _pinning
    context.sslsocket_class = _pinning(service.tls_certificate_sha256)
    return context


def _pinning(pin: str) -> type[ssl.SSLSocket]:
    """Sockets that end their handshake by comparing the certificate shown with ``pin``.

    The context wraps every connection in this class, and the handshake runs inside the wrap,
    before the HTTP client can write its request: a mismatch closes the socket unused."""

    class PinnedSocket(ssl.SSLSocket):
        def do_handshake(self, block: bool = False) -> None:
            super().do_handshake(block)
            shown = self.getpeercert(binary_form=True)
            if shown is None or hashlib.sha256(shown).hexdigest() != pin:
                raise _PinMismatch("the certificate shown is not the pinned one")

    return PinnedSocket


def _pin_refused(error: BaseException) -> bool:
    """Whether the pin check is what failed (httpx and httpcore each wrap the error once)."""
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None or isinstance(seen, _PinMismatch):
            break
        seen = seen.__cause__ or seen.__context__
    return isinstance(seen, _PinMismatch)


def _bounded(response: httpx.Response, url: str) -> httpx.Response:
    if len(response.content) > MAX_ANSWER_BYTES:
        raise Unreachable(url=url, reason=phrase("online.reason.too_large"))
    return response


def _chunks(data: bytes, sent: UploadProgress | None) -> Iterator[bytes]:
    for start in range(0, len(data), CHUNK_BYTES):
        chunk = data[start : start + CHUNK_BYTES]
        yield chunk
        if sent is not None:
            sent(start + len(chunk), len(data))


def _transport_reason(error: httpx.TransportError) -> Phrase:
    if isinstance(error, httpx.ConnectError):
        return phrase("online.reason.connect")
    if isinstance(error, httpx.TimeoutException):
        return phrase("online.reason.timeout")
    return phrase("online.reason.broken")


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", "0"))
    except ValueError:
        return 0.0


def _refused_request(response: httpx.Response) -> CoreError:
    """The service's refusal of a signed request, in this office's own words."""
    code = str(_json(response).get("code", ""))
    if code not in request_statement.REFUSALS:
        return CoreError("online.bad_answer", status=response.status_code)
    return request_statement.RequestRefused(code)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        document = response.json()
    except ValueError as error:
        raise CoreError("online.bad_answer", status=response.status_code) from error
    if not isinstance(document, dict):
        raise CoreError("online.bad_answer", status=response.status_code)
    return document

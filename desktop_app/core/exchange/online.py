"""The lower office's side of the line (issue 16): upload a bundle, fetch packages and receipts.

Bundles, packages and receipts are signed, so the line adds availability and confidentiality,
not trust: what the service answers is judged by the same readers as a file from a stick.
Uploads are safe to repeat — the same bundle twice is E12 at the service and counts as
delivered — so every failure of the line is retried with back-off.

The service's TLS certificate is pinned by the SHA-256 its configuration package carries,
instead of trusting certificate authorities (an office's own machine has no public name).
Python's ``ssl`` offers no hook during the handshake, so the pin is checked on the connection of
every answer and by a first small request before any bundle is sent on the same connection;
an answer from another certificate is refused as if the line were down.
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
        self._checked = False

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def upload(self, file_name: str, data: bytes, sent: UploadProgress | None = None) -> Answer:
        def attempt() -> httpx.Response:
            self._check_pin_first()
            return self._client.post(
                f"{API}/bundles",
                content=_chunks(data, sent),
                headers={
                    "Content-Type": "application/vnd.baocao.bundle+zip",
                    "Content-Length": str(len(data)),
                    "X-Baocao-File-Name": file_name,
                },
            )

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

    def receipts(self, unit_code: str, after: int) -> list[Fetched]:
        response = self._with_retries(
            lambda: self._client.get(f"{API}/receipts/{unit_code}", params={"after": after})
        )
        return [
            Fetched(int(item["id"]), str(item["file_name"]), base64.b64decode(item["data"]))
            for item in _json(response).get("receipts", [])
        ]

    def _check_pin_first(self) -> None:
        """A small request before the first bundle, so a bundle is not handed to a machine
        with another certificate on a connection opened for it."""
        if not self._checked:
            self._checked = True
            self._pinned(self._client.get(f"{API}/hello"))

    def _with_retries(self, attempt: Callable[[], httpx.Response]) -> httpx.Response:
        delay, reason = self.retries.first_delay, phrase("online.reason.broken")
        for number in range(1, self.retries.attempts + 1):
            try:
                response = self._pinned(attempt())
            except httpx.TransportError as error:
                self._checked = False  # a new connection will be opened: check it again
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

    def _pinned(self, response: httpx.Response) -> httpx.Response:
        expected = self.service.tls_certificate_sha256
        if expected is not None and _certificate_sha256(response) != expected:
            response.close()
            raise Unreachable(url=self.service.url, reason=phrase("online.reason.pin"))
        if len(response.content) > MAX_ANSWER_BYTES:
            raise Unreachable(url=self.service.url, reason=phrase("online.reason.too_large"))
        return response


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
    context.verify_mode = ssl.CERT_NONE  # the pin replaces the authorities (checked above)
    return context


def _certificate_sha256(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    tls = stream.get_extra_info("ssl_object") if stream is not None else None
    der = tls.getpeercert(True) if tls is not None else None
    return hashlib.sha256(der).hexdigest() if der else None


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


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        document = response.json()
    except ValueError as error:
        raise CoreError("online.bad_answer", status=response.status_code) from error
    if not isinstance(document, dict):
        raise CoreError("online.bad_answer", status=response.status_code)
    return document

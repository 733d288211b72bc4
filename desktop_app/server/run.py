"""Running the service: settings, TLS, and uvicorn.

Plain HTTP is allowed only on a loopback address (tests, a reverse proxy on the same machine);
anywhere else the service needs its TLS certificate and key. The certificate's SHA-256 is
announced in the next configuration packages, so lower offices pin it.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.packages import ServiceAddress
from desktop_app.core.exchange.online import check_address, is_loopback
from desktop_app.core.workspace import Workspace
from desktop_app.server.app import Settings, build_app
from desktop_app.server.service import StoreWorker

# Connections held at once, uploads or not; past it uvicorn answers 503 at once.
MAX_CONNECTIONS = 200


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8443
    certificate: Path | None = None
    private_key: Path | None = None
    public_url: str | None = None  # as lower offices reach it, when not https://host:port
    settings: Settings = field(default_factory=Settings)

    @property
    def tls(self) -> bool:
        return self.certificate is not None

    def address(self) -> ServiceAddress:
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        url = self.public_url or f"{scheme}://{host}:{self.port}"
        pin = certificate_sha256(self.certificate) if self.certificate else None
        return ServiceAddress(url, pin)


def check_options(options: ServeOptions) -> None:
    if (options.certificate is None) != (options.private_key is None):
        raise CoreError("online.serve.tls_pair")
    if not options.tls and not is_loopback(options.host):
        raise CoreError("online.serve.plain_http", host=options.host)
    if options.public_url:
        check_address(options.public_url)


def certificate_sha256(path: Path) -> str:
    try:
        pem = path.read_text(encoding="ascii")
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest()
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise CoreError("input.unreadable", file=str(path), reason=str(error)) from error


def check_store(workspace: Workspace) -> None:
    """The same refusal as the windows give on a damaged store."""
    if not workspace.integrity_ok:
        raise CoreError("shell.integrity.damaged")


def serve(workspace: Workspace, key: OfficeKey | None, options: ServeOptions) -> None:
    """Serve until stopped (Ctrl+C, SIGTERM). The workspace stays open throughout."""
    build_server(workspace, key, options).run()


def build_server(
    workspace: Workspace, key: OfficeKey | None, options: ServeOptions
) -> uvicorn.Server:
    """The service, ready to ``run`` (or to stop by setting ``should_exit``)."""
    check_options(options)
    check_store(workspace)
    workspace.exchange.announce_service(options.address())
    worker = StoreWorker(workspace, key)
    config = uvicorn.Config(
        build_app(worker, options.settings),
        host=options.host,
        port=options.port,
        ssl_certfile=str(options.certificate) if options.certificate else None,
        ssl_keyfile=str(options.private_key) if options.private_key else None,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=15,
        timeout_graceful_shutdown=30,
        log_level="warning",
        lifespan="on",
        ws="none",  # no websockets: nothing to load for them
    )
    return uvicorn.Server(config)

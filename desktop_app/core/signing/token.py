"""A PKCS#11 token (the Ban Cơ yếu USB token, or SoftHSM in tests) and its certificates.

Certificates are chosen by CKA_ID, never by label: tokens from at least one Vietnamese CA leave
the private key's label empty (pyHanko issues #456, #457). The PIN is passed in, used to log in
and forgotten; nothing here stores it. Every failure of the driver becomes one of the
``token.*`` codes the clerk can act on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.errors import CoreError
from desktop_app.core.paths import resource

if TYPE_CHECKING:
    from cryptography import x509
    from pyhanko.sign.signers import Signer

# Driver errors by what the clerk can do about them. Matched by class name so that the
# driver module loads only when a token is used.
_REMOVED = {
    "DeviceRemoved",
    "TokenNotPresent",
    "TokenNotRecognised",
    "SessionClosed",
    "SessionHandleInvalid",
    "CryptokiNotInitialized",
    "DeviceError",
    "ObjectHandleInvalid",
    "KeyHandleInvalid",
}
_WRONG_PIN = {"PinIncorrect", "PinInvalid", "PinLenRange"}
_LOCKED = {"PinLocked", "PinExpired"}
_LIBRARIES: dict[str, Any] = {}


@dataclass(frozen=True)
class TokenCertificate:
    """A certificate on the token, as the head chooses it: by whose it is, never by label."""

    cert_id: str  # CKA_ID in lowercase hex
    subject: str
    organisation: str
    issuer: str
    not_after: datetime
    der: bytes
    is_ca: bool = False


def known_drivers() -> list[str]:
    """Driver paths of the tokens Vietnamese offices use (data), those present on this machine."""
    listed: dict[str, list[str]] = json.loads(
        resource("signing", "drivers.json").read_text(encoding="utf-8")
    )
    return [path for paths in listed.values() for path in paths if Path(path).is_file()]


def describe(der: bytes, cert_id: str = "") -> TokenCertificate:
    # cryptography loads here, not at start-up (tests/ui/test_startup_imports.py)
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_der_x509_certificate(der)
    return TokenCertificate(
        cert_id=cert_id,
        subject=_name_part(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_part(cert.subject, NameOID.ORGANIZATION_NAME),
        issuer=_name_part(cert.issuer, NameOID.COMMON_NAME),
        not_after=cert.not_valid_after_utc,
        der=der,
        is_ca=_is_ca(cert),
    )


def _is_ca(cert: x509.Certificate) -> bool:
    from cryptography import x509

    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _name_part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


@contextmanager
def translated_errors() -> Iterator[None]:
    """Driver exceptions as ``token.*`` codes (one place, so every caller says the same)."""
    import pkcs11.exceptions

    try:
        yield
    except pkcs11.exceptions.PKCS11Error as error:
        raise _as_core_error(error) from error


def _as_core_error(error: Exception) -> CoreError:
    kind = type(error).__name__
    if kind in _WRONG_PIN:
        return CoreError("token.wrong_pin")
    if kind in _LOCKED:
        return CoreError("token.pin_locked")
    if kind in _REMOVED:
        return CoreError("token.removed")
    if kind in {"NoSuchToken", "SlotIDInvalid"}:
        return CoreError("token.no_token")
    return CoreError("token.failed", detail=kind)


class Token:
    """A logged-in session on the first token the driver sees (or the one labelled)."""

    def __init__(self, library: str, pin: str, token_label: str | None = None) -> None:
        lib = load_library(library)
        with translated_errors():
            token = _find_token(lib, token_label)
            self._session: Any = token.open(user_pin=pin)
        self._lib = lib

    def __enter__(self) -> Token:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        import pkcs11.exceptions

        with suppress(pkcs11.exceptions.PKCS11Error):  # a token gone has nothing left to close
            self._session.close()

    def certificates(self) -> list[TokenCertificate]:
        return _certificates(self._session)

    def signer(self, cert_id: str) -> Signer:
        """A pyHanko signer for the key and certificate sharing ``cert_id``."""
        from pyhanko.sign.pkcs11 import PKCS11Signer

        wanted = _cert_id_bytes(cert_id)
        if not any(c.cert_id == cert_id.lower() for c in self.certificates()):
            raise CoreError("token.no_certificate", cert_id=cert_id)
        with translated_errors():
            return PKCS11Signer(
                self._session, key_id=wanted, cert_id=wanted, other_certs_to_pull=None
            )

    @property
    def session(self) -> Any:
        """The raw PKCS#11 session (tests pull the token out from under it)."""
        return self._session


def list_certificates(library: str, token_label: str | None = None) -> list[TokenCertificate]:
    """The certificates on the token, read without a PIN (certificates are public objects)."""
    lib = load_library(library)
    with translated_errors():
        session = _find_token(lib, token_label).open()
        try:
            return _certificates(session)
        finally:
            session.close()


def load_library(library: str) -> Any:
    """The driver, loaded once per process (a driver initialises once); again after a reset."""
    import pkcs11
    import pkcs11.exceptions

    if not Path(library).is_file():
        raise CoreError("token.no_driver", library=library)
    try:
        lib = _LIBRARIES.get(library) or pkcs11.lib(library)
        if not lib.initialized:
            lib.initialize()
    except pkcs11.exceptions.PKCS11Error as error:
        raise CoreError("token.no_driver", library=library) from error
    _LIBRARIES[library] = lib
    return lib


def _find_token(lib: Any, token_label: str | None) -> Any:
    tokens = list(lib.get_tokens(token_label=token_label))
    if not tokens:
        raise CoreError("token.no_token")
    return tokens[0]


def _certificates(session: Any) -> list[TokenCertificate]:
    from pkcs11 import Attribute, ObjectClass

    with translated_errors():
        found = [
            describe(bytes(obj[Attribute.VALUE]), bytes(obj[Attribute.ID]).hex())
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
        ]
    # The token may also hold its CA chain: only a person's or an organisation's signs.
    return sorted((c for c in found if not c.is_ca), key=lambda c: (c.subject, c.cert_id))


def _cert_id_bytes(cert_id: str) -> bytes:
    try:
        return bytes.fromhex(cert_id)
    except ValueError as error:
        raise CoreError("token.bad_cert_id", cert_id=cert_id) from error

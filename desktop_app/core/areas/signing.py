"""``ws.signing``: the office's signing token, PDF signatures and the CAs they chain to."""

from __future__ import annotations

import unicodedata

from desktop_app.core.signing import stored, trust
from desktop_app.core.signing.seal import seal_size
from desktop_app.core.signing.stored import CertificateChoice, TokenSettings
from desktop_app.core.signing.token import TokenCertificate, known_drivers, list_certificates
from desktop_app.core.signing.trust import TrustAnchor
from desktop_app.core.signing.verify import PdfSignature, verify_pdf
from desktop_app.core.store.database import write_transaction
from desktop_app.core.store.live import LiveStore


class Signing:
    def __init__(self, live: LiveStore) -> None:
        self._live = live

    # --- the token ------------------------------------------------------------------------

    def settings(self) -> TokenSettings:
        return stored.token_settings(self._live.db)

    def configure(self, settings: TokenSettings) -> None:
        with write_transaction(self._live.db):
            stored.save_token_settings(self._live.db, settings)

    def set_seal(self, png: bytes) -> tuple[int, int]:
        """The office's seal image (PNG with transparency, at most 512 KiB), drawn in the
        organisation's visible signature from the next approval on; its size in pixels."""
        with write_transaction(self._live.db):
            stored.set_seal(self._live.db, png)
        return seal_size(png)

    def remove_seal(self) -> None:
        with write_transaction(self._live.db):
            stored.remove_seal(self._live.db)

    def seal(self) -> bytes | None:
        return stored.seal(self._live.db)

    def remembered_certificates(self) -> CertificateChoice | None:
        """The certificates the last token approval named, for the approval dialog to offer
        first when they are still on the token."""
        return stored.remembered_choice(self._live.db)

    def known_drivers(self) -> list[str]:
        return known_drivers()

    def certificates(self, library: str) -> list[TokenCertificate]:
        """The signing certificates on the token plugged in (no PIN needed to list them)."""
        return list_certificates(library)

    # --- PDF signatures -------------------------------------------------------------------

    def verify_pdf(self, pdf: bytes) -> list[PdfSignature]:
        """Every signature on ``pdf``, against the shipped anchors and those this office added."""
        return verify_pdf(pdf, [anchor.der for anchor in trust.anchors(self._live.db)])

    def has_recognised_signature(self, pdf: bytes) -> bool:
        """Whether ``pdf`` carries a signature that passes every check ("Đã ký số" may print)."""
        return any(signature.recognised for signature in self.verify_pdf(pdf))

    def signatures_of(self, report_id: str, revision: int) -> list[PdfSignature]:
        """What the import found on a received revision's PDF (the report lists show it)."""
        return stored.recorded_signatures(self._live.db, report_id, revision)

    # --- trust anchors --------------------------------------------------------------------

    def trust_anchors(self) -> list[TrustAnchor]:
        return trust.anchors(self._live.db)

    def add_trust_anchor(self, data: bytes, source: str) -> TrustAnchor:
        """Trust a CA (PEM or DER); this office's configuration packages pass it on."""
        return trust.add_anchor(self._live.db, data, unicodedata.normalize("NFC", source))

    def passed_on_anchors(self) -> list[TrustAnchor]:
        """The CAs this office's configuration packages carry down: those it added and those
        its own issuer's package gave it (every office has the shipped ones)."""
        return trust.kept_anchors(self._live.db)

    def remove_trust_anchor(self, sha256: str) -> TrustAnchor:
        """Stop trusting a CA this office added (by its SHA-256), and stop passing it on."""
        return trust.remove_added(self._live.db, sha256)

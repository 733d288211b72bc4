"""Step 9b of an import (issue 15): the digital signatures on the PDFs a bundle carries.

A PDF with no signature is fine (an office may not sign with a token); a signature that fails
any check gives W03 naming the file and the reason. Never a refusal: the figures travel under
the bundle's own Ed25519 signature, which was checked before this step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from desktop_app.core.errors import phrase
from desktop_app.core.exchange.formats.bundle import VerifiedBundle
from desktop_app.core.exchange.formats.codes import Code
from desktop_app.core.signing import stored
from desktop_app.core.signing.verify import PdfSignature

PDF_FOLDER = "pdf/"


@dataclass(frozen=True)
class CarriedSignatures:
    """Each report's PDF signatures (report id → signatures) and the W03 warnings they give."""

    by_report: Mapping[str, tuple[PdfSignature, ...]] = field(default_factory=dict)
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def recognised(self) -> tuple[PdfSignature, ...]:
        return tuple(s for found in self.by_report.values() for s in found if s.recognised)


def check(db: Database, bundle: VerifiedBundle) -> CarriedSignatures:
    paths = {
        report.header.report_id: [p for p in report.files if p.startswith(PDF_FOLDER)]
        for report in bundle.manifest.reports
    }
    found = stored.check_carried_pdfs(
        db, {path: bundle.files[path] for pdfs in paths.values() for path in pdfs}
    )
    by_report = {rid: tuple(s for p in pdfs for s in found[p]) for rid, pdfs in paths.items()}
    warnings = tuple(
        (Code.PDF_SIGNATURE.value, {"path": path, "reason": phrase(f"pdf_signature.{s.reason}")})
        for path, signatures in found.items()
        for s in signatures
        if not s.recognised
    )
    return CarriedSignatures(by_report, warnings)


def record(db: Database, bundle: VerifiedBundle, carried: CarriedSignatures) -> None:
    for report in bundle.reports:
        signatures = carried.by_report.get(report.report_id, ())
        stored.record_signatures(db, report.report_id, report.revision, signatures)

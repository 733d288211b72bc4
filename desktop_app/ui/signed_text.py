"""How the report lists show a received PDF's signatures: only those that pass every check."""

from __future__ import annotations

from collections.abc import Sequence

from desktop_app.core.catalogue import message
from desktop_app.core.signing.verify import PdfSignature
from desktop_app.core.workspace import Workspace

Signatures = tuple[PdfSignature, ...]


def recognised_signatures(workspace: Workspace, report_id: str, revision: int) -> Signatures:
    """The signatures the import found on the revision's PDF that pass every check (worker
    thread); a list shows them with :func:`signature_text` in the language of the moment."""
    found = workspace.signing.signatures_of(report_id, revision)
    return tuple(signature for signature in found if signature.recognised)


def signature_text(signatures: Sequence[PdfSignature], lang: str) -> str:
    """«Ký số hợp lệ: <người ký>, <cơ quan>» for each, or "" for none."""
    return "; ".join(
        message("pdf_signature.recognised", lang, signer=s.signer, organisation=s.organisation)
        for s in signatures
    )

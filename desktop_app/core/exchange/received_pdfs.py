"""The printed form of each received report, kept exactly as its sender signed it.

A bundle lists every file with its SHA-256 in the signed manifest, and the import has already
checked each file against that list (DESIGN §10 step 8). The upper office keeps the PDF under
that hash, once however many revisions or bundles carry it, and shows and prints those bytes:
a copy rendered again here would lose the sender's number, place and date.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop_app.core.exchange.formats.bundle import VerifiedBundle


def keep(db: Database, bundle: VerifiedBundle) -> None:
    """Store the PDF of every report the bundle carries (inside the import's transaction)."""
    hashes = {entry.path: entry.sha256 for entry in bundle.manifest.files}
    for report in bundle.manifest.reports:
        # pdf/ holds the printed report; att/ may hold scanned PDFs, which are not it.
        pdf = next((path for path in report.files if path.startswith("pdf/")), None)
        if pdf is None:
            continue
        digest = hashes[pdf]
        db.execute(
            "INSERT OR IGNORE INTO received_pdfs (sha256, content) VALUES (?, ?)",
            [digest, bundle.files[pdf]],
        )
        db.execute(
            "INSERT OR REPLACE INTO received_report_pdfs (report_id, revision, sha256) "
            "VALUES (?, ?, ?)",
            [report.header.report_id, report.header.revision, digest],
        )


def sent_pdf(db: Database, report_id: str, revision: int) -> bytes | None:
    """The PDF as the sender signed it; None when the bundle carried none."""
    row = db.execute(
        "SELECT p.content FROM received_report_pdfs r JOIN received_pdfs p USING (sha256) "
        "WHERE r.report_id = ? AND r.revision = ?",
        [report_id, revision],
    ).fetchone()
    return bytes(row[0]) if row else None

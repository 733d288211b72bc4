"""Import of report bundles at the upper office (DESIGN §10), in order, stopping at the first
failure.

The file is first copied into the workspace's quarantine folder, so the stick can be pulled at
any moment and every check reads one stable copy. A refused bundle changes nothing but the
ledger and the quarantine; an accepted one is archived under its hash and committed. Files are
judged and committed in batches, each inside one ``BEGIN IMMEDIATE`` transaction, so two
imports running at once (two windows, two processes) take turns and the second sees what the
first did; the ledger's UNIQUE indexes stay as the last guard. A crash or an error part-way
through a batch undoes the whole batch: its files are simply imported again.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop_app.core.catalogue import message, phrased
from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import (
    keyring,
    pdf_signatures,
    received_attachments,
    received_pdfs,
)
from desktop_app.core.exchange.formats.bundle import BUNDLE_EXTENSION, VerifiedBundle, verify_bundle
from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.exchange.formats.container import DEFAULT_LIMITS
from desktop_app.core.exchange.formats.keys import fingerprint_of_key_id
from desktop_app.core.exchange.formats.model import ReportData
from desktop_app.core.exchange.report_data import stored_tables, stored_values
from desktop_app.core.model.limits import (
    MAX_COMMENT,
    MAX_NAME,
    MAX_NARRATIVE,
    LimitExceeded,
    clean_text,
)
from desktop_app.core.model.periods import PeriodError, parse_period
from desktop_app.core.model.text import format_short_date, search_key
from desktop_app.core.reports import status as report_status
from desktop_app.core.reports import table_records
from desktop_app.core.reports.records import audit
from desktop_app.core.reports.status import Status
from desktop_app.core.reports.templates import Template
from desktop_app.core.reports.validation import ERROR, ReportContent, validate
from desktop_app.core.reports.values import ValueRefused
from desktop_app.core.signing.verify import PdfSignature
from desktop_app.core.store import failpoints
from desktop_app.core.store.database import write_transaction
from desktop_app.core.store.files import move_all_durably, write_atomic

IMPORTED, ALREADY, REFUSED, PENDING = "imported", "already", "refused", "pending"
# Files judged and committed in one transaction: enough to share the cost of the flushes,
# few enough that another window waiting for the store waits well under a second.
BATCH_FILES = 64
TemplateLookup = Callable[[str, int], Template | None]
Progress = Callable[[int, int, str], None]
BatchHook = Callable[[Sequence["ImportOutcome"]], None]


@dataclass(frozen=True)
class ImportOutcome:
    file: str
    status: str
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()
    sender: str = ""
    seq: int | None = None
    signatures: tuple[PdfSignature, ...] = ()  # recognised PDF signatures ("Ký số hợp lệ")


@dataclass(frozen=True)
class Folders:
    quarantine: Path
    archive: Path
    attachments: Path


def sentence(outcome: ImportOutcome, lang: str) -> str:
    """The clerk's sentence for one file, warnings included, from the catalogue."""
    if outcome.code:
        text = message(outcome.code, lang, **outcome.params)
    else:
        text = message("import.ok", lang, sender=outcome.sender, seq=outcome.seq or 0)
    warnings = [phrased(code, params, lang) for code, params in outcome.warnings]
    signed = [
        message("pdf_signature.recognised", lang, signer=s.signer, organisation=s.organisation)
        for s in outcome.signatures
    ]
    return " ".join([text, *signed, *warnings])


def bundle_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the ``.baocao`` files inside any folder named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            # Links and odd files are listed too, to be judged and refused, never followed.
            found += sorted(
                p for p in path.rglob(f"*{BUNDLE_EXTENSION}") if p.is_symlink() or not p.is_dir()
            )
        else:
            found.append(path)
    return found


def import_files(
    db: Database,
    paths: Iterable[Path],
    this_office: str,
    templates: TemplateLookup,
    folders: Folders,
    actor: str,
    progress: Progress | None = None,
    before_commit: BatchHook | None = None,
) -> list[ImportOutcome]:
    """``before_commit`` sees each batch's outcomes inside its transaction: what it writes is
    committed with the batch, in the same flush (the receiving service signs receipts so)."""
    files = bundle_files(paths)
    outcomes: list[ImportOutcome] = []
    for start in range(0, len(files), BATCH_FILES):
        batch = _Batch(db, this_office, templates, folders, actor)
        judged: list[ImportOutcome] = []
        # The store's write lock from the first look at the ledger to the commit: a second
        # window or process importing the same bundle (or another with the same seq) waits,
        # then sees what the first did, instead of racing it for the same files.
        with write_transaction(db):
            for path in files[start : start + BATCH_FILES]:
                if progress:
                    progress(len(outcomes) + len(judged), len(files), path.name)
                judged.append(batch.run(path))
            batch.archive()
            if before_commit:
                before_commit(judged)
            failpoints.hit(failpoints.IMPORT_BEFORE_COMMIT)
        outcomes += judged
        failpoints.hit(failpoints.IMPORT_AFTER_COMMIT)
        batch.discard_quarantine_copies()
    if progress:
        progress(len(files), len(files), "")
    return outcomes


def import_file(
    db: Database,
    path: Path,
    this_office: str,
    templates: TemplateLookup,
    folders: Folders,
    actor: str,
) -> ImportOutcome:
    [outcome] = import_files(db, [path], this_office, templates, folders, actor)
    return outcome


class _NothingKept(Exception):
    """Ends a verification's transaction: what it wrote was only for judging."""


def verify_files(
    db: Database,
    paths: Iterable[Path],
    this_office: str,
    templates: TemplateLookup,
    *,
    read_only: bool = False,
) -> list[ImportOutcome]:
    """What importing ``paths`` together would say (``baocao verify``), changing nothing.
    Each file is judged after the ones before it, as the import judges them: the ledger row
    of each file that would be accepted stands, inside a transaction rolled back at the end,
    so the second bundle of a stick carrying the first is no gap (W01). A ``read_only``
    store takes no row even for a moment: there each file is judged alone."""
    files = bundle_files(paths)
    if read_only:
        return [_verify(db, path, this_office, templates, record=False) for path in files]
    outcomes: list[ImportOutcome] = []
    try:
        with write_transaction(db):
            outcomes = [_verify(db, path, this_office, templates, record=True) for path in files]
            raise _NothingKept
    except _NothingKept:
        pass
    return outcomes


def _verify(
    db: Database, path: Path, this_office: str, templates: TemplateLookup, *, record: bool
) -> ImportOutcome:
    name = readable_name(path)
    try:
        data, digest = _read(path)
    except BundleRefused as refusal:
        return ImportOutcome(name, REFUSED, refusal.code.value, dict(refusal.params))
    already = _accepted_by_hash(db, digest)
    if already:
        return _already(name, *already)
    try:
        bundle, warnings, carried = _judge(db, data, this_office, templates)
    except BundleRefused as refusal:
        return _outcome_of(name, refusal)
    if record:
        _ledger_accepted(db, name, bundle, timestamp())
    return _imported(name, bundle, warnings, carried)


class _Batch:
    """Files judged one after another inside one transaction, which the caller holds.

    Each file judged sees what the files before it did. The accepted bundles reach the
    archive together just before the commit: one flush of the database and one round of
    file flushes for the whole batch, which is where the time of an import went.
    """

    def __init__(
        self,
        db: Database,
        this_office: str,
        templates: TemplateLookup,
        folders: Folders,
        actor: str,
    ) -> None:
        self.db = db
        self.this_office = this_office
        self.templates = templates
        self.folders = folders
        self.actor = actor
        self.accepted: list[str] = []
        self.finished: list[str] = []  # digests whose quarantine copy goes after the commit

    def run(self, path: Path) -> ImportOutcome:
        name = readable_name(path)
        try:
            data, digest = _read(path)
        except BundleRefused as refusal:
            return ImportOutcome(name, REFUSED, refusal.code.value, dict(refusal.params))
        try:
            with write_transaction(self.db):  # a savepoint: this file's writes, or none
                outcome = self._judge_and_record(name, data, digest)
        except Exception as error:  # one file's fault never stops the batch
            if _environment_failure(error):
                raise  # a full disk or a lost store is not this file's fault: stop, change nothing
            outcome = self._refuse_unexpected(name, digest, error)
        if outcome.status in (IMPORTED, ALREADY):
            self.finished.append(digest)
        return outcome

    def _refuse_unexpected(self, name: str, digest: str, error: Exception) -> ImportOutcome:
        """A failure no check foresaw: the file is refused and kept in quarantine (E16 naming
        the kind of fault), and the next file is judged as if this one had not come."""
        if digest in self.accepted:
            self.accepted.remove(digest)
        refusal = BundleRefused(Code.BAD_DATA, repr(error), {"field": type(error).__name__})
        return _refuse(self.db, name, digest, refusal)

    def archive(self) -> None:
        _archive(self.folders, self.accepted)

    def discard_quarantine_copies(self) -> None:
        for digest in self.finished:
            _discard(self.folders.quarantine, digest)

    def _judge_and_record(self, name: str, data: bytes, digest: str) -> ImportOutcome:
        db = self.db
        already = _accepted_by_hash(db, digest)
        if already:
            return _already(name, *already)
        _keep_copy(self.folders.quarantine, digest, data)
        failpoints.hit(failpoints.IMPORT_AFTER_QUARANTINE)
        try:
            bundle, warnings, carried = _judge(db, data, self.this_office, self.templates)
        except BundleRefused as refusal:
            return _refuse(db, name, digest, refusal)
        _record(db, name, bundle, warnings, self.templates, self.actor, self.folders)
        pdf_signatures.record(db, bundle, carried)
        self.accepted.append(digest)
        return _imported(name, bundle, warnings, carried)


Warnings = tuple[tuple[str, dict[str, Any]], ...]


def _environment_failure(error: BaseException) -> bool:
    """The disk, the file system or the store failed, not the file being judged."""
    causes = (error, error.__cause__)
    return any(isinstance(c, OSError | sqlite3.OperationalError | MemoryError) for c in causes)


def _judge(
    db: Database, data: bytes, this_office: str, templates: TemplateLookup
) -> tuple[VerifiedBundle, Warnings, pdf_signatures.CarriedSignatures]:
    """Steps 2–9 and the PDF signatures: the bundle and its warnings, or ``BundleRefused``."""
    bundle = verify_bundle(data, lambda key_id: keyring.trusted_key(db, key_id), this_office)
    warnings = _check_ledger(db, bundle)
    _check_reports(db, bundle, templates)
    carried = pdf_signatures.check(db, bundle)
    return bundle, warnings + carried.warnings, carried


def _imported(
    name: str,
    bundle: VerifiedBundle,
    warnings: Warnings,
    carried: pdf_signatures.CarriedSignatures,
) -> ImportOutcome:
    notices = tuple((n.code.value, dict(n.params)) for n in bundle.notices)
    return ImportOutcome(
        name,
        IMPORTED,
        "",
        {},
        warnings + notices,
        bundle.sender_code,
        bundle.seq,
        carried.recognised,
    )


# --- step 1: a stable copy -------------------------------------------------------------------


def readable_name(path: Path) -> str:
    """The file's name as text the ledger and the clerk can hold: bytes that are not UTF-8
    (a stick written by another system) become U+FFFD instead of lone surrogates."""
    return os.fsencode(path.name).decode("utf-8", errors="replace")


def _read(path: Path) -> tuple[bytes, str]:
    """The file's bytes (after the size cap, before anything else) and their SHA-256.

    The stick is hostile: a link is judged, not followed; a FIFO or a device is refused
    without reading from it; and at most the cap plus one byte is ever read, whatever size
    the file claims (``/dev/zero`` claims none)."""
    cap = DEFAULT_LIMITS.max_bundle_bytes
    try:
        descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW | _NON_BLOCKING | _BINARY)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise BundleRefused(Code.NOT_A_BUNDLE, "a symbolic link") from error
        raise BundleRefused(Code.DAMAGED, f"cannot read: {error.strerror}") from error
    with os.fdopen(descriptor, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise BundleRefused(Code.NOT_A_BUNDLE, "not a regular file")
            if info.st_size > cap:
                raise BundleRefused(Code.TOO_LARGE, "file too large", {"limit_mb": cap >> 20})
            data = handle.read(cap + 1)
        except OSError as error:
            raise BundleRefused(Code.DAMAGED, f"cannot read: {error.strerror}") from error
    if len(data) > cap:  # grew while read
        raise BundleRefused(Code.TOO_LARGE, "file too large", {"limit_mb": cap >> 20})
    return data, hashlib.sha256(data).hexdigest()


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_BINARY = getattr(os, "O_BINARY", 0)


def _keep_copy(quarantine: Path, digest: str, data: bytes) -> None:
    """One stable copy inside the workspace: the stick may be pulled from now on."""
    quarantine.mkdir(parents=True, exist_ok=True)
    # Not flushed: after a crash the bundle is simply imported again from the stick. An
    # accepted copy is flushed once, as it moves into the archive.
    write_atomic(quarantine / f"{digest}{BUNDLE_EXTENSION}", data, durable=False)


def _discard(quarantine: Path, digest: str) -> None:
    (quarantine / f"{digest}{BUNDLE_EXTENSION}").unlink(missing_ok=True)


def _accepted_by_hash(db: Database, digest: str) -> tuple[str, int, str] | None:
    row = db.execute(
        "SELECT sender_code, seq, received_at FROM inbox_ledger "
        "WHERE sha256 = ? AND status = 'accepted'",
        [digest],
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def _already(name: str, sender: str, seq: int, imported_at: str) -> ImportOutcome:
    params = {"seq": seq, "sender": sender, "imported_at": _day(imported_at)}
    return ImportOutcome(name, ALREADY, Code.ALREADY_IMPORTED.value, params, (), sender, seq)


def _day(stamp: str) -> str:
    """The day of an ISO timestamp as the sentences say it, 02/12/2026."""
    return format_short_date(date.fromisoformat(stamp[:10]))


# --- step 7: the sender's chain --------------------------------------------------------------


def _check_ledger(db: Database, bundle: VerifiedBundle) -> Warnings:
    sender, seq = bundle.sender_code, bundle.seq
    same_seq = db.execute(
        "SELECT manifest_sha256, received_at FROM inbox_ledger "
        "WHERE sender_code = ? AND seq = ? AND status = 'accepted'",
        [sender, seq],
    ).fetchone()
    if same_seq and same_seq[0] == bundle.manifest_sha256:
        raise BundleRefused(
            Code.ALREADY_IMPORTED,
            "",
            {"seq": seq, "sender": sender, "imported_at": _day(same_seq[1])},
        )
    if same_seq:
        raise BundleRefused(
            Code.CONFLICT, "same seq, other manifest", {"seq": seq, "sender": sender}
        )
    accepted = _accepted_seqs(db, sender)
    current = max(accepted, default=0)
    if seq < current and not _linked(db, sender, bundle):
        raise BundleRefused(
            Code.OLDER_THAN_CURRENT, "not in the chain", {"seq": seq, "current_seq": current}
        )
    warnings = _chain_warning(db, bundle)
    missing = [n for n in range(current + 1, seq) if n not in accepted]
    if missing:
        listed = ", ".join(str(n) for n in missing[:10]) + ("…" if len(missing) > 10 else "")
        return ((Code.SEQUENCE_GAP.value, {"seq": seq, "missing": listed}), *warnings)
    return warnings


def _chain_warning(db: Database, bundle: VerifiedBundle) -> Warnings:
    """The bundle names a previous bundle other than the one held under that number: the
    sender's history forked (a restored backup, a second installation, a forgery with a stolen
    key). Imported — the signature holds — but said, so someone asks the sending office."""
    named = bundle.prev_manifest_sha256
    held = db.execute(
        "SELECT manifest_sha256 FROM inbox_ledger "
        "WHERE sender_code = ? AND seq = ? AND status = 'accepted'",
        [bundle.sender_code, bundle.seq - 1],
    ).fetchone()
    if named is None or held is None or held[0] == named:
        return ()
    return ((Code.CHAIN_CONTRADICTED.value, {"seq": bundle.seq, "prev_seq": bundle.seq - 1}),)


def _accepted_seqs(db: Database, sender: str) -> set[int]:
    rows = db.execute(
        "SELECT seq FROM inbox_ledger WHERE sender_code = ? AND status = 'accepted'", [sender]
    ).fetchall()
    return {row[0] for row in rows}


def _linked(db: Database, sender: str, bundle: VerifiedBundle) -> bool:
    """A late bundle filling a gap: the next accepted bundle names this one as its previous."""
    row = db.execute(
        "SELECT prev_manifest_sha256 FROM inbox_ledger "
        "WHERE sender_code = ? AND seq = ? AND status = 'accepted'",
        [sender, bundle.seq + 1],
    ).fetchone()
    return row is not None and row[0] == bundle.manifest_sha256


# --- step 9: the reports make sense here -----------------------------------------------------


def _check_reports(db: Database, bundle: VerifiedBundle, templates: TemplateLookup) -> None:
    periods: set[tuple[str, str]] = set()
    for report in bundle.reports:
        template = templates(report.template_id, report.template_version)
        if template is None:
            raise BundleRefused(Code.BAD_DATA, "unknown template", {"field": report.template_id})
        try:
            parse_period(report.period, template.period_type, template.period_label)
            values = stored_values(template, report.values)
            cells, rows = stored_tables(template, report)
        except PeriodError as error:
            raise BundleRefused(Code.BAD_DATA, str(error), {"field": "period"}) from error
        except ValueRefused as error:
            raise BundleRefused(Code.BAD_DATA, error.code, {"field": error.field}) from error
        except CoreError as error:  # a cell or list row unfit for its template
            field = str(error.params.get("field", ""))
            raise BundleRefused(Code.BAD_DATA, error.code, {"field": field}) from error
        _check_sections(template, report)
        attachments = received_attachments.names(received_attachments.carried(bundle, report))
        tables = {"grids": _filled(cells), "lists": rows, "attachments": attachments}
        _check_no_errors(template, report, values, tables)
        _check_revision_is_new(db, report)
        _check_period_is_free(db, report, periods)


def _check_sections(template: Template, report: ReportData) -> None:
    sections = {s.id for _, s in template.walk_sections()}
    for section_id, body in report.narratives.items():
        if section_id not in sections:
            raise BundleRefused(Code.BAD_DATA, "unknown section", {"field": section_id})
        _check_limits(section_id, body, MAX_NARRATIVE)
    for indicator_id, text in report.comments.items():
        if indicator_id not in template.indicator_map:
            raise BundleRefused(Code.BAD_DATA, "unknown indicator", {"field": indicator_id})
        _check_limits(indicator_id, text, MAX_COMMENT)
    approval = report.approval
    _check_limits("approval.name", approval.name, MAX_NAME, multiline=False)
    _check_limits("approval.title", approval.title, MAX_NAME, multiline=False)


def _check_limits(field: str, text: str, limit: int, *, multiline: bool = True) -> None:
    """The limits a clerk's typing meets (core/model/limits) hold for what a sender typed."""
    try:
        cleaned = clean_text(field, text, limit, multiline=multiline)
    except LimitExceeded as exceeded:
        raise BundleRefused(Code.BAD_DATA, exceeded.code, {"field": field}) from exceeded
    if not multiline and not cleaned:
        raise BundleRefused(Code.BAD_DATA, "blank", {"field": field})


def _check_no_errors(
    template: Template,
    report: ReportData,
    values: dict[str, str | None],
    tables: Mapping[str, Any] | None = None,
) -> None:
    """Approval refuses a report with errors, so one that has them (a negative count, a missing
    required figure) was not approved in this app: judged here as approval judged it."""
    content = ReportContent(
        values, dict(report.narratives), dict(report.comments), **(tables or {})
    )
    errors = [issue for issue in validate(template, content) if issue.severity == ERROR]
    if errors:
        raise BundleRefused(Code.BAD_DATA, errors[0].code, {"field": errors[0].field})


def _check_revision_is_new(db: Database, report: ReportData) -> None:
    """Nothing accepted is ever overwritten: a revision already held is refused."""
    row = db.execute(
        "SELECT MAX(revision) FROM received_revisions WHERE report_id = ?", [report.report_id]
    ).fetchone()
    if row[0] is not None and report.revision <= row[0]:
        raise BundleRefused(
            Code.OLDER_THAN_CURRENT,
            "revision held",
            {"seq": report.revision, "current_seq": row[0]},
        )
    owner = db.execute(
        "SELECT office_code, origin FROM reports WHERE id = ?", [report.report_id]
    ).fetchone()
    if owner is not None and (owner[0] != report.office.code or owner[1] != "received"):
        raise BundleRefused(Code.BAD_DATA, "report id of another office", {"field": "report_id"})


def _check_period_is_free(db: Database, report: ReportData, seen: set[tuple[str, str]]) -> None:
    """One received report per template, period and office (a UNIQUE index of the store): a
    second report id for that period (say, from a reinstalled unit) is refused before the
    commit, rather than failing half-way through it."""
    period = (report.template_id, report.period)
    held = db.execute(
        "SELECT id FROM reports WHERE template_id = ? AND period = ? AND office_code = ? "
        "AND origin = 'received'",
        [report.template_id, report.period, report.office.code],
    ).fetchone()
    if period in seen or (held is not None and held[0] != report.report_id):
        raise BundleRefused(Code.BAD_DATA, "another report holds this period", {"field": "period"})
    seen.add(period)


# --- refusals --------------------------------------------------------------------------------


def _outcome_of(name: str, refusal: BundleRefused) -> ImportOutcome:
    code, params = refusal.code, dict(refusal.params)
    if code is Code.UNKNOWN_SIGNER and "key_id" in params:
        params.setdefault("fingerprint", fingerprint_of_key_id(str(params["key_id"])))
    status = {Code.ALREADY_IMPORTED: ALREADY, Code.UNKNOWN_SIGNER: PENDING}.get(code, REFUSED)
    return ImportOutcome(name, status, code.value, params)


def _refuse(db: Database, name: str, digest: str, refusal: BundleRefused) -> ImportOutcome:
    outcome = _outcome_of(name, refusal)
    code = refusal.code
    if outcome.status == ALREADY:
        return outcome
    status = outcome.status
    with write_transaction(db):
        db.table("inbox_ledger").insert(
            {
                "received_at": timestamp(),
                "file_name": name,
                "sha256": digest,
                # Known only for refusals after the signature was checked (E14 and later).
                "sender_code": refusal.params.get("sender"),
                "seq": refusal.params.get("seq") if "sender" in refusal.params else None,
                "status": status,
                "code": code.value,
                "detail": refusal.detail[:500],
            }
        )
        db.table("quarantine").upsert(
            {
                "sha256": digest,
                "file_name": name,
                "stored_as": f"{digest}{BUNDLE_EXTENSION}",
                "code": code.value,
                "received_at": timestamp(),
            },
            pk="sha256",
        )
        if code is Code.UNKNOWN_SIGNER and "key_id" in refusal.params:
            _remember_pending_key(db, str(refusal.params["key_id"]), digest)
    return outcome


def _remember_pending_key(db: Database, key_id: str, digest: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO pending_keys (key_id, office_code, first_seen, bundle_sha256) "
        "VALUES (?, '', ?, ?)",
        [key_id, timestamp(), digest],
    )


# --- step 10: commit -------------------------------------------------------------------------


def _archive(folders: Folders, digests: Sequence[str]) -> None:
    """The raw bundles into the content-addressed archive, flushed, before their commit."""
    if digests:
        folders.archive.mkdir(parents=True, exist_ok=True)
    moves = [
        (folders.quarantine / name, folders.archive / name)
        for name in (f"{digest}{BUNDLE_EXTENSION}" for digest in dict.fromkeys(digests))
        if not (folders.archive / name).exists()
    ]
    move_all_durably(moves)
    failpoints.hit(failpoints.IMPORT_AFTER_ARCHIVE)


def _record(
    db: Database,
    name: str,
    bundle: VerifiedBundle,
    warnings: Warnings,
    templates: TemplateLookup,
    actor: str,
    folders: Folders,
) -> None:
    now = timestamp()
    with write_transaction(db):
        ledger_id = _ledger_accepted(db, name, bundle, now, warnings)
        # Refused before (say, its key was not yet enrolled): its quarantine copy goes now.
        db.execute("DELETE FROM quarantine WHERE sha256 = ?", [bundle.sha256])
        for report in bundle.reports:
            template = templates(report.template_id, report.template_version)
            assert template is not None  # checked in step 9
            _store_report(db, report, template, ledger_id, bundle.manifest_sha256, now)
            audit(
                db,
                actor,
                "report.received",
                report.report_id,
                report.revision,
                "seq",
                None,
                f"{bundle.sender_code} #{bundle.seq}",
            )
        received_pdfs.keep(db, bundle)
        received_attachments.keep(db, folders.attachments, bundle)


def _store_report(
    db: Database, report: ReportData, template: Template, ledger_id: int, manifest: str, now: str
) -> None:
    exists = db.execute("SELECT 1 FROM reports WHERE id = ?", [report.report_id]).fetchone()
    if exists:
        db.table("reports").update(
            report.report_id, {"current_revision": report.revision, "updated_at": now}
        )
    else:
        _insert(
            db,
            "reports",
            {
                "id": report.report_id,
                "template_id": report.template_id,
                "template_version": report.template_version,
                "period": report.period,
                "office_code": report.office.code,
                "origin": "received",
                "current_revision": report.revision,
                "created_at": now,
                "updated_at": now,
            },
        )
    _store_revision(db, report, template, ledger_id, manifest, now)


def _filled(cells: Mapping[str, Mapping[str, Mapping[str, str | None]]]) -> dict[str, Any]:
    return {
        grid: {
            row: {c: v for c, v in row_cells.items() if v is not None}
            for row, row_cells in rows.items()
        }
        for grid, rows in cells.items()
    }


def _store_revision(
    db: Database, report: ReportData, template: Template, ledger_id: int, manifest: str, now: str
) -> None:
    key = {"report_id": report.report_id, "revision": report.revision}
    report_status.add_revision(
        db,
        report.report_id,
        report.revision,
        Status.APPROVED,
        supersedes=report.supersedes.revision if report.supersedes else None,
        approved_by_name=report.approval.name,
        approved_by_title=report.approval.title,
        approved_at=report.approval.approved_at,
        created_at=now,
    )
    values = stored_values(template, report.values)
    cells, rows = stored_tables(template, report)
    table_records.insert_cells(db, report.report_id, report.revision, cells)
    table_records.insert_lists(db, report.report_id, report.revision, rows)
    comments = dict(report.comments)
    _insert_all(
        db,
        "report_values",
        [
            {
                **key,
                "indicator_id": indicator_id,
                "value": values.get(indicator_id),
                "comment": comments.get(indicator_id, ""),
            }
            for indicator_id in sorted(values.keys() | comments.keys())
        ],
    )
    narratives = report.narratives.items()
    _insert_all(
        db,
        "narratives",
        [{**key, "section_id": section_id, "body": body} for section_id, body in narratives],
    )
    _insert_all(
        db,
        "narrative_search",
        [
            {**key, "section_id": section_id, "search_text": search_key(body)}
            for section_id, body in narratives
        ],
    )
    _insert(
        db,
        "received_revisions",
        {
            **key,
            "ledger_id": ledger_id,
            "manifest_sha256": manifest,
            "approved_at": report.approval.approved_at,
            "imported_at": now,
        },
    )


# Plain INSERTs: sqlite-utils looks the table up on every call, which cost more than the rows.


def _ledger_accepted(
    db: Database, name: str, bundle: VerifiedBundle, now: str, warnings: Warnings = ()
) -> int:
    """The ledger row of an accepted bundle, which later bundles of its sender are judged by."""
    row = {
        "received_at": now,
        "file_name": name,
        "sha256": bundle.sha256,
        "sender_code": bundle.sender_code,
        "seq": bundle.seq,
        "manifest_sha256": bundle.manifest_sha256,
        "prev_manifest_sha256": bundle.prev_manifest_sha256,
        "status": "accepted",
        "code": warnings[0][0] if warnings else "",
    }
    return _insert(db, "inbox_ledger", row)


def _insert(db: Database, table: str, row: Mapping[str, Any]) -> int:
    """Insert one row; its rowid."""
    cursor = db.conn.execute(_insert_sql(table, list(row)), list(row.values()))
    return int(cursor.lastrowid or 0)


def _insert_all(db: Database, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        columns = list(rows[0])
        db.conn.executemany(_insert_sql(table, columns), [[r[c] for c in columns] for r in rows])


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(f"[{column}]" for column in columns)
    return f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})"

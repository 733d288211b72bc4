"""Report bundles (``.baocao``): building one, and verifying an untrusted one.

``verify_bundle`` runs the import steps of DESIGN §10 that need no database, in order, and stops
at the first failure with ``BundleRefused``. The ledger checks (E12–E14, W01), the quarantine, the
template checks and the commit belong to the caller, which gets everything it needs from
``VerifiedBundle``. ``build_bundle`` verifies its own output the same way before returning it, so
the app never writes a bundle that an importer would refuse.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from desktop_app.core.errors import ReasonedError
from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.codes import BundleRefused, Code, Notice
from desktop_app.core.exchange.formats.container import (
    DEFAULT_LIMITS,
    ENVELOPE_NAME,
    MIMETYPE_NAME,
    Container,
    Limits,
    open_container,
    write_container,
)
from desktop_app.core.exchange.formats.keys import fingerprint_of_key_id
from desktop_app.core.exchange.formats.model import (
    MEDIA_TYPES,
    REPORTS_PATH,
    FileEntry,
    Manifest,
    ManifestFields,
    ManifestReport,
    ReportData,
    ReportHeader,
    manifest_to_bytes,
    media_type_of,
    parse_manifest,
    parse_reports,
)
from desktop_app.core.model import strictjson
from desktop_app.core.model.offices import OFFICE_CODE

BUNDLE_EXTENSION = ".baocao"
KNOWN_FORMAT_VERSIONS = frozenset({1})
CLOCK_AHEAD_TOLERANCE = timedelta(days=1)
CLOCK_BEHIND_TOLERANCE = timedelta(days=366)
_EXTENSIONS = {media_type: extension for extension, media_type in MEDIA_TYPES.items()}


class BundleSigner(dsse.Signer, Protocol):
    """The office key that signs a bundle (``keys.OfficeKey``)."""

    @property
    def public_raw(self) -> bytes: ...


@dataclass(frozen=True)
class TrustedKey:
    """An entry of the current trust list: this key may sign for ``office_code``."""

    key_id: str
    office_code: str
    public_raw: bytes
    revoked_after_seq: int | None = None


TrustLookup = Callable[[str], TrustedKey | None]


class InvalidBundleInput(ReasonedError, ValueError):
    """``build_bundle`` was given something it must not sign; ``refusal`` is the import code
    it would have earned (None for a plain programming error), ``reason`` an English note."""

    code = "export.invalid"

    def __init__(self, reason: str, refusal: Code | None = None) -> None:
        super().__init__(reason)
        self.refusal = refusal


@dataclass(frozen=True)
class BuiltBundle:
    data: bytes
    file_name: str
    sha256: str
    manifest_bytes: bytes
    manifest_sha256: str


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle that passed every check that needs no database."""

    sha256: str
    manifest: Manifest
    manifest_bytes: bytes
    manifest_sha256: str
    envelope_bytes: bytes
    signer_key_id: str
    reports: tuple[ReportData, ...]
    files: Mapping[str, bytes]
    notices: tuple[Notice, ...]

    @property
    def sender_code(self) -> str:
        return self.manifest.fields.sender.code

    @property
    def seq(self) -> int:
        return self.manifest.fields.seq

    @property
    def prev_manifest_sha256(self) -> str | None:
        return self.manifest.fields.prev_manifest_sha256


@dataclass(frozen=True)
class BundleFileName:
    """What a bundle's file name says (DESIGN §9); only the signed manifest is to be trusted."""

    sender_code: str
    seq: int
    day: str  # yyyymmdd


# Office codes may hold "_": the sequence number and the day are read from the end.
_BUNDLE_FILE_NAME = re.compile(
    rf"BC_(?P<code>{OFFICE_CODE.pattern})_(?P<seq>[0-9]{{6}})_(?P<day>[0-9]{{8}})"
    + re.escape(BUNDLE_EXTENSION)
)


def bundle_file_name(sender_code: str, seq: int, created_at: str) -> str:
    """``BC_<sender code>_<seq:06d>_<yyyymmdd>.baocao``, the date as written in ``created_at``."""
    if not OFFICE_CODE.fullmatch(sender_code) or not 1 <= seq <= 999999:
        raise ValueError("sender code or sequence number out of range")
    day = datetime.fromisoformat(created_at).strftime("%Y%m%d")
    return f"BC_{sender_code}_{seq:06d}_{day}{BUNDLE_EXTENSION}"


def parse_bundle_file_name(name: str) -> BundleFileName | None:
    """The parts of a name ``bundle_file_name`` writes; None for any other name."""
    match = _BUNDLE_FILE_NAME.fullmatch(name)
    if match is None:
        return None
    return BundleFileName(match["code"], int(match["seq"]), match["day"])


# --- building -------------------------------------------------------------------------------


def build_bundle(
    fields: ManifestFields,
    reports_json: bytes,
    pdfs: Mapping[str, bytes],
    attachments: Mapping[str, Sequence[bytes]],
    signer: BundleSigner,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> BuiltBundle:
    """Sign and pack one bundle; raise ``InvalidBundleInput`` for anything an importer would refuse.

    ``reports_json`` is ``data/reports.json`` (see ``model.reports_to_bytes``); ``pdfs`` maps a
    report id to its printed PDF; ``attachments`` maps a report id to its scans (PDF, PNG, JPEG).
    """
    _check_report_ids(fields, pdfs, attachments)
    contents, report_files = _collect_files(fields, reports_json, pdfs, attachments)
    manifest = Manifest(
        fields=fields,
        reports=tuple(ManifestReport(h, report_files[h.report_id]) for h in fields.reports),
        files=tuple(_file_entry(path, content) for path, content in contents.items()),
    )
    try:
        manifest_bytes = manifest_to_bytes(manifest)
    except strictjson.StrictJSONError as error:
        raise InvalidBundleInput(error.reason, Code.BAD_ENVELOPE) from error
    envelope = dsse.sign(dsse.MANIFEST_TYPE, manifest_bytes, [signer])
    data = write_container([(ENVELOPE_NAME, dsse.to_bytes(envelope)), *contents.items()])
    _self_check(data, fields, signer, limits)
    return BuiltBundle(
        data=data,
        file_name=bundle_file_name(fields.sender.code, fields.seq, fields.created_at),
        sha256=_sha256(data),
        manifest_bytes=manifest_bytes,
        manifest_sha256=_sha256(manifest_bytes),
    )


def _check_report_ids(
    fields: ManifestFields, pdfs: Mapping[str, bytes], attachments: Mapping[str, Sequence[bytes]]
) -> None:
    known = {header.report_id for header in fields.reports}
    unknown = (set(pdfs) | set(attachments)) - known
    if unknown:
        raise InvalidBundleInput(f"files given for reports not in the manifest: {sorted(unknown)}")


def _collect_files(
    fields: ManifestFields,
    reports_json: bytes,
    pdfs: Mapping[str, bytes],
    attachments: Mapping[str, Sequence[bytes]],
) -> tuple[dict[str, bytes], dict[str, tuple[str, ...]]]:
    """All files by path (sorted, hence deterministic) and each report's own paths."""
    contents = {REPORTS_PATH: reports_json}
    report_files: dict[str, tuple[str, ...]] = {}
    for header in fields.reports:
        paths = [REPORTS_PATH]
        if header.report_id in pdfs:
            paths.append(_add_hashed(contents, "pdf", pdfs[header.report_id], pdf_only=True))
        for scan in attachments.get(header.report_id, ()):
            paths.append(_add_hashed(contents, "att", scan, pdf_only=False))
        report_files[header.report_id] = tuple(dict.fromkeys(paths))
    return dict(sorted(contents.items())), report_files


def _add_hashed(contents: dict[str, bytes], folder: str, content: bytes, *, pdf_only: bool) -> str:
    media_type = media_type_of(content)
    if media_type is None or (pdf_only and media_type != MEDIA_TYPES["pdf"]):
        raise InvalidBundleInput(f"a {folder} file is not a PDF, PNG or JPEG as required")
    path = f"{folder}/{_sha256(content)}.{_EXTENSIONS[media_type]}"
    contents[path] = content
    return path


def _file_entry(path: str, content: bytes) -> FileEntry:
    extension = path.rsplit(".", 1)[1]
    return FileEntry(path, _sha256(content), len(content), MEDIA_TYPES[extension])


def _self_check(data: bytes, fields: ManifestFields, signer: BundleSigner, limits: Limits) -> None:
    own = TrustedKey(signer.key_id, fields.sender.code, signer.public_raw)
    try:
        verify_bundle(data, {own.key_id: own}.get, fields.recipient.code, limits=limits)
    except BundleRefused as refusal:
        raise InvalidBundleInput(refusal.detail, refusal.code) from refusal


# --- verifying ------------------------------------------------------------------------------


def verify_bundle(
    data: bytes,
    trusted_keys: TrustLookup,
    this_office_code: str,
    known_format_versions: Collection[int] = KNOWN_FORMAT_VERSIONS,
    *,
    limits: Limits = DEFAULT_LIMITS,
    now: datetime | None = None,
) -> VerifiedBundle:
    """DESIGN §10 steps 2–9 without the ledger; raises ``BundleRefused`` and nothing else."""
    container = open_container(data, limits)
    envelope_bytes = _read_envelope_bytes(container)
    envelope = _parse_envelope(envelope_bytes)
    signer = _find_signer(envelope, trusted_keys)
    if not dsse.verify(envelope, dsse.MANIFEST_TYPE, {signer.key_id: signer.public_raw}):
        raise BundleRefused(Code.BAD_SIGNATURE, "Ed25519 signature over PAE does not verify")
    manifest = parse_manifest(envelope.payload, known_format_versions)
    _check_authorisation(manifest.fields, signer, this_office_code)
    files = _read_listed_files(container, manifest)
    reports = parse_reports(files[REPORTS_PATH])
    _check_payload(manifest, reports, files)
    return VerifiedBundle(
        sha256=_sha256(data),
        manifest=manifest,
        manifest_bytes=envelope.payload,
        manifest_sha256=_sha256(envelope.payload),
        envelope_bytes=envelope_bytes,
        signer_key_id=signer.key_id,
        reports=reports,
        files=files,
        notices=_clock_notices(manifest.fields.created_at, now),
    )


def _read_envelope_bytes(container: Container) -> bytes:
    if container.entry(ENVELOPE_NAME) is None:
        raise BundleRefused(Code.BAD_ENVELOPE, f"no {ENVELOPE_NAME}")
    return container.read(
        ENVELOPE_NAME, limit=dsse.MAX_ENVELOPE_BYTES, over_limit=Code.BAD_ENVELOPE
    )


def _parse_envelope(envelope_bytes: bytes) -> dsse.Envelope:
    try:
        envelope = dsse.parse(envelope_bytes, dsse.MANIFEST_TYPE)
    except dsse.EnvelopeError as error:
        raise BundleRefused(Code.BAD_ENVELOPE, error.reason) from error
    if len(envelope.signatures) != 1:
        raise BundleRefused(Code.BAD_ENVELOPE, "a bundle carries exactly one signature")
    return envelope


def _find_signer(envelope: dsse.Envelope, trusted_keys: TrustLookup) -> TrustedKey:
    """The keyid is only a hint; the signature is then checked against the trusted key."""
    keyid = envelope.signatures[0].keyid
    trusted = trusted_keys(keyid)
    if trusted is None:
        params = {"key_id": keyid, "fingerprint": fingerprint_of_key_id(keyid)}
        raise BundleRefused(Code.UNKNOWN_SIGNER, f"key {keyid} is not trusted", params)
    # Keyed by the id the signature names, so a trust list that stores ids differently still works.
    return TrustedKey(keyid, trusted.office_code, trusted.public_raw, trusted.revoked_after_seq)


def _check_authorisation(fields: ManifestFields, signer: TrustedKey, this_office: str) -> None:
    if fields.sender.code != signer.office_code:
        params = {"key_office": signer.office_code, "claimed_office": fields.sender.code}
        raise BundleRefused(Code.WRONG_OFFICE, "key belongs to another office", params)
    if fields.recipient.code != this_office:
        params = {"recipient": fields.recipient.name, "recipient_code": fields.recipient.code}
        raise BundleRefused(Code.NOT_FOR_US, "addressed to another office", params)
    revoked_after = signer.revoked_after_seq
    if revoked_after is not None and fields.seq > revoked_after:
        raise BundleRefused(
            Code.KEY_REVOKED,
            "key revoked for this sequence number",
            {"revoked_after_seq": revoked_after, "seq": fields.seq},
        )


def _read_listed_files(container: Container, manifest: Manifest) -> dict[str, bytes]:
    """Entries must be exactly the envelope, the mimetype and the signed list (step 8)."""
    listed = {entry.path for entry in manifest.files}
    present = set(container.names) - {MIMETYPE_NAME, ENVELOPE_NAME}
    stray = sorted(listed ^ present)
    if stray:
        state = "missing" if stray[0] in listed else "not in the signed list"
        raise BundleRefused(Code.FILE_MISMATCH, f"{stray[0]} {state}", {"path": stray[0]})
    return {entry.path: _read_listed_file(container, entry) for entry in manifest.files}


def _read_listed_file(container: Container, entry: FileEntry) -> bytes:
    mismatch = BundleRefused(Code.FILE_MISMATCH, f"{entry.path} differs", {"path": entry.path})
    zip_entry = container.entry(entry.path)
    if zip_entry is None or zip_entry.size != entry.size:
        raise mismatch
    content = container.read(
        entry.path, limit=entry.size, over_limit=Code.FILE_MISMATCH, check_crc=False
    )
    if len(content) != entry.size or _sha256(content) != entry.sha256:
        raise mismatch
    return content


def _check_payload(
    manifest: Manifest, reports: Sequence[ReportData], files: Mapping[str, bytes]
) -> None:
    """Step 9 without templates: the data says what the signed manifest says."""
    by_id = {report.report_id: report for report in reports}
    if set(by_id) != {header.report_id for header in manifest.fields.reports}:
        raise BundleRefused(Code.BAD_DATA, "reports differ from the manifest", {"field": "reports"})
    for header in manifest.fields.reports:
        _check_report_matches(header, by_id[header.report_id], manifest.fields.sender.code)
    for entry in manifest.files:
        if entry.path != REPORTS_PATH and media_type_of(files[entry.path]) != entry.media_type:
            params = {"field": entry.path}
            raise BundleRefused(Code.BAD_DATA, "content is not its media type", params)


def _check_report_matches(header: ReportHeader, report: ReportData, sender_code: str) -> None:
    pairs = {
        "template_id": (header.template_id, report.template_id),
        "template_version": (header.template_version, report.template_version),
        "period": (header.period, report.period),
        "revision": (header.revision, report.revision),
        "supersedes": (header.supersedes, report.supersedes),
        "office": (sender_code, report.office.code),
        "approval": (
            (header.approved_by.name, header.approved_by.title, header.approved_at),
            (report.approval.name, report.approval.title, report.approval.approved_at),
        ),
    }
    for name, (signed, carried) in pairs.items():
        if signed != carried:
            field = f"{report.report_id}/{name}"
            params = {"field": field}
            raise BundleRefused(Code.BAD_DATA, f"{field} differs from the manifest", params)


def _clock_notices(created_at: str, now: datetime | None) -> tuple[Notice, ...]:
    """W02 when the sender's clock looks wrong; never a refusal (office clocks are unreliable)."""
    current = (now or datetime.now(UTC)).astimezone()
    created = datetime.fromisoformat(created_at)
    if current - CLOCK_BEHIND_TOLERANCE <= created <= current + CLOCK_AHEAD_TOLERANCE:
        return ()
    return (Notice(Code.CLOCK_OFF, {"created_at": created_at}),)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

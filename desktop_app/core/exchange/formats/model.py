"""The two signed JSON documents of a bundle, as typed values: the manifest and the report data.

Reading is strict JSON, then the published JSON Schema (unknown keys refused), then the rules a
schema cannot express. Writing produces canonical JSON (``strictjson.canonical_bytes``).
Schemas: ``resources/schema/manifest.schema.json`` and ``reports-data.schema.json``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.model import media, schemas, strictjson

MANIFEST_FORMAT = "baocao-bundle"
REPORTS_FORMAT = "baocao-reports"
FORMAT_VERSION = 1
REPORTS_PATH = "data/reports.json"
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_REPORTS_BYTES = 32 * 1024 * 1024
MEDIA_TYPES = {
    "json": "application/json",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
}
_HASHED_PATH = re.compile(r"(pdf|att)/(?P<sha256>[0-9a-f]{64})\.(?P<ext>pdf|png|jpg)")

Scalar = int | Decimal | float | str | bool | None


@dataclass(frozen=True)
class Office:
    code: str
    name: str

    @classmethod
    def from_json(cls, item: Mapping[str, str]) -> Office:
        """From ``{"code", "name"}`` as every signed file writes an office (schema-checked)."""
        return cls(item["code"], item["name"])

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class Person:
    name: str
    title: str


@dataclass(frozen=True)
class Supersedes:
    """The revision a report replaces, and the manifest that carried it (None if never sent)."""

    revision: int
    manifest_sha256: str | None


@dataclass(frozen=True)
class ReportHeader:
    """What the manifest says about one report revision (without its file list)."""

    report_id: str
    template_id: str
    template_version: int
    period: str
    revision: int
    supersedes: Supersedes | None
    approved_by: Person
    approved_at: str


@dataclass(frozen=True)
class ManifestReport:
    header: ReportHeader
    files: tuple[str, ...]


@dataclass(frozen=True)
class FileEntry:
    path: str
    sha256: str
    size: int
    media_type: str


@dataclass(frozen=True)
class ManifestFields:
    """What the caller decides for a new bundle; ``build_bundle`` adds files and totals."""

    bundle_id: str
    sender: Office
    recipient: Office
    seq: int
    prev_manifest_sha256: str | None
    created_at: str
    app_version: str
    reports: tuple[ReportHeader, ...]


@dataclass(frozen=True)
class Manifest:
    fields: ManifestFields
    reports: tuple[ManifestReport, ...]
    files: tuple[FileEntry, ...]

    @property
    def byte_count(self) -> int:
        return sum(entry.size for entry in self.files)


@dataclass(frozen=True)
class Approval:
    name: str
    title: str
    approved_at: str


@dataclass(frozen=True)
class ReportData:
    """One report revision as carried in ``data/reports.json``."""

    report_id: str
    template_id: str
    template_version: int
    period: str
    revision: int
    supersedes: Supersedes | None
    office: Office
    values: Mapping[str, Scalar]
    narratives: Mapping[str, str]
    comments: Mapping[str, str]
    approval: Approval
    # Format-2 templates (optional, written only when not empty): grid cells
    # {grid: {row: {column: figure}}} and list rows {list: [{column: figure}]}.
    grids: Mapping[str, Mapping[str, Mapping[str, Scalar]]] = field(default_factory=dict)
    lists: Mapping[str, Sequence[Mapping[str, Scalar]]] = field(default_factory=dict)
    # The names of the report's attachments {sha256: name}, each carried as an att/ entry
    # (optional, written only when not empty).
    attachments: Mapping[str, str] = field(default_factory=dict)


# --- manifest -------------------------------------------------------------------------------


def manifest_to_bytes(manifest: Manifest) -> bytes:
    fields = manifest.fields
    return strictjson.canonical_bytes(
        {
            "format": MANIFEST_FORMAT,
            "format_version": FORMAT_VERSION,
            "bundle_id": fields.bundle_id,
            "sender": fields.sender.to_json(),
            "recipient": fields.recipient.to_json(),
            "seq": fields.seq,
            "prev_manifest_sha256": fields.prev_manifest_sha256,
            "created_at": fields.created_at,
            "app_version": fields.app_version,
            "reports": [_manifest_report_json(report) for report in manifest.reports],
            "files": [_file_json(entry) for entry in manifest.files],
            "totals": {"file_count": len(manifest.files), "byte_count": manifest.byte_count},
        }
    )


def parse_manifest(payload: bytes, known_format_versions: Collection[int]) -> Manifest:
    """The signed manifest, or E17 (newer format) / E06 (anything else wrong)."""
    document = _strict(payload, MAX_MANIFEST_BYTES, Code.BAD_ENVELOPE, "manifest")
    _check_format_version(document, known_format_versions)
    _validate(document, "manifest.schema.json", Code.BAD_ENVELOPE, "manifest")
    manifest = _manifest_from_json(document)
    _check_manifest_rules(manifest, document["totals"])
    return manifest


def _check_format_version(document: Any, known: Collection[int]) -> None:
    """Judged before the schema: a newer manifest may legitimately have other fields."""
    if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
        raise BundleRefused(Code.BAD_ENVELOPE, "payload is not a bundle manifest")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleRefused(Code.BAD_ENVELOPE, "format_version is not a positive integer")
    if version not in known or version != FORMAT_VERSION:
        raise BundleRefused(Code.UNSUPPORTED_VERSION, f"format_version {version}")


def _manifest_from_json(document: Mapping[str, Any]) -> Manifest:
    reports = tuple(_manifest_report(item) for item in document["reports"])
    fields = ManifestFields(
        bundle_id=document["bundle_id"],
        sender=Office.from_json(document["sender"]),
        recipient=Office.from_json(document["recipient"]),
        seq=document["seq"],
        prev_manifest_sha256=document["prev_manifest_sha256"],
        created_at=document["created_at"],
        app_version=document["app_version"],
        reports=tuple(report.header for report in reports),
    )
    files = tuple(FileEntry(**item) for item in document["files"])
    return Manifest(fields, reports, files)


def _manifest_report(item: Mapping[str, Any]) -> ManifestReport:
    header = ReportHeader(
        report_id=item["report_id"],
        template_id=item["template_id"],
        template_version=item["template_version"],
        period=item["period"],
        revision=item["revision"],
        supersedes=_supersedes(item["supersedes"]),
        approved_by=Person(**item["approved_by"]),
        approved_at=item["approved_at"],
    )
    return ManifestReport(header, tuple(item["files"]))


def _check_manifest_rules(manifest: Manifest, totals: Mapping[str, int]) -> None:
    problems = [
        _chain_problem(manifest.fields),
        _timestamp_problem([manifest.fields.created_at]),
        _timestamp_problem([r.header.approved_at for r in manifest.reports]),
        _files_problem(manifest.files),
        _report_files_problem(manifest),
        _totals_problem(manifest, totals),
    ]
    for problem in problems:
        if problem:
            raise BundleRefused(Code.BAD_ENVELOPE, problem)


def _chain_problem(fields: ManifestFields) -> str:
    if (fields.seq == 1) != (fields.prev_manifest_sha256 is None):
        return "prev_manifest_sha256 must be null exactly when seq is 1"
    return ""


def _files_problem(files: Sequence[FileEntry]) -> str:
    paths = [entry.path for entry in files]
    if len(set(paths)) != len(paths):
        return "a path is listed twice"
    if REPORTS_PATH not in paths:
        return f"{REPORTS_PATH} is not listed"
    for entry in files:
        problem = _file_entry_problem(entry)
        if problem:
            return problem
    return ""


def _file_entry_problem(entry: FileEntry) -> str:
    extension = entry.path.rsplit(".", 1)[1]
    if entry.media_type != MEDIA_TYPES[extension]:
        return f"{entry.path}: media_type does not fit the name"
    match = _HASHED_PATH.fullmatch(entry.path)
    if match and match["sha256"] != entry.sha256:
        return f"{entry.path}: the name is not the file's SHA-256"
    return ""


def _report_files_problem(manifest: Manifest) -> str:
    listed = {entry.path for entry in manifest.files}
    ids = [report.header.report_id for report in manifest.reports]
    if len(set(ids)) != len(ids):
        return "a report_id is listed twice"
    for report in manifest.reports:
        if not set(report.files) <= listed:
            return f"report {report.header.report_id} names a file that is not listed"
    return ""


def _totals_problem(manifest: Manifest, totals: Mapping[str, int]) -> str:
    if totals != {"file_count": len(manifest.files), "byte_count": manifest.byte_count}:
        return "totals do not add up"
    return ""


# --- report data ----------------------------------------------------------------------------


def reports_to_bytes(reports: Sequence[ReportData]) -> bytes:
    """``data/reports.json`` for these reports, canonical JSON."""
    return strictjson.canonical_bytes(
        {
            "format": REPORTS_FORMAT,
            "format_version": FORMAT_VERSION,
            "reports": [_report_data_json(report) for report in reports],
        }
    )


def parse_reports(data: bytes) -> tuple[ReportData, ...]:
    """The report data, or E16 with the offending field named."""
    document = _strict(data, MAX_REPORTS_BYTES, Code.BAD_DATA, REPORTS_PATH)
    _validate(document, "reports-data.schema.json", Code.BAD_DATA, REPORTS_PATH)
    reports = tuple(_report_data(item) for item in document["reports"])
    ids = [report.report_id for report in reports]
    if len(set(ids)) != len(ids):
        raise BundleRefused(Code.BAD_DATA, "a report_id appears twice", {"field": "reports"})
    stamps = [report.approval.approved_at for report in reports]
    problem = _timestamp_problem(stamps)
    if problem:
        raise BundleRefused(Code.BAD_DATA, problem, {"field": "approval.approved_at"})
    return reports


def _report_data(item: Mapping[str, Any]) -> ReportData:
    return ReportData(
        report_id=item["report_id"],
        template_id=item["template_id"],
        template_version=item["template_version"],
        period=item["period"],
        revision=item["revision"],
        supersedes=_supersedes(item["supersedes"]),
        office=Office.from_json(item["office"]),
        values=dict(item["values"]),
        narratives=dict(item["narratives"]),
        comments=dict(item["comments"]),
        approval=Approval(**item["approval"]),
        grids=item.get("grids", {}),
        lists=item.get("lists", {}),
        attachments=item.get("attachments", {}),
    )


def _report_data_json(report: ReportData) -> dict[str, Any]:
    return {
        "report_id": report.report_id,
        "template_id": report.template_id,
        "template_version": report.template_version,
        "period": report.period,
        "revision": report.revision,
        "supersedes": _supersedes_json(report.supersedes),
        "office": report.office.to_json(),
        "values": dict(report.values),
        "narratives": dict(report.narratives),
        "comments": dict(report.comments),
        "approval": {
            "name": report.approval.name,
            "title": report.approval.title,
            "approved_at": report.approval.approved_at,
        },
        **({"grids": report.grids} if report.grids else {}),
        **({"lists": report.lists} if report.lists else {}),
        **({"attachments": report.attachments} if report.attachments else {}),
    }


# --- shared pieces --------------------------------------------------------------------------


def _strict(data: bytes, max_bytes: int, code: Code, what: str) -> Any:
    try:
        return strictjson.parse(data, max_bytes=max_bytes)
    except strictjson.StrictJSONError as error:
        raise BundleRefused(code, error.reason, {"field": what}) from error


def _validate(document: Any, schema_name: str, code: Code, what: str) -> None:
    found = schemas.violation(document, schema_name)
    if found is not None:
        where = found.slashed or what
        raise BundleRefused(code, f"{where}: {found.message}", {"field": where})


def _timestamp_problem(stamps: Sequence[str]) -> str:
    for stamp in stamps:
        try:
            datetime.fromisoformat(stamp)
        except ValueError:
            return f"not a real date and time: {stamp}"
    return ""


def _supersedes(item: Mapping[str, Any] | None) -> Supersedes | None:
    return None if item is None else Supersedes(item["revision"], item["manifest_sha256"])


def _supersedes_json(supersedes: Supersedes | None) -> dict[str, Any] | None:
    if supersedes is None:
        return None
    return {"revision": supersedes.revision, "manifest_sha256": supersedes.manifest_sha256}


def _manifest_report_json(report: ManifestReport) -> dict[str, Any]:
    header = report.header
    return {
        "report_id": header.report_id,
        "template_id": header.template_id,
        "template_version": header.template_version,
        "period": header.period,
        "revision": header.revision,
        "supersedes": _supersedes_json(header.supersedes),
        "approved_by": {"name": header.approved_by.name, "title": header.approved_by.title},
        "approved_at": header.approved_at,
        "files": list(report.files),
    }


def _file_json(entry: FileEntry) -> dict[str, Any]:
    return {
        "path": entry.path,
        "sha256": entry.sha256,
        "size": entry.size,
        "media_type": entry.media_type,
    }


def media_type_of(content: bytes) -> str | None:
    """The media type of a PDF, PNG or JPEG by its first bytes; None for anything else."""
    return media.sniff(content)

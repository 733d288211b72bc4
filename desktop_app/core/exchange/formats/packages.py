"""The two signed files that come down from the upper office, without a database.

A configuration package (``.cauhinh``) carries templates, the schedule, the subordinate units and
the trust list; a receipt (``.biennhan``) says which reports of a bundle were accepted or
returned. Both are a bare DSSE envelope (``dsse.to_bytes``) over canonical JSON, signed by the
upper office's key. Formats: ``docs/bundle-format.md`` §10–§11; schemas:
``resources/schema/config.schema.json`` and ``receipt.schema.json``.

Readers raise ``BundleRefused`` with the codes of DESIGN §10 and nothing else. What needs the
store stays with the caller: pinning the issuer's key after the clerk compared fingerprints,
refusing a package version that is not newer (E18), installing templates (the template loader
re-checks their meaning), and matching receipt items against the outbox.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop_app.core.exchange.formats import dsse
from desktop_app.core.exchange.formats.bundle import BundleSigner, InvalidBundleInput, TrustedKey
from desktop_app.core.exchange.formats.codes import BundleRefused, Code, ParamValue
from desktop_app.core.exchange.formats.keys import (
    PUBLIC_KEY_BYTES,
    fingerprint,
    fingerprint_of_key_id,
    key_id,
)
from desktop_app.core.exchange.formats.model import Office
from desktop_app.core.model import schemas, strictjson
from desktop_app.core.model.offices import OFFICE_CODE

CONFIG_FORMAT = "baocao-config"
RECEIPT_FORMAT = "baocao-receipt"
FORMAT_VERSION = 1
KNOWN_FORMAT_VERSIONS = frozenset({FORMAT_VERSION})
MEBIBYTE = 1024 * 1024
MAX_CONFIG_BYTES = 4 * MEBIBYTE
MAX_RECEIPT_BYTES = 1 * MEBIBYTE
MAX_VERSION = 999999
CONFIG_EXTENSION = ".cauhinh"
RECEIPT_EXTENSION = ".biennhan"
ACCEPTED = "accepted"
RETURNED = "returned"
EVERY_UNIT = "*"
MAX_DETAIL_CHARS = 300  # log notes quote hostile values; keep them short
_TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{1,63}")

# Catalogue keys are "<kind>.<code>" (resources/messages/packages.<lang>.json): the codes are
# those of bundles, the sentences speak of configuration packages or receipts.
CONFIG_KIND = "config"
RECEIPT_KIND = "receipt"
CONFIRM_ISSUER_MESSAGE = "config.confirm_issuer"


class InvalidPackageInput(InvalidBundleInput):
    """A builder was given something a reader would refuse; ``code`` is the refusal it earned."""


# --- configuration package: values ----------------------------------------------------------


@dataclass(frozen=True)
class ScheduleEntry:
    """Cut-off and deadline (``YYYY-MM-DD``) for one template and period, for one unit or all."""

    template_id: str
    period: str
    unit_code: str  # an office code, or EVERY_UNIT
    cutoff: str
    deadline: str


@dataclass(frozen=True)
class Unit:
    """A subordinate office as the upper office lists it, with its validity dates."""

    code: str
    name: str
    level: str
    block: str
    parent_code: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass(frozen=True)
class PackageKey:
    """One entry of the trust list the package carries; the key id is always computed."""

    office_code: str
    office_name: str
    public_raw: bytes
    revoked_after_seq: int | None = None

    @property
    def key_id(self) -> str:
        return key_id(self.public_raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    def trusted_key(self) -> TrustedKey:
        """The entry as the bundle verifier takes it."""
        return TrustedKey(self.key_id, self.office_code, self.public_raw, self.revoked_after_seq)


@dataclass(frozen=True)
class ServiceAddress:
    """The upper office's receiving service (optional in a package): where to upload, and the
    SHA-256 of its TLS certificate for the lower office to pin (None for loopback HTTP)."""

    url: str
    tls_certificate_sha256: str | None


@dataclass(frozen=True)
class CarriedAnchor:
    """A CA certificate the issuer has its offices trust for PDF signatures (optional in a
    package): the DER bytes, a name for people and where the issuer got it. The reader checks
    the fingerprint; whether it is a usable CA is the installer's to judge (``signing.trust``).
    """

    name: str
    source: str
    der: bytes

    @property
    def sha256(self) -> str:
        return _sha256(self.der)


@dataclass(frozen=True)
class ConfigFields:
    """What the issuer decides for a package; the builder adds the issuer's public key."""

    package_id: str
    issuer: Office
    version: int
    created_at: str
    templates: tuple[Mapping[str, Any], ...]
    schedule: tuple[ScheduleEntry, ...]
    units: tuple[Unit, ...]
    trusted_keys: tuple[PackageKey, ...]
    service: ServiceAddress | None = None
    trust_anchors: tuple[CarriedAnchor, ...] = ()


@dataclass(frozen=True)
class BuiltPackage:
    data: bytes
    file_name: str
    sha256: str


@dataclass(frozen=True)
class ConfigPackage:
    """A package whose signature verified.

    ``pinned`` is False on first install: the signature then only proves the package was signed
    by the key it carries, and the clerk must compare ``signer_fingerprint`` with the paper sheet
    before the caller pins ``issuer_key``.
    """

    fields: ConfigFields
    sha256: str
    payload_sha256: str
    signer_key_id: str
    issuer_public_raw: bytes
    pinned: bool

    @property
    def version(self) -> int:
        return self.fields.version

    @property
    def issuer(self) -> Office:
        return self.fields.issuer

    @property
    def signer_fingerprint(self) -> str:
        return fingerprint(self.issuer_public_raw)

    @property
    def issuer_key(self) -> TrustedKey:
        """What to pin once the clerk has confirmed the fingerprint."""
        return TrustedKey(self.signer_key_id, self.issuer.code, self.issuer_public_raw)

    def template_bytes(self) -> tuple[bytes, ...]:
        """Each template as canonical JSON bytes, ready for ``templates.load_template_bytes``."""
        return tuple(strictjson.canonical_bytes(t) for t in self.fields.templates)


# --- receipt: values ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptItem:
    """What became of one report revision carried by the recipient's bundle number ``seq``."""

    seq: int
    manifest_sha256: str
    report_id: str
    revision: int
    status: str  # ACCEPTED or RETURNED
    comment: str = ""


@dataclass(frozen=True)
class ReceiptFields:
    receipt_id: str
    issuer: Office
    recipient: Office
    created_at: str
    items: tuple[ReceiptItem, ...]


@dataclass(frozen=True)
class Receipt:
    """A receipt whose signature by the expected issuer verified, addressed to this office."""

    fields: ReceiptFields
    sha256: str
    payload_sha256: str
    signer_key_id: str

    @property
    def accepted(self) -> tuple[ReceiptItem, ...]:
        return tuple(item for item in self.fields.items if item.status == ACCEPTED)

    @property
    def returned(self) -> tuple[ReceiptItem, ...]:
        return tuple(item for item in self.fields.items if item.status == RETURNED)


# --- file names -----------------------------------------------------------------------------


def config_file_name(issuer_code: str, version: int) -> str:
    """``CH_<issuer code>_<version:06d>.cauhinh``."""
    if not OFFICE_CODE.fullmatch(issuer_code) or not 1 <= version <= MAX_VERSION:
        raise ValueError("issuer code or version out of range")
    return f"CH_{issuer_code}_{version:06d}{CONFIG_EXTENSION}"


def receipt_file_name(issuer_code: str, recipient_code: str, created_at: str) -> str:
    """``BN_<issuer>_<recipient>_<yyyymmddHHMMSS>.biennhan``, the time as written in created_at."""
    if not (OFFICE_CODE.fullmatch(issuer_code) and OFFICE_CODE.fullmatch(recipient_code)):
        raise ValueError("office code out of range")
    stamp = datetime.fromisoformat(created_at).strftime("%Y%m%d%H%M%S")
    return f"BN_{issuer_code}_{recipient_code}_{stamp}{RECEIPT_EXTENSION}"


def catalogue_key(kind: str, code: Code) -> str:
    """The catalogue key of a refusal of a package of ``kind`` (CONFIG_KIND or RECEIPT_KIND)."""
    if kind not in (CONFIG_KIND, RECEIPT_KIND):
        raise ValueError(f"unknown package kind {kind!r}")
    return f"{kind}.{code.value}"


# --- configuration package: building and reading --------------------------------------------


def build_config_package(fields: ConfigFields, signer: BundleSigner) -> BuiltPackage:
    """Sign a package; raise ``InvalidPackageInput`` for anything a reader would refuse."""
    body = _canonical(_config_json(fields, signer.public_raw))
    data = dsse.to_bytes(dsse.sign(dsse.CONFIG_TYPE, body, [signer]))
    own = TrustedKey(signer.key_id, fields.issuer.code, signer.public_raw)
    try:
        read_config_package(data, own)
    except BundleRefused as refusal:
        raise InvalidPackageInput(refusal.detail, refusal.code) from refusal
    return BuiltPackage(data, config_file_name(fields.issuer.code, fields.version), _sha256(data))


def read_config_package(data: bytes, pinned_issuer: TrustedKey | None) -> ConfigPackage:
    """Verify an untrusted package against the pinned issuer key, or on first install
    (``pinned_issuer`` None) against the key it carries. Raises ``BundleRefused`` only."""
    _check_size(data, MAX_CONFIG_BYTES)
    envelope = _open_envelope(data, dsse.CONFIG_TYPE, MAX_CONFIG_BYTES)
    document = _verified_config_document(envelope, pinned_issuer)
    fields = _config_from_json(document)
    signer_id = envelope.signatures[0].keyid
    issuer_public_raw = _public_key(document["issuer_public_key"], "issuer_public_key")
    if key_id(issuer_public_raw) != signer_id:
        raise _bad_envelope("issuer_public_key is not the signing key", "issuer_public_key")
    if pinned_issuer is not None:
        _check_pinned_issuer(fields, pinned_issuer)
    return ConfigPackage(
        fields=fields,
        sha256=_sha256(data),
        payload_sha256=_sha256(envelope.payload),
        signer_key_id=signer_id,
        issuer_public_raw=issuer_public_raw,
        pinned=pinned_issuer is not None,
    )


def _verified_config_document(
    envelope: dsse.Envelope, pinned_issuer: TrustedKey | None
) -> dict[str, Any]:
    """The payload document, once the signature verified (E07, E08; E06/E17 for the payload)."""
    signer_id = envelope.signatures[0].keyid
    if pinned_issuer is None:
        # First install: the key travels inside, so the document is read before the signature.
        document = _payload_document(envelope.payload, MAX_CONFIG_BYTES, CONFIG_FORMAT)
        carried = _public_key(document.get("issuer_public_key"), "issuer_public_key")
        _expect_signer(signer_id, key_id(carried))
        _verify_signature(envelope, dsse.CONFIG_TYPE, carried)
        return document
    _expect_signer(signer_id, pinned_issuer.key_id)
    _verify_signature(envelope, dsse.CONFIG_TYPE, pinned_issuer.public_raw)
    return _payload_document(envelope.payload, MAX_CONFIG_BYTES, CONFIG_FORMAT)


def _check_pinned_issuer(fields: ConfigFields, pinned: TrustedKey) -> None:
    if fields.issuer.code != pinned.office_code:
        params = {"key_office": pinned.office_code, "claimed_office": fields.issuer.code}
        raise BundleRefused(Code.WRONG_OFFICE, "key belongs to another office", params)
    revoked_after = pinned.revoked_after_seq
    if revoked_after is not None and fields.version > revoked_after:
        raise BundleRefused(
            Code.KEY_REVOKED,
            "issuer key revoked for this version",
            {"revoked_after_seq": revoked_after, "version": fields.version},
        )


def _config_json(fields: ConfigFields, issuer_public_raw: bytes) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": CONFIG_FORMAT,
        "format_version": FORMAT_VERSION,
        "package_id": fields.package_id,
        "issuer": fields.issuer.to_json(),
        "issuer_public_key": _b64(issuer_public_raw),
        "version": fields.version,
        "created_at": fields.created_at,
        "templates": list(fields.templates),
        "schedule": [_schedule_json(entry) for entry in fields.schedule],
        "units": [_unit_json(unit) for unit in fields.units],
        "trusted_keys": [_package_key_json(key) for key in fields.trusted_keys],
    }
    # Written only when there is a service: a package without one stays byte for byte what
    # readers before issue 16 accept (they refuse unknown keys).
    if fields.service is not None:
        document["service"] = {
            "url": fields.service.url,
            "tls_certificate_sha256": fields.service.tls_certificate_sha256,
        }
    # Likewise only when the issuer has CAs to pass on (§10.5).
    if fields.trust_anchors:
        document["trust_anchors"] = [_anchor_json(anchor) for anchor in fields.trust_anchors]
    return document


def _anchor_json(anchor: CarriedAnchor) -> dict[str, Any]:
    return {
        "name": anchor.name,
        "source": anchor.source,
        "certificate": _b64(anchor.der),
        "sha256": anchor.sha256,
    }


def _schedule_json(entry: ScheduleEntry) -> dict[str, Any]:
    return {
        "template_id": entry.template_id,
        "period": entry.period,
        "unit_code": entry.unit_code,
        "cutoff": entry.cutoff,
        "deadline": entry.deadline,
    }


def _unit_json(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "block": unit.block,
        "parent_code": unit.parent_code,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def _package_key_json(key: PackageKey) -> dict[str, Any]:
    return {
        "key_id": key.key_id,
        "office_code": key.office_code,
        "office_name": key.office_name,
        "public_key": _b64(key.public_raw),
        "revoked_after_seq": key.revoked_after_seq,
    }


def _config_from_json(document: Mapping[str, Any]) -> ConfigFields:
    _validate(document, "config.schema.json")
    templates = tuple(_checked_template(t, i) for i, t in enumerate(document["templates"]))
    fields = ConfigFields(
        package_id=document["package_id"],
        issuer=Office.from_json(document["issuer"]),
        version=document["version"],
        created_at=_real_time(document["created_at"], "created_at"),
        templates=templates,
        schedule=tuple(ScheduleEntry(**entry) for entry in document["schedule"]),
        units=tuple(Unit(**unit) for unit in document["units"]),
        trusted_keys=tuple(_package_key(k, i) for i, k in enumerate(document["trusted_keys"])),
        service=_service(document.get("service")),
        trust_anchors=tuple(
            _carried_anchor(a, i) for i, a in enumerate(document.get("trust_anchors", ()))
        ),
    )
    _check_templates_unique(fields.templates)
    _check_schedule(fields.schedule)
    _check_units(fields.units)
    _check_unique((k.key_id for k in fields.trusted_keys), "trusted_keys", "key_id")
    _check_unique((a.sha256 for a in fields.trust_anchors), "trust_anchors", "sha256")
    return fields


def _service(item: Mapping[str, Any] | None) -> ServiceAddress | None:
    if item is None:
        return None
    return ServiceAddress(item["url"], item["tls_certificate_sha256"])


def _carried_anchor(item: Mapping[str, Any], index: int) -> CarriedAnchor:
    """The certificate must be canonical base64 and hash to the ``sha256`` written beside it."""
    where = f"trust_anchors/{index}"
    der = _canonical_b64(item["certificate"], f"{where}/certificate")
    anchor = CarriedAnchor(item["name"], item["source"], der)
    if anchor.sha256 != item["sha256"]:
        raise _bad_envelope("sha256 is not the hash of certificate", f"{where}/sha256")
    return anchor


def _checked_template(template: Mapping[str, Any], index: int) -> Mapping[str, Any]:
    """Each template must pass the template schema; E16 names the template and the field."""
    format_2 = template.get("format_version") == 2
    found = schemas.violation(
        template, "template-v2.schema.json" if format_2 else "template.schema.json"
    )
    if found is not None:
        name = _template_name(template, index)
        where = found.slashed or "template"
        params = {"template_id": name, "field": where}
        detail = f"template {name}: {where}: {found.message}"[:MAX_DETAIL_CHARS]
        raise BundleRefused(Code.BAD_DATA, detail, params)
    return template


def _template_name(template: Mapping[str, Any], index: int) -> str:
    """The template's id when it is a well-formed one, else its position (never hostile text)."""
    candidate = template.get("id")
    if isinstance(candidate, str) and _TEMPLATE_ID.fullmatch(candidate):
        return candidate
    return f"templates[{index}]"


def _check_templates_unique(templates: Sequence[Mapping[str, Any]]) -> None:
    seen: set[tuple[str, int]] = set()
    for template in templates:
        name = (template["id"], template["version"])
        if name in seen:
            params = {"template_id": name[0], "field": "version"}
            raise BundleRefused(Code.BAD_DATA, f"template {name} listed twice", params)
        seen.add(name)


def _check_schedule(schedule: Sequence[ScheduleEntry]) -> None:
    for index, entry in enumerate(schedule):
        where = f"schedule/{index}"
        cutoff = _real_date(entry.cutoff, f"{where}/cutoff")
        if cutoff > _real_date(entry.deadline, f"{where}/deadline"):
            raise _bad_envelope("cut-off after deadline", where)
    keys = ((e.template_id, e.period, e.unit_code) for e in schedule)
    _check_unique(keys, "schedule", "template_id, period, unit_code")


def _check_units(units: Sequence[Unit]) -> None:
    for index, unit in enumerate(units):
        where = f"units/{index}"
        if unit.parent_code == unit.code:
            raise _bad_envelope("a unit is its own parent", f"{where}/parent_code")
        start = _optional_date(unit.valid_from, f"{where}/valid_from")
        end = _optional_date(unit.valid_to, f"{where}/valid_to")
        if start and end and start > end:
            raise _bad_envelope("valid_from after valid_to", where)
    _check_unique((unit.code for unit in units), "units", "code")


def _package_key(item: Mapping[str, Any], index: int) -> PackageKey:
    where = f"trusted_keys/{index}"
    public_raw = _public_key(item["public_key"], f"{where}/public_key")
    if item["key_id"] != key_id(public_raw):
        raise _bad_envelope("key_id is not the hash of public_key", f"{where}/key_id")
    return PackageKey(
        office_code=item["office_code"],
        office_name=item["office_name"],
        public_raw=public_raw,
        revoked_after_seq=item["revoked_after_seq"],
    )


# --- receipt: building and reading ----------------------------------------------------------


def build_receipt(fields: ReceiptFields, signer: BundleSigner) -> BuiltPackage:
    """Sign a receipt; raise ``InvalidPackageInput`` for anything a reader would refuse."""
    body = _canonical(_receipt_json(fields))
    data = dsse.to_bytes(dsse.sign(dsse.RECEIPT_TYPE, body, [signer]))
    own = TrustedKey(signer.key_id, fields.issuer.code, signer.public_raw)
    try:
        read_receipt(data, own, fields.recipient.code)
    except BundleRefused as refusal:
        raise InvalidPackageInput(refusal.detail, refusal.code) from refusal
    name = receipt_file_name(fields.issuer.code, fields.recipient.code, fields.created_at)
    return BuiltPackage(data, name, _sha256(data))


def read_receipt(data: bytes, issuer: TrustedKey, this_office_code: str) -> Receipt:
    """Verify an untrusted receipt from ``issuer`` (the upper office's trusted key) addressed to
    ``this_office_code``. Raises ``BundleRefused`` only."""
    _check_size(data, MAX_RECEIPT_BYTES)
    envelope = _open_envelope(data, dsse.RECEIPT_TYPE, MAX_RECEIPT_BYTES)
    signer_id = envelope.signatures[0].keyid
    _expect_signer(signer_id, issuer.key_id)
    _verify_signature(envelope, dsse.RECEIPT_TYPE, issuer.public_raw)
    document = _payload_document(envelope.payload, MAX_RECEIPT_BYTES, RECEIPT_FORMAT)
    fields = _receipt_from_json(document)
    if fields.issuer.code != issuer.office_code:
        params = {"key_office": issuer.office_code, "claimed_office": fields.issuer.code}
        raise BundleRefused(Code.WRONG_OFFICE, "key belongs to another office", params)
    if fields.recipient.code != this_office_code:
        params = {"recipient": fields.recipient.name, "recipient_code": fields.recipient.code}
        raise BundleRefused(Code.NOT_FOR_US, "addressed to another office", params)
    return Receipt(fields, _sha256(data), _sha256(envelope.payload), signer_id)


def _receipt_json(fields: ReceiptFields) -> dict[str, Any]:
    return {
        "format": RECEIPT_FORMAT,
        "format_version": FORMAT_VERSION,
        "receipt_id": fields.receipt_id,
        "issuer": fields.issuer.to_json(),
        "recipient": fields.recipient.to_json(),
        "created_at": fields.created_at,
        "items": [
            {
                "seq": item.seq,
                "manifest_sha256": item.manifest_sha256,
                "report_id": item.report_id,
                "revision": item.revision,
                "status": item.status,
                "comment": item.comment,
            }
            for item in fields.items
        ],
    }


def _receipt_from_json(document: Mapping[str, Any]) -> ReceiptFields:
    _validate(document, "receipt.schema.json")
    fields = ReceiptFields(
        receipt_id=document["receipt_id"],
        issuer=Office.from_json(document["issuer"]),
        recipient=Office.from_json(document["recipient"]),
        created_at=_real_time(document["created_at"], "created_at"),
        items=tuple(ReceiptItem(**item) for item in document["items"]),
    )
    _check_receipt_items(fields.items)
    return fields


def _check_receipt_items(items: Sequence[ReceiptItem]) -> None:
    """Each revision once, and one manifest per sequence number (a bundle has one manifest)."""
    _check_unique(((i.seq, i.report_id, i.revision) for i in items), "items", "report_id")
    manifest_of_seq: dict[int, str] = {}
    for index, item in enumerate(items):
        known = manifest_of_seq.setdefault(item.seq, item.manifest_sha256)
        if known != item.manifest_sha256:
            raise _bad_envelope("one seq with two manifests", f"items/{index}/manifest_sha256")
    if len(set(manifest_of_seq.values())) != len(manifest_of_seq):
        raise _bad_envelope("one manifest under two seqs", "items")


# --- shared steps ---------------------------------------------------------------------------


def _check_size(data: bytes, limit: int) -> None:
    if len(data) > limit:
        params = {"limit_mb": limit // MEBIBYTE}
        raise BundleRefused(Code.TOO_LARGE, f"larger than {limit} bytes", params)


def _open_envelope(data: bytes, payload_type: str, limit: int) -> dsse.Envelope:
    try:
        envelope = dsse.parse(data, payload_type, max_bytes=limit)
    except dsse.EnvelopeError as error:
        raise BundleRefused(Code.BAD_ENVELOPE, error.reason) from error
    if len(envelope.signatures) != 1:
        raise BundleRefused(Code.BAD_ENVELOPE, "exactly one signature is expected")
    return envelope


def _expect_signer(signer_id: str, expected_id: str) -> None:
    if signer_id != expected_id:
        params = {"key_id": signer_id, "fingerprint": fingerprint_of_key_id(signer_id)}
        raise BundleRefused(Code.UNKNOWN_SIGNER, f"signed by {signer_id}", params)


def _verify_signature(envelope: dsse.Envelope, payload_type: str, public_raw: bytes) -> None:
    signer_id = envelope.signatures[0].keyid
    if not dsse.verify(envelope, payload_type, {signer_id: public_raw}):
        raise BundleRefused(Code.BAD_SIGNATURE, "Ed25519 signature over PAE does not verify")


def _payload_document(payload: bytes, limit: int, format_name: str) -> dict[str, Any]:
    """Strict JSON of the right format; the version is judged before the schema (as bundles)."""
    try:
        document = strictjson.parse(payload, max_bytes=limit)
    except strictjson.StrictJSONError as error:
        raise _bad_envelope(error.reason, "payload") from error
    if not isinstance(document, dict) or document.get("format") != format_name:
        raise _bad_envelope(f"payload is not {format_name}", "format")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad_envelope("format_version is not a positive integer", "format_version")
    if version not in KNOWN_FORMAT_VERSIONS:
        raise BundleRefused(
            Code.UNSUPPORTED_VERSION, f"format_version {version}", {"format_version": version}
        )
    return document


def _validate(document: Mapping[str, Any], schema_name: str) -> None:
    found = schemas.violation(document, schema_name)
    if found is not None:
        raise _bad_envelope(found.message[:MAX_DETAIL_CHARS], found.slashed or "payload")


def _check_unique(keys: Iterable[object], where: str, what: str) -> None:
    seen: set[object] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise _bad_envelope(f"{what} listed twice", f"{where}/{index}")
        seen.add(key)


def _real_time(stamp: str, where: str) -> str:
    try:
        datetime.fromisoformat(stamp)
    except ValueError as error:
        raise _bad_envelope(f"not a real date and time: {stamp}", where) from error
    return stamp


def _real_date(day: str, where: str) -> date:
    try:
        return date.fromisoformat(day)
    except ValueError as error:
        raise _bad_envelope(f"not a real date: {day}", where) from error


def _optional_date(day: str | None, where: str) -> date | None:
    return None if day is None else _real_date(day, where)


def _public_key(value: Any, where: str) -> bytes:
    """32 raw bytes in canonical standard base64, or E06."""
    raw = _canonical_b64(value, where)
    if len(raw) != PUBLIC_KEY_BYTES:
        raise _bad_envelope("public key is not 32 bytes of canonical base64", where)
    return raw


def _canonical_b64(value: Any, where: str) -> bytes:
    """Bytes written in canonical standard base64 (§1.3), or E06."""
    if not isinstance(value, str) or not value.isascii():
        raise _bad_envelope("not base64 text", where)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise _bad_envelope("not standard base64", where) from error
    if _b64(raw) != value:
        raise _bad_envelope("not canonical base64", where)
    return raw


def _bad_envelope(detail: str, field: str) -> BundleRefused:
    params: dict[str, ParamValue] = {"field": field}
    return BundleRefused(Code.BAD_ENVELOPE, f"{field}: {detail}", params)


def _canonical(document: Mapping[str, Any]) -> bytes:
    try:
        return strictjson.canonical_bytes(document)
    except strictjson.StrictJSONError as error:
        raise InvalidPackageInput(error.reason, Code.BAD_ENVELOPE) from error


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

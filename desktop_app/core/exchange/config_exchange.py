"""Configuration packages (coming down) and receipts (coming back) in the store.

Upper office: a package carries its templates, schedule overrides, units and the trust list,
with a version that only rises; a receipt tells a unit which of its reports were accepted or
returned. Lower office: the first package pins the issuer's key, after the clerk compared its
fingerprint with paper; later packages must come from that key with a higher version (E18
otherwise); a receipt marks exported reports acknowledged, or reopens a returned one as a new
revision with the upper office's comment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError, phrase
from desktop_app.core.exchange import approval, keyring, published
from desktop_app.core.exchange.formats.bundle import TrustedKey
from desktop_app.core.exchange.formats.codes import BundleRefused, Code
from desktop_app.core.exchange.formats.keys import OfficeKey
from desktop_app.core.exchange.formats.model import Office as WireOffice
from desktop_app.core.exchange.formats.packages import (
    CONFIG_KIND,
    RECEIPT_KIND,
    BuiltPackage,
    CarriedAnchor,
    ConfigFields,
    ConfigPackage,
    PackageKey,
    Receipt,
    ReceiptFields,
    ReceiptItem,
    ScheduleEntry,
    Unit,
    build_config_package,
    build_receipt,
    catalogue_key,
    read_config_package,
    read_receipt,
)
from desktop_app.core.model.offices import Office, add_unit, get_office
from desktop_app.core.reports import schedule
from desktop_app.core.reports import status as report_status
from desktop_app.core.reports.records import audit
from desktop_app.core.reports.status import Status
from desktop_app.core.reports.templates import Template, load_template_bytes
from desktop_app.core.signing import trust
from desktop_app.core.store.database import write_transaction

Confirm = Callable[[ConfigPackage], bool]


class PackageRefused(CoreError):
    """A package or receipt refused; ``code`` is a catalogue key such as ``config.E08``."""


def _refused(kind: str, refusal: BundleRefused) -> PackageRefused:
    return PackageRefused(catalogue_key(kind, refusal.code), **refusal.params)


# --- upper office: build ---------------------------------------------------------------------


def build_config(
    db: Database,
    office: Office,
    templates: Iterable[Template],
    units: Iterable[Office],
    key: OfficeKey,
) -> BuiltPackage:
    templates = list(templates)
    version = _last_version(db, "built") + 1
    fields = ConfigFields(
        package_id=str(uuid.uuid4()),
        issuer=WireOffice(office.code, office.name),
        version=version,
        created_at=timestamp(),
        templates=tuple(dict(t.raw) for t in templates),
        schedule=_schedule_rows(db, templates),
        units=tuple(_wire_unit(u) for u in units),
        trusted_keys=_unit_keys(db),
        service=published.announced(db),
        trust_anchors=_passed_on_anchors(db),
    )
    built = build_config_package(fields, key)
    with write_transaction(db):
        _record_package(db, version, office.code, key.key_id, built.sha256, "built")
        published.keep(db, published.CONFIG, built)
    return built


def _passed_on_anchors(db: Database) -> tuple[CarriedAnchor, ...]:
    """The CAs this office trusts beyond the shipped ones (added with ``baocao trust ca add``
    or received from its own issuer): its units are to recognise the same signatures."""
    return tuple(
        CarriedAnchor(anchor.name or anchor.subject, anchor.source, anchor.der)
        for anchor in trust.kept_anchors(db)
    )


def _schedule_rows(db: Database, templates: Iterable[Template]) -> tuple[ScheduleEntry, ...]:
    """Every override row, each with both dates: a row that moves only one date carries the
    other as this office resolves it (the ``*`` row, else the template's rule), because a
    package entry always names both (docs/bundle-format.md §10.2)."""
    by_id = {template.id: template for template in templates}
    rows = db.execute(
        "SELECT template_id, period, unit_code, cutoff, deadline FROM schedule ORDER BY 1, 2, 3"
    ).fetchall()
    entries = []
    for template_id, period_code, unit_code, cutoff, deadline in rows:
        if cutoff is None or deadline is None:
            template = by_id.get(template_id)
            if template is None:
                raise CoreError("template.not_installed", id=template_id)
            cutoff, deadline = _resolved(db, template, period_code, unit_code)
        entries.append(ScheduleEntry(template_id, period_code, unit_code, cutoff, deadline))
    return tuple(entries)


def _resolved(
    db: Database, template: Template, period_code: str, unit_code: str
) -> tuple[str, str]:
    """Both dates of one override row as the unit it names will see them (for ``*``: what
    the ``*`` row gives a unit without a row of its own)."""
    period = schedule.period_of(template, period_code)
    due = schedule.unit_due_dates(db, template, period, unit_code)
    if due.cutoff is None or due.deadline is None:
        raise CoreError("schedule.needs_dates", template=template.id, period=period_code)
    return due.cutoff.isoformat(), due.deadline.isoformat()


def _wire_unit(unit: Office) -> Unit:
    return Unit(
        unit.code,
        unit.name,
        unit.level,
        unit.block,
        unit.parent_code,
        unit.valid_from,
        unit.valid_to,
    )


def _unit_keys(db: Database) -> tuple[PackageKey, ...]:
    rows = db.execute(
        "SELECT office_code, office_name, public_key, revoked_after_seq FROM trusted_keys "
        "WHERE role = 'unit' ORDER BY office_code, key_id"
    ).fetchall()
    return tuple(PackageKey(code, name, bytes(raw), revoked) for code, name, raw, revoked in rows)


def _last_version(db: Database, direction: str) -> int:
    row = db.execute(
        "SELECT COALESCE(MAX(version), 0) FROM config_packages WHERE direction = ?", [direction]
    ).fetchone()
    return int(row[0])


def _record_package(
    db: Database, version: int, issuer: str, key_id: str, sha256: str, direction: str
) -> None:
    db.table("config_packages").insert(
        {
            "version": version,
            "issuer_code": issuer,
            "issuer_key_id": key_id,
            "sha256": sha256,
            "direction": direction,
            "at": timestamp(),
        },
        replace=True,
    )


# --- lower office: install -------------------------------------------------------------------


def read_config(db: Database, data: bytes) -> ConfigPackage:
    """Check a package; the first one is read with the key it carries (to be confirmed)."""
    pinned = keyring.issuer_key(db)
    try:
        package = read_config_package(data, pinned)
    except BundleRefused as refusal:
        raise _refused(CONFIG_KIND, refusal) from refusal
    current = _last_version(db, "installed")
    if package.version <= current:
        raise PackageRefused(
            catalogue_key(CONFIG_KIND, Code.TRUST_LIST_OLD),
            version=package.version,
            current_version=current,
        )
    _check_carried_anchors(package)
    return package


def _check_carried_anchors(package: ConfigPackage) -> None:
    """Every CA the package carries must be a CA certificate that had not expired when the
    package was made; one that is not refuses the whole package (§10.5)."""
    made_at = datetime.fromisoformat(package.fields.created_at)
    for position, anchor in enumerate(package.fields.trust_anchors, start=1):
        try:
            trust.checked_ca(anchor.der, made_at)
        except CoreError as error:
            raise PackageRefused(
                "config.bad_ca",
                position=position,
                name=anchor.name,
                problem=phrase(error.code, **error.params),
            ) from error


@dataclass(frozen=True)
class InstalledConfig:
    version: int
    issuer: str
    templates: int
    units: int
    own_key_listed: bool


def install_config(
    db: Database,
    package: ConfigPackage,
    own: Office,
    install_template: Callable[[Template], Any],
    actor: str,
) -> InstalledConfig:
    _check_carried_anchors(package)
    templates = [
        load_template_bytes(raw, f"{package.issuer.code} v{package.version}")
        for raw in package.template_bytes()
    ]
    with write_transaction(db):
        if not package.pinned:
            _pin_issuer(db, package, actor)
        for template in templates:
            install_template(template)
        _install_schedule(db, package.fields.schedule)
        _install_units(db, package.fields.units, own)
        published.remember_service(db, package.fields.service)
        trust.replace_received(db, package.issuer.code, package.fields.trust_anchors)
        _record_package(
            db,
            package.version,
            package.issuer.code,
            package.signer_key_id,
            package.sha256,
            "installed",
        )
        audit(db, actor, "config.installed", new_value=f"{package.issuer.code} v{package.version}")
    own_key = keyring.active_key(db).key_id if keyring.has_key(db) else None
    return InstalledConfig(
        package.version,
        package.issuer.name,
        len(templates),
        len(package.fields.units),
        any(k.key_id == own_key for k in package.fields.trusted_keys),
    )


def _pin_issuer(db: Database, package: ConfigPackage, actor: str) -> None:
    issuer = package.issuer_key
    db.table("trusted_keys").insert(
        {
            "key_id": issuer.key_id,
            "office_code": issuer.office_code,
            "office_name": package.issuer.name,
            "public_key": issuer.public_raw,
            "role": "issuer",
            "added_at": timestamp(),
            "confirmed_by": actor,
            "revoked_after_seq": None,
        },
        replace=True,
    )


def _install_schedule(db: Database, rows: Iterable[ScheduleEntry]) -> None:
    for row in rows:
        db.table("schedule").upsert(
            {
                "template_id": row.template_id,
                "period": row.period,
                "unit_code": row.unit_code,
                "cutoff": row.cutoff,
                "deadline": row.deadline,
            },
            pk=("template_id", "period", "unit_code"),
        )


def _install_units(db: Database, units: Iterable[Unit], own: Office) -> None:
    """The issuer's list: this office's own row is kept; the others are recorded for reference."""
    for unit in units:
        if unit.code == own.code:
            continue
        add_unit(
            db,
            Office(
                code=unit.code,
                name=unit.name,
                level=unit.level,
                block=unit.block,
                parent_code=unit.parent_code,
                valid_from=unit.valid_from,
                valid_to=unit.valid_to,
            ),
        )


# --- receipts --------------------------------------------------------------------------------


def pending_receipt_items(db: Database, unit_code: str) -> list[ReceiptItem]:
    """What the unit has not yet been told: accepted or returned revisions since its last
    receipt."""
    rows = db.execute(
        "SELECT l.seq, r.manifest_sha256, r.report_id, r.revision, r.state, "
        "COALESCE(v.return_comment, '') "
        "FROM received_revisions r JOIN inbox_ledger l ON l.id = r.ledger_id "
        "JOIN revisions v ON v.report_id = r.report_id AND v.revision = r.revision "
        # l.status: only accepted bundles carry revisions, and saying so lets the unit's
        # own ledger rows be found by their index instead of scanning every revision received.
        "WHERE l.sender_code = ? AND l.status = 'accepted' "
        "AND r.state IN ('accepted', 'returned') "
        "AND NOT EXISTS (SELECT 1 FROM receipt_items s "
        "WHERE s.report_id = r.report_id AND s.revision = r.revision AND s.status = r.state) "
        "ORDER BY l.seq, r.report_id",
        [unit_code],
    ).fetchall()
    return [
        ReceiptItem(seq, manifest, rid, rev, state, comment)
        for seq, manifest, rid, rev, state, comment in rows
    ]


def build_unit_receipt(
    db: Database, office: Office, unit_code: str, key: OfficeKey
) -> BuiltPackage | None:
    items = pending_receipt_items(db, unit_code)
    if not items:
        return None
    unit = get_office(db, unit_code)
    fields = ReceiptFields(
        receipt_id=str(uuid.uuid4()),
        issuer=WireOffice(office.code, office.name),
        recipient=WireOffice(unit_code, unit.name if unit else unit_code),
        created_at=timestamp(),
        items=tuple(items),
    )
    built = build_receipt(fields, key)
    with write_transaction(db):
        # Plain SQL: the receiving service builds a receipt at every upload, and the table
        # helper's look at the table's columns cost more than the insert.
        db.conn.executemany(
            "INSERT INTO receipt_items (receipt_id, unit_code, report_id, revision, status, "
            "sent_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (fields.receipt_id, unit_code, i.report_id, i.revision, i.status, fields.created_at)
                for i in items
            ],
        )
        published.keep(db, published.RECEIPT, built, unit_code)
    return built


@dataclass(frozen=True)
class InstalledReceipt:
    acknowledged: int
    returned: list[tuple[str, str]]  # (report id, comment)


def install_receipt(db: Database, data: bytes, office: Office, actor: str) -> InstalledReceipt:
    issuer = keyring.issuer_key(db)
    if issuer is None:
        raise CoreError("receipt.no_issuer")
    receipt = _read_receipt(data, issuer, office.code)
    acknowledged, returned = 0, []
    with write_transaction(db):
        for item in receipt.fields.items:
            if not _matches_outbox(db, item):
                raise PackageRefused(
                    catalogue_key(RECEIPT_KIND, Code.FILE_MISMATCH), path=item.report_id
                )
        for item in receipt.fields.items:
            outcome = _apply_item(db, item, actor)
            if outcome == "returned":
                returned.append((item.report_id, item.comment))
            acknowledged += outcome == "acknowledged"
        audit(db, actor, "receipt.installed", new_value=receipt.fields.receipt_id)
    return InstalledReceipt(acknowledged, returned)


def _read_receipt(data: bytes, issuer: TrustedKey, office_code: str) -> Receipt:
    try:
        return read_receipt(data, issuer, office_code)
    except BundleRefused as refusal:
        raise _refused(RECEIPT_KIND, refusal) from refusal


def _matches_outbox(db: Database, item: ReceiptItem) -> bool:
    row = db.execute(
        "SELECT 1 FROM outbox o JOIN outbox_reports r ON r.seq = o.seq WHERE o.seq = ? "
        "AND o.manifest_sha256 = ? AND r.report_id = ? AND r.revision = ?",
        [item.seq, item.manifest_sha256, item.report_id, item.revision],
    ).fetchone()
    return row is not None


_RECEIPT_STATUS = {"accepted": Status.ACKNOWLEDGED, "returned": Status.RETURNED}


def _apply_item(db: Database, item: ReceiptItem, actor: str) -> str:
    """Acknowledge or return (and reopen) one revision; says which, or "unchanged".

    A return may follow an acceptance (online the acceptance comes back at once, or the upper
    office found a figure wrong later): the report then reopens like any returned one.
    Anything else already handled changes nothing, the outbox entry included."""
    current = report_status.current(db, item.report_id, item.revision)
    if not report_status.can_move(current, _RECEIPT_STATUS[item.status]):
        return "unchanged"  # handled by an earlier receipt: installing twice changes nothing
    db.execute(
        "UPDATE outbox SET receipt_status = ?, receipt_at = ? WHERE seq = ?",
        [item.status, timestamp(), item.seq],
    )
    if item.status == "accepted":
        report_status.move(db, item.report_id, item.revision, Status.ACKNOWLEDGED)
        audit(db, actor, "report.acknowledged", item.report_id, item.revision)
        return "acknowledged"
    report_status.move(
        db, item.report_id, item.revision, Status.RETURNED, return_comment=item.comment
    )
    audit(
        db, actor, "report.returned", item.report_id, item.revision, "comment", None, item.comment
    )
    approval.new_revision(db, item.report_id, actor)
    return "returned"


def describe_package(package: ConfigPackage) -> dict[str, Any]:
    return {
        "issuer": {"code": package.issuer.code, "name": package.issuer.name},
        "version": package.version,
        "fingerprint": package.signer_fingerprint,
        "pinned": package.pinned,
        "templates": len(package.fields.templates),
        "units": len(package.fields.units),
        "trust_anchors": [
            {"name": anchor.name, "sha256": anchor.sha256}
            for anchor in package.fields.trust_anchors
        ],
    }

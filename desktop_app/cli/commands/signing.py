"""Digital signatures with the Ban Cơ yếu token (issue 15): verify a PDF's signatures, list the
token's certificates, manage the trusted CAs, and the token options of ``baocao approve``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import unicodedata
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Say, Words
from desktop_app.core.errors import CoreError
from desktop_app.core.signing.request import TokenApproval
from desktop_app.core.signing.stored import TokenSettings
from desktop_app.core.workspace import Workspace

PIN_VARIABLE = "BAOCAO_TOKEN_PIN"
MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_SEAL_READ = 1024 * 1024  # more than a seal image may be: core says how much is allowed


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    verify = subparsers.add_parser("pdf-verify", parents=[common], help=say("cli.help.pdf_verify"))
    verify.add_argument("file", type=Path, metavar="FILE")
    verify.set_defaults(handler=run_pdf_verify)

    token = subparsers.add_parser("token", parents=[common], help=say("cli.help.token"))
    token_actions = token.add_subparsers(
        dest="action", metavar=say("cli.metavar.action"), required=True
    )
    certificates = token_actions.add_parser(
        "certificates", parents=[common], help=say("cli.help.token.certificates")
    )
    certificates.add_argument("--pkcs11", required=True, metavar="LIBRARY")
    certificates.set_defaults(handler=run_token_certificates)
    configure = token_actions.add_parser("set", parents=[common], help=say("cli.help.token.set"))
    configure.add_argument("--pkcs11", required=True, metavar="LIBRARY")
    configure.add_argument("--cert-id", metavar="HEX", default="")
    configure.add_argument("--org-cert-id", metavar="HEX", default="")
    configure.add_argument("--tsa", metavar="URL", default="")
    configure.set_defaults(handler=run_token_set)
    show = token_actions.add_parser("show", parents=[common], help=say("cli.help.token.show"))
    show.set_defaults(handler=run_token_show)
    seal = token_actions.add_parser("seal", parents=[common], help=say("cli.help.token.seal"))
    seal_choice = seal.add_mutually_exclusive_group(required=True)
    seal_choice.add_argument("file", type=Path, metavar="FILE", nargs="?")
    seal_choice.add_argument("--remove", action="store_true", help=say("cli.help.token.no_seal"))
    seal.set_defaults(handler=run_token_seal)


def register_trust_ca(trust_actions: Any, common: argparse.ArgumentParser, say: Words) -> None:
    """``baocao trust ca list|add FILE|remove SHA256``, beside ``baocao trust``'s office keys."""
    ca = trust_actions.add_parser("ca", parents=[common], help=say("cli.help.trust.ca"))
    ca_actions = ca.add_subparsers(
        dest="ca_action", metavar=say("cli.metavar.action"), required=True
    )
    listing = ca_actions.add_parser("list", parents=[common], help=say("cli.help.trust.ca.list"))
    listing.set_defaults(handler=run_trust_list)
    add = ca_actions.add_parser("add", parents=[common], help=say("cli.help.trust.ca.add"))
    add.add_argument("file", type=Path, metavar="FILE")
    add.set_defaults(handler=run_trust_add)
    remove = ca_actions.add_parser("remove", parents=[common], help=say("cli.help.trust.ca.remove"))
    remove.add_argument("sha256", metavar="SHA256")
    remove.set_defaults(handler=run_trust_remove)


def add_token_options(parser: argparse.ArgumentParser, say: Words) -> None:
    """``approve``'s options for signing the PDF with the token as well."""
    parser.add_argument("--pkcs11", metavar="LIBRARY", help=say("cli.help.pkcs11"))
    parser.add_argument("--cert-id", metavar="HEX", help=say("cli.help.cert_id"))
    parser.add_argument("--org-cert-id", metavar="HEX", help=say("cli.help.org_cert_id"))
    parser.add_argument("--tsa", metavar="URL", help=say("cli.help.tsa"))
    parser.add_argument(
        "--pin-file",
        type=Path,
        metavar="FILE",
        help=say("cli.help.pin_file", variable=PIN_VARIABLE),
    )


def token_approval(
    args: argparse.Namespace, say: Say, configured: TokenSettings
) -> TokenApproval | None:
    """The token ``approve`` signs with: the options given, else the office's settings
    (``baocao token set``); None when the office signs with its key only."""
    library = args.pkcs11 or configured.library
    if not library:
        return None
    same_token = not args.pkcs11 or args.pkcs11 == configured.library
    return TokenApproval(
        library=library,
        pin=_pin(args.pin_file, say),
        cert_id=args.cert_id or (configured.cert_id if same_token else "") or None,
        organisation_cert_id=(
            args.org_cert_id or (configured.organisation_cert_id if same_token else "") or None
        ),
        tsa_url=args.tsa or configured.tsa_url or None,
    )


def _pin(path: Path | None, say: Say) -> str:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8-sig").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise CoreError("input.unreadable", file=str(path), reason=str(error)) from error
    if os.environ.get(PIN_VARIABLE):
        return os.environ[PIN_VARIABLE].strip()
    if not sys.stdin.isatty():
        raise CoreError("token.no_pin")
    print(say("cli.token.pin_warning"), file=sys.stderr)
    return unicodedata.normalize("NFC", getpass.getpass(say("cli.prompt.pin"))).strip()


def recognised_signatures(
    workspace: Workspace, report_id: str, revision: int
) -> list[dict[str, str]]:
    """Who signed a received revision's PDF validly, for the report lists."""
    return [
        {"signer": s.signer, "organisation": s.organisation}
        for s in workspace.signing.signatures_of(report_id, revision)
        if s.recognised
    ]


def signed_line(out: Output, who: dict[str, str]) -> str:
    return out.say("pdf_signature.recognised", **who)


def run_pdf_verify(args: argparse.Namespace, out: Output) -> int:
    pdf = _read_pdf(args.file)
    with open_workspace(args) as workspace:
        signatures = workspace.signing.verify_pdf(pdf)
    rows = [signature.as_json() for signature in signatures]
    human = "\n".join(
        out.say(
            "cli.pdf_verify.line",
            signer=s.signer,
            organisation=s.organisation,
            signed_at=s.signed_at or "—",
            result=out.say(f"pdf_signature.{s.reason}"),
        )
        for s in signatures
    )
    out.data(rows, human or out.say("cli.pdf_verify.none"))
    return 0 if signatures and all(s.recognised for s in signatures) else 1


def _read_pdf(path: Path) -> bytes:
    data = _read_head(path, MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise CoreError("signing.pdf_too_large", file=str(path), limit_mb=MAX_PDF_BYTES >> 20)
    return data


def run_token_certificates(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        certificates = workspace.signing.certificates(args.pkcs11)
    rows = [
        {
            "cert_id": c.cert_id,
            "subject": c.subject,
            "organisation": c.organisation,
            "issuer": c.issuer,
            "not_after": c.not_after.date().isoformat(),
        }
        for c in certificates
    ]
    human = "\n".join(
        f"{r['cert_id']:<10} {r['subject']} — {r['organisation']} ({r['issuer']}, "
        + out.say("cli.token.until", date=r["not_after"])
        + ")"
        for r in rows
    )
    out.data(rows, human or out.say("cli.token.none"))
    return 0


def run_token_set(args: argparse.Namespace, out: Output) -> int:
    settings = TokenSettings(args.pkcs11, args.cert_id, args.org_cert_id, args.tsa)
    with open_workspace(args) as workspace:
        workspace.signing.configure(settings)
    return _show(out, settings)


def run_token_show(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        settings = workspace.signing.settings()
        drivers = workspace.signing.known_drivers()
    return _show(out, settings, drivers)


def _show(out: Output, settings: TokenSettings, drivers: list[str] | None = None) -> int:
    row: dict[str, Any] = asdict(settings)
    if drivers is not None:
        row["known_drivers"] = drivers
    human = (
        out.say(
            "cli.token.settings",
            library=settings.library,
            cert_id=settings.cert_id or "—",
            org_cert_id=settings.organisation_cert_id or "—",
            tsa=settings.tsa_url or "—",
        )
        if settings.configured
        else out.say("cli.token.not_configured", drivers=", ".join(drivers or []) or "—")
    )
    out.data(row, human)
    return 0


def run_token_seal(args: argparse.Namespace, out: Output) -> int:
    if args.remove:
        with open_workspace(args) as workspace:
            workspace.signing.remove_seal()
        out.data({"seal": None}, out.say("cli.token.seal_removed"))
        return 0
    data = _read_head(args.file, MAX_SEAL_READ)  # core refuses anything this long
    with open_workspace(args) as workspace:
        width, height = workspace.signing.set_seal(data)
    out.data(
        {"seal": str(args.file), "width": width, "height": height},
        out.say("cli.token.seal_set", width=width, height=height),
    )
    return 0


def _read_head(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(limit)
    except FileNotFoundError as error:
        raise CoreError("input.not_found", file=str(path)) from error
    except OSError as error:
        raise CoreError("input.unreadable", file=str(path), reason=error.strerror) from error


def run_trust_list(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        anchors = workspace.signing.trust_anchors()
    rows = [
        {
            "subject": a.subject,
            "sha256": a.sha256,
            "not_after": a.not_after,
            "origin": a.origin,
            "source": a.source,
            "issuer": a.issuer or None,
        }
        for a in anchors
    ]
    human = "\n".join(
        f"{a.sha256[:16]}… {a.subject} [{a.origin}{' ' + a.issuer if a.issuer else ''}] {a.source}"
        for a in anchors
    )
    out.data(rows, human or out.say("cli.trust.none"))
    return 0


def run_trust_add(args: argparse.Namespace, out: Output) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CoreError("input.unreadable", file=str(args.file), reason=error.strerror) from error
    with open_workspace(args) as workspace:
        anchor = workspace.signing.add_trust_anchor(data, args.file.name)
    out.data(
        {"subject": anchor.subject, "sha256": anchor.sha256, "not_after": anchor.not_after},
        out.say("cli.trust.added", subject=anchor.subject, sha256=anchor.sha256),
    )
    return 0


def run_trust_remove(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        anchor = workspace.signing.remove_trust_anchor(args.sha256)
    out.data(
        {"subject": anchor.subject, "sha256": anchor.sha256},
        out.say("cli.trust.removed", subject=anchor.subject, sha256=anchor.sha256),
    )
    return 0

"""The line to the upper office (issue 16): ``send`` and ``sync`` below, ``serve`` above."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.commands._secrets import add_passphrase_options, passphrase
from desktop_app.cli.commands._shared import open_workspace
from desktop_app.cli.output import Output, Words
from desktop_app.core.areas.exchange import DELIVERED, REFUSED, Sent
from desktop_app.core.catalogue import describe, message
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange.online import Retries
from desktop_app.core.workspace import Workspace
from desktop_app.server.app import LOOPBACK, Settings
from desktop_app.server.limits import Limits
from desktop_app.server.run import ServeOptions, check_options, check_store, serve

EXIT_OK, EXIT_NOT_DELIVERED = 0, 2


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    send = subparsers.add_parser("send", parents=[common], help=say("cli.help.send"))
    send.add_argument("seqs", nargs="+", type=int, metavar="ID", help=say("cli.help.send.ids"))
    sync = subparsers.add_parser("sync", parents=[common], help=say("cli.help.sync"))
    for parser in (send, sync):
        parser.add_argument("--url", help=say("cli.help.send.url"))
        parser.add_argument(
            "--attempts",
            type=int,
            default=Retries.attempts,
            metavar="N",
            help=say("cli.help.send.attempts"),
        )
    for parser in (send, sync):  # uploads and receipts are asked for with the office's key
        add_passphrase_options(parser, say)
    send.set_defaults(handler=run_send)
    sync.set_defaults(handler=run_sync)

    serve_parser = subparsers.add_parser("serve", parents=[common], help=say("cli.help.serve"))
    serve_parser.add_argument("--host", default="127.0.0.1", help=say("cli.help.serve.host"))
    serve_parser.add_argument("--port", type=int, default=8443)
    serve_parser.add_argument("--cert", type=Path, metavar="PEM", help=say("cli.help.serve.cert"))
    serve_parser.add_argument("--key", type=Path, metavar="PEM", help=say("cli.help.serve.key"))
    serve_parser.add_argument("--public-url", metavar="URL", help=say("cli.help.serve.public_url"))
    serve_parser.add_argument(
        "--status-network",
        action="append",
        metavar="CIDR",
        help=say("cli.help.serve.status_network"),
    )
    serve_parser.add_argument(
        "--rate", type=float, default=Limits.requests_per_minute, metavar="PER_MINUTE"
    )
    serve_parser.add_argument("--uploads", type=int, default=Limits.concurrent_uploads, metavar="N")
    serve_parser.add_argument(
        "--no-receipts", action="store_true", help=say("cli.help.serve.no_receipts")
    )
    add_passphrase_options(serve_parser, say)
    serve_parser.set_defaults(handler=run_serve)


def run_send(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        _check_service(workspace, args.url)
        secret = passphrase(args, out.say)
        results = workspace.exchange.send(
            args.seqs, args.url, _progress(out), _retries(args), passphrase=secret
        )
    if out.as_json:
        out.data({"sent": [_sent_json(sent, out.lang) for sent in results]})
    for sent in results:
        if sent.status == DELIVERED:
            out.line(_sent_line(sent, out.lang))
    failed = [sent for sent in results if sent.status != DELIVERED]
    if failed:
        print(f"baocao: {_sent_line(failed[0], out.lang)}", file=sys.stderr)
        return EXIT_NOT_DELIVERED
    return EXIT_OK


def run_sync(args: argparse.Namespace, out: Output) -> int:
    with open_workspace(args) as workspace:
        _check_service(workspace, args.url)
        secret = passphrase(args, out.say)
        synced = workspace.exchange.sync(secret, args.url, _retries(args))
    out.data(
        {"config_version": synced.config_version, "receipts": synced.receipts},
        out.say("online.synced", version=synced.config_version or "—", receipts=synced.receipts),
    )
    return EXIT_OK


def _check_service(workspace: Workspace, url: str | None) -> None:
    """No service to reach: say so before asking for a passphrase that would serve nothing."""
    if url is None and workspace.exchange.service() is None:
        raise CoreError("online.no_service")


def run_serve(args: argparse.Namespace, out: Output) -> int:
    options = ServeOptions(
        host=args.host,
        port=args.port,
        certificate=args.cert,
        private_key=args.key,
        public_url=args.public_url,
        settings=Settings(
            Limits(requests_per_minute=args.rate, concurrent_uploads=args.uploads),
            tuple(args.status_network or LOOPBACK),
        ),
    )
    check_options(options)
    with open_workspace(args) as workspace:
        check_store(workspace)  # before asking for the passphrase
        key = None
        if not args.no_receipts:
            key = workspace.exchange.signing_key(passphrase(args, out.say))
        url = options.address().url
        print(out.say("online.serving", url=url), file=sys.stderr, flush=True)
        serve(workspace, key, options)
    return EXIT_OK


def _retries(args: argparse.Namespace) -> Retries:
    return Retries(attempts=max(1, args.attempts))


def _progress(out: Output) -> Any:
    if out.as_json or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{done * 100 // max(total, 1)}%", end="", file=sys.stderr, flush=True)

    return show


def _sent_line(sent: Sent, lang: str) -> str:
    if sent.status == DELIVERED:
        return message("online.delivered", lang, seq=sent.seq, receipts=sent.receipts)
    reason = describe(CoreError(sent.code, **sent.params), lang) if sent.code else ""
    line = "online.refused" if sent.status == REFUSED else "online.unreachable_entry"
    return message(line, lang, seq=sent.seq, reason=reason)


def _sent_json(sent: Sent, lang: str) -> dict[str, Any]:
    return {
        "seq": sent.seq,
        "status": sent.status,
        "code": sent.code,
        "receipts": sent.receipts,
        "message": _sent_line(sent, lang),
    }

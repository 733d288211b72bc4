"""The subcommands, one module per area; each module's ``register`` adds its parsers."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.commands import (
    bundles,
    documents,
    gui,
    keys,
    online,
    packages,
    reports,
    setup,
    signing,
    templates,
    upper,
)
from desktop_app.cli.output import Words


def register(subparsers: Any, common: argparse.ArgumentParser, say: Words) -> None:
    for module in (
        setup,
        templates,
        reports,
        documents,
        keys,
        bundles,
        packages,
        upper,
        signing,
        online,
        gui,
    ):
        module.register(subparsers, common, say)

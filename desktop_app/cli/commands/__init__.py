"""The subcommands, one module per area; each module's ``register`` adds its parsers."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.commands import (
    bundles,
    documents,
    gui,
    keys,
    packages,
    reports,
    setup,
    templates,
    upper,
)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    for module in (setup, templates, reports, documents, keys, bundles, packages, upper, gui):
        module.register(subparsers, common)

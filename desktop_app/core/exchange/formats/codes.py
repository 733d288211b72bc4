"""Outcome codes of bundle import (DESIGN §10) and the one exception the reader lets escape.

Core never builds sentences: the clerk's sentence for each code lives in
``resources/messages/bundles.<lang>.json`` and takes the placeholders named in ``params``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from desktop_app.core.errors import CoreError

ParamValue = str | int


class Code(StrEnum):
    """Refusal (E..) and warning (W..) codes; the values are the catalogue keys."""

    NOT_A_BUNDLE = "E01"
    TOO_LARGE = "E02"
    DAMAGED = "E03"
    UNSAFE_CONTENT = "E04"
    BOMB = "E05"
    BAD_ENVELOPE = "E06"
    UNKNOWN_SIGNER = "E07"
    BAD_SIGNATURE = "E08"
    WRONG_OFFICE = "E09"
    NOT_FOR_US = "E10"
    KEY_REVOKED = "E11"
    ALREADY_IMPORTED = "E12"
    OLDER_THAN_CURRENT = "E13"
    CONFLICT = "E14"
    FILE_MISMATCH = "E15"
    BAD_DATA = "E16"
    UNSUPPORTED_VERSION = "E17"
    TRUST_LIST_OLD = "E18"
    SEQUENCE_GAP = "W01"
    CLOCK_OFF = "W02"
    PDF_SIGNATURE = "W03"
    CHAIN_CONTRADICTED = "W04"

    # The same members under their bare codes (aliases: iteration lists each code once).
    E01 = "E01"
    E02 = "E02"
    E03 = "E03"
    E04 = "E04"
    E05 = "E05"
    E06 = "E06"
    E07 = "E07"
    E08 = "E08"
    E09 = "E09"
    E10 = "E10"
    E11 = "E11"
    E12 = "E12"
    E13 = "E13"
    E14 = "E14"
    E15 = "E15"
    E16 = "E16"
    E17 = "E17"
    E18 = "E18"
    W01 = "W01"
    W02 = "W02"
    W03 = "W03"
    W04 = "W04"


class BundleRefused(CoreError):
    """A bundle refused with ``code``.

    ``detail`` is a short English note for the log (never shown to the clerk); ``params`` fill the
    placeholders of the catalogue sentence for ``code``.
    """

    def __init__(
        self, code: Code, detail: str = "", params: Mapping[str, ParamValue] | None = None
    ) -> None:
        super().__init__(code, **(params or {}))
        self.code: Code = code
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.code.value}: {self.detail}" if self.detail else self.code.value


@dataclass(frozen=True)
class Notice:
    """A warning attached to an accepted bundle (W01..W03), with its catalogue placeholders."""

    code: Code
    params: Mapping[str, ParamValue] = field(default_factory=dict)

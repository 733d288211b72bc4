"""How the CLI speaks: JSON for machines, short lines for people in their language.

Every sentence, help text and table heading comes from the catalogue (``cli.*`` codes).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TextIO

from desktop_app.core.catalogue import describe, hint, message
from desktop_app.core.errors import CoreError
from desktop_app.core.reports.validation import Issue


class Say(Protocol):
    def __call__(self, code: str, /, **params: object) -> str: ...


@dataclass(frozen=True)
class Words:
    """The catalogue in one language, for help texts written before any output exists."""

    lang: str

    def __call__(self, code: str, /, **params: object) -> str:
        return message(code, self.lang, **params)


@dataclass
class Output:
    as_json: bool
    lang: str
    stream: TextIO

    def data(self, payload: Any, human: str | None = None) -> None:
        """Print ``payload`` as JSON, or ``human`` (falling back to readable JSON)."""
        text = json_text(payload) if self.as_json or human is None else human
        print(text, file=self.stream)

    def line(self, text: str) -> None:
        if not self.as_json:
            print(text, file=self.stream)

    def say(self, code: str, /, **params: object) -> str:
        return message(code, self.lang, **params)

    def refusal(self, error: CoreError) -> None:
        """One line on stderr; with ``--json`` also a JSON object on stdout."""
        text = " ".join(
            part for part in (describe(error, self.lang), hint("cli", error, self.lang)) if part
        )
        if self.as_json:
            self.data({"error": {"code": error.code, "message": text}})
        print(f"baocao: {text}", file=sys.stderr)

    def issue(self, issue: Issue) -> dict[str, str]:
        return {
            "severity": issue.severity,
            "code": issue.code,
            "field": issue.field,
            "message": self.say(issue.code, **issue.params),
        }


def json_text(value: Any, indent: str = "") -> str:
    """JSON as ``json.dumps(indent=2)`` writes it, except that an exact decimal is written as
    the number it is (``12.5``), neither rounded through a float nor quoted as text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    inner = indent + "  "
    if isinstance(value, Mapping) and value:
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {json_text(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list | tuple) and value:
        items = [inner + json_text(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, default=str)

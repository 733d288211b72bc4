"""How the CLI speaks: JSON for machines, short Vietnamese lines for people."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from desktop_app.core.catalogue import message
from desktop_app.core.reports.validation import Issue


@dataclass
class Output:
    as_json: bool
    lang: str
    stream: TextIO

    def data(self, payload: Any, human: str | None = None) -> None:
        """Print ``payload`` as JSON, or ``human`` (falling back to readable JSON)."""
        if self.as_json or human is None:
            text = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
        else:
            text = human
        print(text, file=self.stream)

    def line(self, text: str) -> None:
        if not self.as_json:
            print(text, file=self.stream)

    def say(self, code: str, **params: object) -> str:
        return message(code, self.lang, **params)

    def error(self, code: str, **params: object) -> None:
        """One line on stderr; with ``--json`` also a JSON object on stdout."""
        text = self.say(code, **params)
        if self.as_json:
            self.data({"error": {"code": code, "message": text}})
        print(f"baocao: {text}", file=sys.stderr)

    def issue(self, issue: Issue) -> dict[str, str]:
        return {
            "severity": issue.severity,
            "code": issue.code,
            "field": issue.field,
            "message": self.say(issue.code, **issue.params),
        }

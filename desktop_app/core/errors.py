"""The one family of errors core raises for a refusal a user can act on.

Every error carries a catalogue code and its parameters, never a finished sentence: the CLI and
the windows phrase it in the user's language (``desktop_app.core.catalogue.describe``).
Subclasses keep the names callers catch (``TemplateError``, ``PeriodError`` …) and give the code
they usually raise as the class attribute ``code``.

A parameter may itself be a :class:`Phrase` (or another ``CoreError``): a sentence with its own
code, rendered in the same language, for refusals built from parts ("the template, line 12:
the expression … is invalid: a missing operand").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Phrase:
    """A sentence named by ``code`` with ``params``, phrased when it is shown."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return _plain(self.code, self.params)


def phrase(code: str, /, **params: object) -> Phrase:
    return Phrase(code, params)


class CoreError(Exception):
    """``code`` names the sentence in the catalogue, ``params`` fill its placeholders."""

    code: str = "core.error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or type(self).code
        self.params: dict[str, Any] = params
        super().__init__(self.code, params)

    def __str__(self) -> str:
        return _plain(self.code, self.params)


class ReasonedError(CoreError):
    """A refusal whose parameter ``reason`` is a technical English note (a JSON or signature
    detail) for logs and tests; the catalogue sentence of ``code`` may quote it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason=reason)

    @property
    def reason(self) -> str:
        return str(self.params["reason"])


def _plain(code: str, params: Mapping[str, object]) -> str:
    """The language-free form for logs and test messages: ``code (key=value, …)``."""
    details = ", ".join(f"{key}={value}" for key, value in params.items())
    return f"{code} ({details})" if details else code

"""The error every core operation raises for a refusal a user can act on.

It carries a catalogue code and its parameters, never a finished sentence: the CLI and the
windows phrase it in the user's language (``desktop_app.core.catalogue``).
"""

from __future__ import annotations


class CoreError(Exception):
    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value}" for key, value in self.params.items())
        return f"{self.code} ({details})" if details else self.code

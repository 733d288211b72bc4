"""The one catalogue of user-facing sentences, in Vietnamese and English.

Core code speaks in codes (``template.invalid``, ``E08``); the CLI and the windows turn them into
sentences here. Sentences are data in ``resources/messages/<topic>.<lang>.json`` so that each
part of the app keeps its own file and translators never touch code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache

from desktop_app.core.errors import CoreError, Phrase
from desktop_app.core.paths import resource

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


@cache
def _sentences(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(resource("messages").glob(f"*.{lang}.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def message(code: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The sentence for ``code``; falls back to Vietnamese, then to the code itself."""
    template = _sentences(lang).get(code) or _sentences(DEFAULT_LANGUAGE).get(code) or code
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def hint(front: str, error: BaseException, lang: str = DEFAULT_LANGUAGE, /) -> str:
    """What to do about ``error`` in one front end ("window" or "cli"), or "".

    Core's sentences say what is wrong; where to click or what to type differs between the
    windows and the command line, so each front end adds its own ``<front>.hint.<code>``."""
    if not isinstance(error, CoreError):
        return ""
    code = f"{front}.hint.{error.code}"
    found = _sentences(lang).get(code) or _sentences(DEFAULT_LANGUAGE).get(code)
    return found or ""


def describe(error: BaseException, lang: str = DEFAULT_LANGUAGE, /) -> str:
    """The sentence a user reads for ``error``, in ``lang``: the one way errors are shown."""
    if isinstance(error, CoreError):
        return _phrased(error.code, error.params, lang)
    if isinstance(error, OSError):
        return message("ui.os_error", lang, reason=error.strerror or str(error))
    return message("ui.unexpected_error", lang, reason=f"{type(error).__name__}: {error}")


def _phrased(code: str, params: Mapping[str, object], lang: str) -> str:
    """``message`` with every parameter that is itself a phrase or an error phrased first."""
    return message(code, lang, **{key: _part(value, lang) for key, value in params.items()})


def _part(value: object, lang: str) -> object:
    if isinstance(value, Phrase):
        return _phrased(value.code, value.params, lang)
    if isinstance(value, CoreError):
        return _phrased(value.code, value.params, lang)
    return value

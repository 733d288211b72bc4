"""argparse's own words (``usage:``, ``options``, its error lines) in the user's language.

argparse looks each of them up by its English text through ``gettext``, bound into the module
when it is imported; Python ships no Vietnamese for them. While ``baocao`` builds and runs its
parser, that binding is pointed at the catalogue (``cli.argparse.*``), the way Qt's standard
buttons are translated in the windows. Words without an entry stay argparse's English.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from desktop_app.cli.output import Words

# argparse's English text -> catalogue code, for the words a baocao user can meet.
CODES = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positionals",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "expected one argument": "cli.argparse.expected_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
}


@contextmanager
def speaking(say: Words) -> Iterator[None]:
    """argparse speaks ``say``'s language inside the block, its own English again after."""
    english: Callable[[str], str] = argparse._  # type: ignore[attr-defined]

    def translated(text: str) -> str:
        code = CODES.get(text)
        return say(code) if code else english(text)

    argparse._ = translated  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]

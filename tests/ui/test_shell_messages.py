"""Every sentence the shell asks for exists in Vietnamese and English, with the same blanks."""

from __future__ import annotations

import json
import re
import string
import unicodedata
from pathlib import Path

import desktop_app.ui
from desktop_app.core.paths import resource
from desktop_app.ui.i18n import STATUSES
from desktop_app.ui.settings import PROFILES, ROLES

SHELL_FILES = ("app", "main_window", "home", "report_list", "wizard", "settings", "i18n", "help")
UI_FOLDER = Path(desktop_app.ui.__file__).parent
FIXED_CODE = re.compile(r'"(shell\.[a-z_.]+)"')


CATALOGUE_FILES = ("ui", "screens")  # the shell's sentences, in both languages


def catalogue(lang: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for name in CATALOGUE_FILES:
        data |= json.loads(resource("messages", f"{name}.{lang}.json").read_text("utf-8"))
    return data


def codes_in_sources() -> set[str]:
    found: set[str] = set()
    for name in SHELL_FILES:
        found |= set(FIXED_CODE.findall((UI_FOLDER / f"{name}.py").read_text(encoding="utf-8")))
    return found


def generated_codes() -> set[str]:
    """Codes the shell builds from a name (f"shell.status.{status}" and the like)."""
    names = {
        "status": STATUSES,
        "role": ROLES,
        "profile": PROFILES,
        "level": ("central", "province", "district", "commune", "department"),
        "column": (
            "template",
            "period",
            "cutoff",
            "deadline",
            "time_left",
            "state",
            "status",
            "revision",
            "updated",
            "office",
            "received",
        ),
        "menu": ("file", "edit", "view", "help"),
        "job": ("print", "approve", "export", "import"),
        "office": ("name", "code", "abbreviation", "parent_code", "superior_name", "place"),
        "action": (
            "new",
            "backup",
            "restore",
            "settings",
            "quit",
            "find",
            "home",
            "list",
            "zoom_in",
            "zoom_out",
            "zoom_reset",
            "guide",
            "about",
            "office",
            "save_word",
            "blank_form",
            "save",
            "undo",
            "redo",
            "print",
        ),
        "home": (
            "drafts",
            "ready",
            "returned",
            "exported",
            "drafts_empty",
            "ready_empty",
            "returned_empty",
            "exported_empty",
            "received",
            "received_empty",
        ),
    }
    tips = {f"shell.job.{job}_tip" for job in ("print", "approve", "export", "import")}
    reasons = {f"shell.job.{job}_why" for job in ("print", "approve")}
    generated = {f"shell.{group}.{name}" for group, values in names.items() for name in values}
    return generated | tips | reasons


def blanks(sentence: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(sentence) if field}


def test_every_shell_code_has_both_languages() -> None:
    vietnamese, english = catalogue("vi"), catalogue("en")
    needed = codes_in_sources() | generated_codes()
    assert needed - vietnamese.keys() == set()
    assert needed - english.keys() == set()
    assert vietnamese.keys() == english.keys()


def test_both_languages_have_the_same_blanks() -> None:
    vietnamese, english = catalogue("vi"), catalogue("en")
    assert {code: blanks(text) for code, text in vietnamese.items()} == {
        code: blanks(text) for code, text in english.items()
    }


def test_vietnamese_sentences_are_in_nfc() -> None:
    for text in catalogue("vi").values():
        assert unicodedata.normalize("NFC", text) == text

"""``--lang en`` speaks English everywhere: every help page and the usual refusals carry no
Vietnamese letter; the same commands without it (or with ``--lang vi``) speak Vietnamese."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.cli import argparse_words
from desktop_app.cli.main import build_parser, chosen_language, main
from desktop_app.core.catalogue import LANGUAGES, message
from desktop_app.core.demo import DEMO_PASSPHRASE
from tests.letters import has_vietnamese, vietnamese_words


@dataclass(frozen=True)
class Said:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def _say(capsys: pytest.CaptureFixture[str], *args: str) -> Said:
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as stop:  # --help and usage errors end in argparse
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return Said(code, captured.out, captured.err)


def _command_paths(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _command_paths(child, (*prefix, name))


COMMANDS = list(_command_paths(build_parser()))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda path: " ".join(path) or "baocao")
def test_every_help_page_is_english_with_lang_en_and_vietnamese_without(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    english = _say(capsys, *command, "--help", "--lang", "en")
    assert english.code == 0 and "usage:" in english.out
    assert vietnamese_words(english.text) == []
    vietnamese = _say(capsys, *command, "--help")
    assert vietnamese.out.startswith("cách dùng: baocao") and has_vietnamese(vietnamese.out)


@dataclass(frozen=True)
class Offices:
    """A lower office with a key and a ready report, an upper office trusting that key."""

    ward: Path
    province: Path
    ready_report: str
    tampered_bundle: Path
    broken_template: Path


@pytest.fixture
def offices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Offices:
    monkeypatch.setenv("BAOCAO_PASSPHRASE", DEMO_PASSPHRASE)
    ward, province, stick = tmp_path / "ward", tmp_path / "province", tmp_path / "usb"
    stick.mkdir()
    init = ("init", "--office-code", "TU-38", "--office-name", "Province", "--level", "province")
    assert _say(capsys, *init, "--workspace", str(province)).code == 0
    assert _say(capsys, "demo", "--workspace", str(ward)).code == 0

    def as_json(workspace: Path, *args: str) -> object:
        said = _say(capsys, *args, "--workspace", str(workspace), "--json")
        assert said.code == 0, said.err
        return json.loads(said.out)

    key_file = as_json(ward, "keys", "export-public", "--to", str(stick))
    assert isinstance(key_file, dict)
    as_json(province, "trust", "add", key_file["path"], "--office", "DU-14797", "--yes")
    reports = as_json(ward, "report", "list")
    assert isinstance(reports, list)
    ready = [r["id"] for r in reports if r["status"] == "ready"]
    sent = [r["id"] for r in reports if r["status"] == "exported"]  # signed by the demo
    exported = as_json(ward, "export", sent[0], "--to", str(stick))
    assert isinstance(exported, dict)
    bundle = Path(exported["path"])
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered = tmp_path / "tampered.baocao"
    tampered.write_bytes(bytes(data))
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "a", "id": "b"}', encoding="utf-8")
    return Offices(ward, province, ready[0], tampered, broken)


def _refusals(offices: Offices) -> dict[str, tuple[str, ...]]:
    """Failing commands by the English words that show each failed for its own reason."""
    ward = ("--workspace", str(offices.ward))
    province = ("--workspace", str(offices.province))
    approve = ("approve", offices.ready_report, "--name", "A", "--title", "B")
    bad_date = ("schedule", "cntt-quy", "--period", "2026Q3", "--cutoff", "31/02/2026")
    return {
        "Template refused": ("templates", "install", str(offices.broken_template), *ward),
        "passphrase is wrong": (*approve, *ward),
        "not found": ("report", "show", "no-such-report", *ward),
        "Period «2026Q9» is not valid": ("report", "new", "cntt-quy", "--period", "2026Q9", *ward),
        "does not match the signed list": ("verify", str(offices.tampered_bundle), *province),
        "not a valid date": (*bad_date, *province),
    }


def test_refusals_speak_the_chosen_language(
    offices: Offices, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAOCAO_PASSPHRASE", "not the passphrase")
    for reason, command in _refusals(offices).items():
        english = _say(capsys, *command, "--lang", "en")
        assert english.code == 2 and reason in english.text, english.text
        assert vietnamese_words(english.text) == [], reason
        vietnamese = _say(capsys, *command, "--lang", "vi")
        assert vietnamese.code == 2 and has_vietnamese(vietnamese.text), reason
        assert _say(capsys, *command).text == vietnamese.text, reason


def test_the_refused_bundle_is_named_in_json_with_an_english_message(
    offices: Offices, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _say(
        capsys, *_refusals(offices)["does not match the signed list"], "--json", "--lang", "en"
    )
    rows = json.loads(said.out)
    assert (rows[0]["status"], rows[0]["code"]) == ("refused", "E15")
    assert vietnamese_words(rows[0]["message"]) == []


@pytest.mark.parametrize(
    ("arguments", "lang"),
    [
        ([], "vi"),
        (["report", "list", "--lang", "en"], "en"),
        (["--lang=en", "report", "list"], "en"),
        (["report", "list", "--lang", "fr"], "vi"),  # argparse then refuses the choice
        (["report", "show", "--", "--lang", "en"], "vi"),
    ],
)
def test_the_language_is_read_before_parsing(arguments: list[str], lang: str) -> None:
    assert chosen_language(arguments) == lang


def test_usage_errors_speak_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    english = _say(capsys, "report", "new", "--lang", "en")
    assert english.code == 2
    assert "error: the following arguments are required: TEMPLATE_ID, --period" in english.err
    assert vietnamese_words(english.text) == []
    vietnamese = _say(capsys, "init", "--level", "xa")
    assert vietnamese.code == 2
    assert "baocao init: lỗi: tham số --level: giá trị 'xa' không hợp lệ" in vietnamese.err
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]  # English again


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_argparse_word_has_a_sentence(lang: str) -> None:
    missing = [code for code in argparse_words.CODES.values() if message(code, lang) == code]
    assert missing == []

"""One error family: every core error is a ``CoreError`` carrying a code, and every code has a
sentence in Vietnamese and English. A new code without its sentences fails here."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import string
from pathlib import Path

import pytest

import desktop_app.core
from desktop_app.core.catalogue import LANGUAGES, describe
from desktop_app.core.errors import CoreError, phrase
from desktop_app.core.exchange.formats.codes import Code
from desktop_app.core.model.expressions import parse
from desktop_app.core.paths import resource
from desktop_app.core.reports.templates import TemplateError
from tests.letters import has_vietnamese

PACKAGE = Path(desktop_app.core.__file__).resolve().parents[1]
# Qt's own button words are translated into Vietnamese only; English is Qt's.
VIETNAMESE_ONLY = ("qt.",)
# A code is a string literal given first to an error class or to ``phrase``.
RAISED_CODE = re.compile(r"\b(?:[A-Z]\w*(?:Error|Refused|Input)|phrase)\(\s*\"([a-z_]+\.[\w.]+)\"")
SAID_CODE = re.compile(r"\b(?:say|message)\(\s*\"([a-z_]+\.[\w.]+)\"")
SENTENCE_IN_RAISE = re.compile(r"(?:Error|Refused|Input|phrase)\(.*\"[^\"]*\"")


def _sentences(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(resource("messages").glob(f"*.{lang}.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def _core_modules() -> list[str]:
    found = pkgutil.walk_packages(desktop_app.core.__path__, prefix="desktop_app.core.")
    return [module.name for module in found]


def _core_exception_classes() -> list[type[BaseException]]:
    classes: dict[str, type[BaseException]] = {}
    for name in _core_modules():
        for _, value in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("desktop_app.core"):
                classes[f"{value.__module__}.{value.__qualname__}"] = value
    return list(classes.values())


def _source_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((PACKAGE / folder).rglob("*.py"))]


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in _source_files("core", "cli", "ui"):
        text = path.read_text(encoding="utf-8")
        codes |= set(RAISED_CODE.findall(text)) | set(SAID_CODE.findall(text))
    return codes


def _class_codes() -> set[str]:
    return {cls.code for cls in _core_exception_classes() if issubclass(cls, CoreError)}


def test_every_public_core_exception_is_a_core_error() -> None:
    public = [cls for cls in _core_exception_classes() if not cls.__name__.startswith("_")]
    outsiders = [cls.__qualname__ for cls in public if not issubclass(cls, CoreError)]
    assert len(public) >= 20
    assert outsiders == []


def test_the_source_scan_sees_the_codes_it_should() -> None:
    codes = _codes_in_source()
    expected = {"template.reason.duplicate_key", "expression.missing_operand", "cli.help.init"}
    assert expected <= codes
    assert len(codes) > 150


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_raised_or_said_has_a_sentence(lang: str) -> None:
    codes = _codes_in_source() | _class_codes() | {code.value for code in Code}
    missing = sorted(code for code in codes if code not in _sentences(lang))
    assert missing == []


def test_both_languages_have_the_same_codes_with_the_same_placeholders() -> None:
    vi, en = _sentences("vi"), _sentences("en")
    shared = {code for code in vi if not code.startswith(VIETNAMESE_ONLY)}
    assert sorted(shared ^ en.keys()) == []

    def placeholders(sentence: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}

    differing = sorted(code for code in shared if placeholders(vi[code]) != placeholders(en[code]))
    assert differing == []


def test_no_sentence_is_written_where_an_error_is_raised() -> None:
    offending = [
        f"{path.name}:{number}"
        for path in _source_files("core")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SENTENCE_IN_RAISE.search(line) and has_vietnamese(line)
    ]
    assert offending == []


def test_a_refused_template_reads_whole_in_either_language() -> None:
    with pytest.raises(CoreError) as problem:
        parse("tong ** 2")
    reason = phrase("template.reason.bad_expression", expression="tong ** 2", problem=problem.value)
    error = TemplateError("mau.json", reason, line=3, field="rules[0]")
    vi, en = describe(error, "vi"), describe(error, "en")
    assert vi == (
        "Mẫu báo cáo bị từ chối — mau.json, dòng 3, mục rules[0]: biểu thức 'tong ** 2' "
        "không hợp lệ: thiếu toán hạng (vị trí 7). Không có gì bị thay đổi."
    )
    assert "line 3" in en and "operand missing (position 7)" in en
    assert not has_vietnamese(en)


def test_errors_outside_the_family_are_still_described() -> None:
    assert "disk full" in describe(OSError(28, "disk full"), "en")
    unexpected = describe(RuntimeError("boom"), "en")
    assert "RuntimeError: boom" in unexpected and not has_vietnamese(unexpected)


def test_a_code_left_out_of_the_catalogue_would_be_caught() -> None:
    assert has_vietnamese("Mật khẩu") and has_vietnamese("đ") and not has_vietnamese("Cafe «x»")
    assert RAISED_CODE.findall('raise CoreError("new.code", x=1)') == ["new.code"]
    assert RAISED_CODE.findall('phrase("template.reason.new")') == ["template.reason.new"]

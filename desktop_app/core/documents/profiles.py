"""Layout profiles: the rules of a document format (Party HD 36, state NĐ 30) as data.

Sources disagree on margins and some sizes, and the Party rules changed in 2026, so every value
lives in ``resources/profiles/<id>.json`` next to a ``source`` note and can be edited without
touching code. Keys named ``source`` or ``note`` are documentation and are ignored here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from desktop_app.core.errors import CoreError
from desktop_app.core.paths import resource

MM = 72 / 25.4  # points per millimetre

ProfileKind = Literal["party", "state"]
TextAlign = Literal["left", "center", "right", "justify"]
IssuerMark = Literal["asterisk", "rule"]
AppendixNumerals = Literal["arabic", "roman"]

_PROFILE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_FONT_FILE = re.compile(r"^[A-Za-z0-9_.-]+\.ttf$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

STYLE_NAMES = (
    "national_title", "national_motto", "superior_body", "issuing_body", "issuer_mark",
    "number", "place_date", "type_name", "summary", "body",
    "heading_1", "heading_2", "heading_3", "heading_4", "appendix_ref",
    "signature_authority", "signature_title", "signature_note", "signature_name",
    "recipients_label", "recipients_item", "page_number",
    "appendix_label", "appendix_title", "appendix_subtitle", "appendix_caption",
    "table_header", "table_cell", "table_group", "table_total", "table_note",
)

# Each pattern may only use these placeholders; anything else is refused at load time.
PATTERN_FIELDS: Mapping[str, frozenset[str]] = {
    "number": frozenset({"number", "type_abbr", "office_abbr"}),
    "number_reference": frozenset({"number", "type_abbr", "office_abbr"}),
    "place_date": frozenset({"place", "day", "month", "year"}),
    "appendix_label": frozenset({"number"}),
    "appendix_caption": frozenset({"type_name", "reference", "date", "issuer"}),
    "appendix_ref": frozenset({"numbers"}),
    "recipients_label": frozenset(),
    "addressee_label": frozenset(),
    "as_above": frozenset(),
    "recipient_end": frozenset(),
    "draft_mark": frozenset(),
    "notes_label": frozenset(),
}


class ProfileError(CoreError, ValueError):
    """A profile that is missing, malformed or uses an unknown placeholder."""


@dataclass(frozen=True)
class TextStyle:
    size: float
    bold: bool = False
    italic: bool = False
    upper: bool = False
    underline: bool = False
    align: TextAlign = "left"
    first_indent_mm: float = 0.0
    space_before: float = 0.0  # points
    space_after: float = 0.0  # points


@dataclass(frozen=True)
class Margins:
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float


@dataclass(frozen=True)
class FontFiles:
    regular: str
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True)
class RoleRule:
    """A role an approver's title reveals: it starts with or contains one of these (casefolded)."""

    role: str
    starts: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    strip_start: bool = False  # the start is a marker ("TUQ.") typed before the real title


@dataclass(frozen=True)
class SigningRule:
    """For one role, the authority lines above the title and the title as printed. Placeholders:
    the ``signature_prefixes`` names, ``{collective}``, ``{head_title}`` and ``{title}``; a line
    naming ``{collective}`` is left out for a body led by one head."""

    lines: tuple[str, ...]
    title: str


SIGNING_ROLES = ("head", "deputy", "acting", "by_order", "authorised")


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    kind: ProfileKind
    page_width_mm: float
    page_height_mm: float
    margins: Margins
    fonts: FontFiles
    line_spacing: float  # leading as a multiple of the font size
    national_lines: tuple[str, ...]  # Party: the tiêu đề; state: Quốc hiệu and Tiêu ngữ
    issuer_mark: IssuerMark  # "*" under a Party body, a rule under a state body
    issuer_rule_ratio: float  # state rule length as a share of the issuing body's text width
    header_left_ratio: float  # share of the text width for the left header column
    header_gutter_mm: float  # free space between the issuer's name and the right column
    summary_rule_mm: float  # the short rule under the summary; 0 for none
    summary_rule_ratio: float  # instead, a share of the summary's longest line; 0 for none
    signature_gap_mm: float  # room for the handwritten signature and the seal
    number_min_digits: int
    page_number_from: int
    page_number_top_mm: float  # distance of the number's top from the paper's top edge
    appendix_numerals: AppendixNumerals  # "Phụ lục 01" (Party) or "Phụ lục I" (state)
    appendix_own_pages: bool  # each appendix numbers its pages from 1 (NĐ 30)
    patterns: Mapping[str, str]
    signature_prefixes: Mapping[str, str]
    styles: Mapping[str, TextStyle]
    valid_from: date = date.min  # documents dated from then on use this profile (per kind)
    secondary_values: tuple[str, ...] = ()  # dotted paths whose source is secondary: editable
    signing_roles: tuple[RoleRule, ...] = ()
    signing_blocks: Mapping[str, SigningRule] = field(default_factory=dict)

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.page_width_mm * MM, self.page_height_mm * MM)

    def style(self, name: str) -> TextStyle:
        return self.styles[name]


def fill(pattern: str, **values: str) -> str:
    """Replace ``{name}`` placeholders; no format-spec or attribute access as in str.format."""

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise ProfileError("document.profile.placeholder_unknown", placeholder=key)
        return values[key]

    return _PLACEHOLDER.sub(substitute, pattern)


def available_profiles() -> tuple[str, ...]:
    return tuple(
        sorted(
            path.stem
            for path in resource("profiles").glob("*.json")
            if _PROFILE_ID.match(path.stem)  # not pages.vi.json, the extra pages' wording
        )
    )


def profile_for(kind: str, on: date) -> Profile:
    """The bundled profile of ``kind`` in force for a document dated ``on``: the one with the
    latest ``valid_from`` not after it (HD 36 before 27/05/2026, HD 05 from then)."""
    candidates = [
        profile
        for profile in map(load_profile, available_profiles())
        if profile.kind == kind and profile.valid_from <= on
    ]
    if not candidates:
        raise ProfileError("document.profile.not_found", profile_id=f"{kind}@{on.isoformat()}")
    return max(candidates, key=lambda profile: profile.valid_from)


@cache
def load_profile(profile_id: str) -> Profile:
    """The bundled profile ``resources/profiles/<profile_id>.json``."""
    if not _PROFILE_ID.match(profile_id):
        raise ProfileError("document.profile.id_invalid", profile_id=profile_id)
    path = resource("profiles", f"{profile_id}.json")
    if not path.is_file():
        raise ProfileError("document.profile.not_found", profile_id=profile_id)
    return load_profile_file(path)


def load_profile_file(path: Path) -> Profile:
    """A profile from any JSON file (an office's edited copy, a test fixture)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProfileError("document.profile.unreadable", path=str(path)) from error
    return profile_from_dict(data)


def profile_from_dict(data: object) -> Profile:
    try:
        return _build(_mapping(data, "profile"))
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ProfileError):
            raise
        raise ProfileError("document.profile.invalid", detail=str(error)) from error


def _build(data: Mapping[str, Any]) -> Profile:
    page = _mapping(data["page"], "page")
    margins = _mapping(page["margins_mm"], "page.margins_mm")
    fonts = _mapping(data["fonts"], "fonts")
    header = _mapping(data["header"], "header")
    page_number = _mapping(data["page_number"], "page_number")
    profile = Profile(
        id=_text(data["id"], "id"),
        name=_text(data["name"], "name"),
        kind=cast(ProfileKind, _choice(data["kind"], ("party", "state"), "kind")),
        page_width_mm=_number(page["width_mm"], "page.width_mm", 50, 1000),
        page_height_mm=_number(page["height_mm"], "page.height_mm", 50, 1000),
        margins=Margins(
            *(_number(margins[side], f"margins.{side}", 0, 100)
              for side in ("top", "bottom", "left", "right"))
        ),
        fonts=FontFiles(
            *(_font_file(fonts[style]) for style in ("regular", "bold", "italic", "bold_italic"))
        ),
        line_spacing=_number(data["line_spacing"], "line_spacing", 0.8, 3),
        national_lines=tuple(_text(line, "header.national_lines")
                             for line in _list(header["national_lines"], "header.national_lines")),
        issuer_mark=cast(IssuerMark, _choice(header["issuer_mark"], ("asterisk", "rule"),
                                             "header.issuer_mark")),
        issuer_rule_ratio=_number(header["issuer_rule_ratio"], "header.issuer_rule_ratio", 0, 1),
        header_left_ratio=_number(header["left_ratio"], "header.left_ratio", 0.2, 0.8),
        header_gutter_mm=_number(header.get("gutter_mm", 0), "header.gutter_mm", 0, 40),
        summary_rule_mm=_number(header["summary_rule_mm"], "header.summary_rule_mm", 0, 200),
        summary_rule_ratio=_number(
            header.get("summary_rule_ratio", 0), "header.summary_rule_ratio", 0, 1
        ),
        signature_gap_mm=_number(data["signature_gap_mm"], "signature_gap_mm", 0, 100),
        number_min_digits=int(_number(data["number_min_digits"], "number_min_digits", 1, 6)),
        page_number_from=int(_number(page_number["from_page"], "page_number.from_page", 1, 99)),
        page_number_top_mm=_number(page_number["top_mm"], "page_number.top_mm", 0, 100),
        appendix_numerals=cast(AppendixNumerals, _choice(
            data.get("appendix_numerals", "arabic"), ("arabic", "roman"), "appendix_numerals")),
        appendix_own_pages=_flag(page_number.get("appendix_own_pages", False),
                                 "page_number.appendix_own_pages"),
        patterns=_patterns(_mapping(data["patterns"], "patterns")),
        signature_prefixes=_strings(_mapping(data["signature_prefixes"], "signature_prefixes")),
        styles=_styles(_mapping(data["styles"], "styles")),
        valid_from=_date(data.get("valid_from"), "valid_from"),
        secondary_values=_secondary(data),
        signing_roles=_roles(_mapping(data["signing"], "signing")),
        signing_blocks=_signing_blocks(_mapping(data["signing"], "signing")),
    )
    if not profile.national_lines:
        raise ProfileError("document.profile.invalid", detail="header.national_lines is empty")
    return profile


def _patterns(data: Mapping[str, Any]) -> dict[str, str]:
    patterns = {}
    for name, allowed in PATTERN_FIELDS.items():
        pattern = _text(data[name], f"patterns.{name}")
        unknown = set(_PLACEHOLDER.findall(pattern)) - allowed
        if unknown or re.search(r"[{}]", _PLACEHOLDER.sub("", pattern)):
            raise ProfileError("document.profile.pattern_invalid", pattern=name)
        patterns[name] = pattern
    return patterns


def _date(value: object, where: str) -> date:
    if value is None:
        return date.min
    try:
        return date.fromisoformat(_text(value, where))
    except ValueError as error:
        raise ProfileError("document.profile.invalid", detail=f"{where} is not a date") from error


def _secondary(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Each listed path must name a value of the file, so the list cannot silently rot."""
    paths = tuple(_text(path, "secondary_values")
                  for path in _list(data.get("secondary_values", []), "secondary_values"))
    for path in paths:
        node: object = data
        for key in path.split("."):
            if not isinstance(node, Mapping) or key not in node:
                raise ProfileError("document.profile.invalid",
                                   detail=f"secondary_values: {path} is not in the profile")
            node = node[key]
    return paths


def _roles(signing: Mapping[str, Any]) -> tuple[RoleRule, ...]:
    roles = []
    for raw in _list(signing["roles"], "signing.roles"):
        rule = _mapping(raw, "signing.roles")
        roles.append(RoleRule(
            role=_choice(rule["role"], SIGNING_ROLES, "signing.roles.role"),
            starts=tuple(_text(w, "signing.roles").casefold()
                         for w in _list(rule.get("starts", []), "signing.roles.starts")),
            contains=tuple(_text(w, "signing.roles").casefold()
                           for w in _list(rule.get("contains", []), "signing.roles.contains")),
            strip_start=_flag(rule.get("strip_start", False), "signing.roles.strip_start"),
        ))
    return tuple(roles)


def _signing_blocks(signing: Mapping[str, Any]) -> dict[str, SigningRule]:
    blocks = _mapping(signing["blocks"], "signing.blocks")
    allowed = {"collective", "head_title", "title", "on_behalf", "deputy", "by_order",
               "authorised", "acting"}
    rules = {}
    for role in SIGNING_ROLES:
        raw = _mapping(blocks[role], f"signing.blocks.{role}")
        lines = tuple(_text(line, f"signing.blocks.{role}")
                      for line in _list(raw["lines"], f"signing.blocks.{role}.lines"))
        title = _text(raw["title"], f"signing.blocks.{role}.title")
        for pattern in (*lines, title):
            if set(_PLACEHOLDER.findall(pattern)) - allowed:
                raise ProfileError("document.profile.pattern_invalid",
                                   pattern=f"signing.blocks.{role}")
        rules[role] = SigningRule(lines, title)
    return rules


def _styles(data: Mapping[str, Any]) -> dict[str, TextStyle]:
    styles = {}
    for name in STYLE_NAMES:
        raw = _mapping(data[name], f"styles.{name}")
        styles[name] = TextStyle(
            size=_number(raw["size"], f"styles.{name}.size", 5, 96),
            bold=_flag(raw.get("bold", False), name),
            italic=_flag(raw.get("italic", False), name),
            upper=_flag(raw.get("upper", False), name),
            underline=_flag(raw.get("underline", False), name),
            align=cast(TextAlign, _choice(raw.get("align", "left"),
                                          ("left", "center", "right", "justify"), name)),
            first_indent_mm=_number(raw.get("first_indent_mm", 0), name, 0, 100),
            space_before=_number(raw.get("space_before", 0), name, 0, 200),
            space_after=_number(raw.get("space_after", 0), name, 0, 200),
        )
    return styles


def _strings(data: Mapping[str, Any]) -> dict[str, str]:
    return {key: _text(value, key) for key, value in data.items() if key not in ("source", "note")}


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProfileError("document.profile.invalid", detail=f"{where} is not an object")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ProfileError("document.profile.invalid", detail=f"{where} is not a list")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ProfileError("document.profile.invalid", detail=f"{where} is not text")
    return value


def _flag(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ProfileError("document.profile.invalid", detail=f"{where} flag is not true/false")
    return value


def _number(value: object, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ProfileError("document.profile.invalid", detail=f"{where} must be {low}..{high}")
    return float(value)


def _choice(value: object, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ProfileError("document.profile.invalid", detail=f"{where} must be one of {choices}")
    return str(value)


def _font_file(value: object) -> str:
    # Only a bare file name inside resources/fonts: a profile must not point at system fonts.
    name = _text(value, "fonts")
    if not _FONT_FILE.match(name):
        raise ProfileError("document.profile.font_invalid", font=name)
    return name

"""What a template author gets told beyond "the schema says no", for every format version.

Two kinds of help. Before the schema runs, :func:`near_miss` looks for a misspelt key or value
("interger", "lable") and names the one the author meant, at the line of the fault, since the
schema's own message for those ("False schema does not allow 0") points elsewhere. After the
model is built, :func:`check_meaning` refuses what is well-formed but cannot be right: a range
whose minimum is above its maximum, a deadline on or before the cut-off, a rate whose formula
is not the ratio it is consolidated by, an outline that places a grid or list twice or never,
a section shown on a choice that does not exist, a weighted mean weighed by no number.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from desktop_app.core.errors import Phrase, phrase
from desktop_app.core.model import schemas
from desktop_app.core.model.periods import (
    PERIOD_SUFFIXES,
    PERIOD_TYPES,
    PeriodError,
    ScheduleError,
    parse_period,
    resolve_schedule_date,
)
from desktop_app.core.reports.tables import Builder, Ratio, check_ratio_formula, unknown_name

if TYPE_CHECKING:
    from desktop_app.core.reports.templates import Template

Path = tuple[str | int, ...]

# Which $defs of the schema describe the objects at each place of a document: the key of an
# array of objects → the def its items follow (and recursively their own arrays).
_ARRAYS = {
    "sections": "section_base",
    "tables": "table",
    "indicators": "indicator",
    "rules": "rule",
    "grids": "grid",
    "lists": "list",
    "columns": "column",
    "rows": "grid_row",
}
# A representative period of each recurring type, to judge a relative schedule.
_SAMPLE_PERIODS = {
    "monthly": "202602",
    "quarterly": "2026Q1",
    "sixmonthly": "2026S1",
    "ninemonthly": "2026N9",
    "yearly": "2026",
}


def near_miss(document: Any) -> tuple[Path, Phrase] | None:
    """The first misspelt key or enumerated value that is close to a known one."""
    if not isinstance(document, dict):
        return None
    version = document.get("format_version")
    schema = schemas.schema(_V2 if version == 2 else _V1)
    found = next(_misses(document, schema["properties"], schema, ()), None)
    found = found or next(_misfit_rules(document, schema), None)
    if version == 2:
        found = found or next(_misfit_owed_periods(document), None)
    if found is not None and version != 2 and _fits_format_2(document, found[0]):
        # "count_by_choice" in a format-1 file is not a typo of "count_yes".
        return found[0], phrase(
            "template.reason.needs_format_2", value=_subject(document, found[0])
        )
    return found


_V1, _V2 = "template.schema.json", "template-v2.schema.json"


def _fits_format_2(document: Mapping[str, Any], path: Path) -> bool:
    schema = schemas.schema(_V2)
    return all(miss != path for miss, _ in _misses(document, schema["properties"], schema, ()))


def _subject(document: Mapping[str, Any], path: Path) -> str:
    """The value at ``path`` when it is text (an enumerated value), else its key."""
    node: Any = document
    for step in path:
        node = node[step]
    return node if isinstance(node, str) else str(path[-1])


def _misses(
    node: Mapping[str, Any], properties: Mapping[str, Any], schema: Mapping[str, Any], path: Path
) -> Iterator[tuple[Path, Phrase]]:
    for key, value in node.items():
        if key not in properties:
            close = difflib.get_close_matches(key, sorted(properties), n=1, cutoff=0.75)
            if close:
                yield (
                    (*path, key),
                    phrase("template.reason.unknown_key_close", key=key, suggestion=close[0]),
                )
            continue
        allowed = _enum(properties[key], schema)
        if allowed and isinstance(value, str) and value not in allowed:
            yield (*path, key), _not_one_of(value, allowed)
        if key in _ARRAYS and isinstance(value, list):
            item_properties = _properties(schema, _ARRAYS[key])
            for index, item in enumerate(value):
                if isinstance(item, dict) and item_properties:
                    yield from _misses(item, item_properties, schema, (*path, key, index))


def _misfit_rules(
    document: Mapping[str, Any], schema: Mapping[str, Any]
) -> Iterator[tuple[Path, Phrase]]:
    """An indicator's aggregation that exists but not for its type ("count_by_choice" on a
    number): named with the type, where the schema can only say "not one of those allowed"."""
    allowed = _rules_by_type(schema)
    for index, table in _items(document.get("tables")):
        for n, node in _items(table.get("indicators")):
            kind, rule = node.get("type"), node.get("aggregation")
            if isinstance(rule, str) and kind in allowed and rule not in allowed[kind]:
                reason = phrase("template.reason.indicator_rule_does_not_fit", rule=rule, type=kind)
                yield ("tables", index, "indicators", n, "aggregation"), reason


def _misfit_owed_periods(document: Mapping[str, Any]) -> Iterator[tuple[Path, Phrase]]:
    """A period of the year the template's type does not have ("Q5", "S3", "S1" on a quarterly
    template), named with the nearest one, where the schema could only say "wrong form"."""
    owed, kind = document.get("owed_periods"), document.get("period_type")
    if not isinstance(owed, list) or kind not in PERIOD_TYPES:
        return
    type_name = phrase(f"template.kind.{kind}")
    allowed = PERIOD_SUFFIXES.get(str(kind))
    if allowed is None:
        yield ("owed_periods",), phrase("template.reason.owed_periods_not_for_type", kind=type_name)
        return
    for index, value in enumerate(owed):
        if isinstance(value, str) and value not in allowed:
            yield ("owed_periods", index), _not_a_period(value, allowed, type_name)


def _not_a_period(value: str, allowed: tuple[str, ...], kind: Phrase) -> Phrase:
    listed = ", ".join(allowed)
    nearest = _nearest_period(value, allowed)
    if nearest is None:
        return phrase("template.reason.owed_period_unknown", value=value, kind=kind, allowed=listed)
    return phrase(
        "template.reason.owed_period_unknown_close",
        value=value,
        kind=kind,
        suggestion=nearest,
        allowed=listed,
    )


def _nearest_period(value: str, allowed: tuple[str, ...]) -> str | None:
    """ "q1" → "Q1", "Q5" → "Q4", "S3" → "S2", "13" → "12", "3" → "03"; None when the letter
    belongs to another period type."""
    if value.upper() in allowed:
        return value.upper()
    letter = "" if allowed[0].isdigit() else allowed[0][0]
    if not value.upper().startswith(letter) or not value[len(letter) :].isdigit():
        return None
    number = min(max(int(value[len(letter) :]), 1), len(allowed))
    return allowed[number - 1]


def _items(nodes: object) -> list[tuple[int, dict[str, Any]]]:
    """The objects of a list with their places (the schema judges anything else)."""
    if not isinstance(nodes, list):
        return []
    return [(index, node) for index, node in enumerate(nodes) if isinstance(node, dict)]


def _rules_by_type(schema: Mapping[str, Any]) -> dict[str, set[str]]:
    """Type → the aggregations the schema's ``aggregation_by_type`` allows it."""
    allowed: dict[str, set[str]] = {}
    for clause in _definition(schema, "aggregation_by_type").get("allOf", []):
        condition = clause["if"]["properties"]["type"]
        rule = clause["then"]["properties"]["aggregation"]
        rules = set(rule.get("enum", [rule.get("const")]))
        for kind in condition.get("enum", [condition.get("const")]):
            allowed[kind] = rules
    return allowed


def _not_one_of(value: str, allowed: list[str]) -> Phrase:
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    if close:
        return phrase("template.reason.not_one_of_close", value=value, suggestion=close[0])
    return phrase("template.reason.not_one_of", value=value, allowed=", ".join(allowed))


def _enum(definition: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    if "$ref" in definition:
        definition = _definition(schema, str(definition["$ref"]).rsplit("/", 1)[-1])
    values = definition.get("enum", [])
    return [v for v in values if isinstance(v, str)]


def _properties(schema: Mapping[str, Any], name: str) -> dict[str, Any]:
    properties: dict[str, Any] = dict(_definition(schema, name).get("properties", {}))
    return properties


def _definition(schema: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    definition: Mapping[str, Any] = schema.get("$defs", {}).get(name, {})
    return definition


# The schema validator's sentences, in English with regular expressions, read as phrases a
# template author understands in either language (anything else keeps its own words).
_SCHEMA_SENTENCES = (
    (re.compile(r"must contain \[(?P<keys>.*)\] properties"), "missing_keys"),
    (re.compile(r"must not contain \{(?P<keys>.*)\} properties"), "unknown_keys"),
    (re.compile(r"must match pattern \^\[a-z\]\[a-z0-9_\]"), "identifier"),
    (re.compile(r"must match pattern"), "pattern"),
    (re.compile(r"must be (?P<kind>integer|number|string|boolean|array|object)$"), "type"),
    (re.compile(r"must be bigger than or equal to (?P<limit>\S+)"), "minimum"),
    (re.compile(r"must be bigger than (?P<limit>\S+)"), "exclusive_minimum"),
    (re.compile(r"must be smaller than or equal to (?P<limit>\S+)"), "maximum"),
    (re.compile(r"must be longer than or equal to 1 characters"), "empty"),
    (re.compile(r"must be longer than or equal to (?P<limit>\d+) characters"), "min_length"),
    (re.compile(r"must be shorter than or equal to (?P<limit>\d+) characters"), "max_length"),
    (re.compile(r"must contain at least (?P<limit>\d+) items"), "min_items"),
    (re.compile(r"must contain less than or equal to (?P<limit>\d+) items"), "max_items"),
    (re.compile(r"must contain unique items|must be unique"), "unique"),
    (re.compile(r"must be valid exactly by one definition"), "one_of"),
    (re.compile(r"must NOT match a disallowed definition"), "reserved"),
    (re.compile(r"False schema does not allow|must not be there"), "not_here"),
    (re.compile(r"must be one of"), "enum"),
)


def schema_reason(message: str) -> Phrase:
    """The phrase for one of the schema validator's sentences."""
    for pattern, name in _SCHEMA_SENTENCES:
        found = pattern.search(message)
        if found:
            params = {k: v.replace("'", "") for k, v in found.groupdict().items()}
            if name == "type":  # one sentence per type: "số nguyên" reads better than "integer"
                return phrase(f"template.reason.schema_type_{params['kind']}")
            return phrase(f"template.reason.schema_{name}", **params)
    return phrase("template.reason.schema", detail=message)


def unknown_key(message: str) -> str | None:
    """The first key a "must not contain" sentence names: its line is the one to fix."""
    found = _SCHEMA_SENTENCES[1][0].search(message)
    return found.group("keys").split(",")[0].strip().strip("'") if found else None


# --- meaning ---------------------------------------------------------------------------------


def check_meaning(builder: Builder, template: Template, *, judged: bool = True) -> None:
    """``judged``: also refuse what is well-formed but cannot be right (left out when a stored
    template is read back, since it was accepted before these checks existed)."""
    if judged:
        _check_ranges(builder, template)
        _check_schedule(builder, template)
    _check_placement(builder, template)
    _check_show_when(builder, template)
    _check_weights(builder, template)


def _check_ranges(builder: Builder, template: Template) -> None:
    for index, table in enumerate(template.tables):
        for n, indicator in enumerate(table.indicators):
            field = f"tables[{index}].indicators[{n}]"
            low, high = indicator.minimum, indicator.maximum
            if low is not None and high is not None and low > high:
                raise builder.fail(
                    phrase("template.reason.min_above_max", low=low, high=high), field
                )
            if indicator.formula and isinstance(indicator.ratio, Ratio):
                check_ratio_formula(builder, indicator.formula, indicator.ratio, field)


def _check_schedule(builder: Builder, template: Template) -> None:
    try:
        if template.period_type == "once":
            cutoff = date.fromisoformat(str(template.schedule["cutoff"]["date"]))
            deadline = date.fromisoformat(str(template.schedule["deadline"]["date"]))
        else:
            period = parse_period(_SAMPLE_PERIODS[template.period_type], template.period_type)
            cutoff = resolve_schedule_date(template.schedule["cutoff"], period)
            deadline = resolve_schedule_date(template.schedule["deadline"], period)
    except (PeriodError, ScheduleError, KeyError, ValueError):
        return  # the schema and the period rules refuse these with their own words
    if deadline <= cutoff:
        reason = phrase(
            "template.reason.deadline_not_after_cutoff",
            cutoff=cutoff.strftime("%d/%m/%Y"),
            deadline=deadline.strftime("%d/%m/%Y"),
        )
        # The rule's own key, not the object: its line is the one the author has to change.
        kind = next(iter(template.schedule["deadline"]))
        raise builder.fail(reason, f"schedule.deadline.{kind}")


def _check_placement(builder: Builder, template: Template) -> None:
    """Each grid and each list is shown under exactly one section."""
    for kind, known in (("grid", template.grids), ("list", template.lists)):
        ids = {item.id for item in known}
        placed: dict[str, str] = {}
        for _, section in template.walk_sections():
            for item_id in section.grids if kind == "grid" else section.lists:
                if item_id not in ids:
                    raise builder.fail(
                        unknown_name(kind, item_id, ids), section_field(template, section.id)
                    )
                if item_id in placed:
                    reason = phrase("template.reason.table_placed_twice", id=item_id)
                    raise builder.fail(reason, section_field(template, section.id))
                placed[item_id] = section.id
        for item_id in sorted(ids - placed.keys()):
            raise builder.fail(phrase("template.reason.table_not_placed", id=item_id), kind + "s")


def _check_show_when(builder: Builder, template: Template) -> None:
    indicators = template.indicator_map
    for _, section in template.walk_sections():
        condition = section.show_when
        if condition is None:
            continue
        field = section_field(template, section.id) + ".show_when"
        indicator = indicators.get(condition.indicator)
        if indicator is None:
            raise builder.fail(unknown_name("indicator", condition.indicator, indicators), field)
        allowed = (
            [c.value for c in indicator.choices]
            if indicator.type == "choice"
            else ["yes", "no"]
            if indicator.type == "yesno"
            else []
        )
        if not allowed:
            raise builder.fail(phrase("template.reason.show_when_type"), field)
        for value in condition.values:
            if value not in allowed:
                raise builder.fail(unknown_name("choice", value, allowed), field)


def _check_weights(builder: Builder, template: Template) -> None:
    """A weighted mean (format 2) is weighed by another indicator holding a count or an
    amount: a percentage, a choice or the figure itself would weigh nothing meaningful."""
    indicators = template.indicator_map
    for index, table in enumerate(template.tables):
        for n, indicator in enumerate(table.indicators):
            if indicator.weight is None:
                continue
            field = f"tables[{index}].indicators[{n}].weight"
            weight = indicators.get(indicator.weight)
            if weight is None:
                raise builder.fail(unknown_name("indicator", indicator.weight, indicators), field)
            if weight.id == indicator.id or weight.type not in ("integer", "decimal"):
                reason = phrase("template.reason.weight_not_number", name=weight.id)
                raise builder.fail(reason, field)


def section_field(template: Template, section_id: str) -> str:
    """``sections[1].sections[0]``: where a section is in the document, for its line."""
    return _section_path(template.raw.get("sections", []), section_id, "sections") or "sections"


def _section_path(nodes: list[Any], section_id: str, prefix: str) -> str | None:
    for index, node in enumerate(nodes):
        here = f"{prefix}[{index}]"
        if node.get("id") == section_id:
            return here
        found = _section_path(node.get("sections", []), section_id, f"{here}.sections")
        if found:
            return found
    return None

"""The compiled validators say what the 2020-12 reference validator says, on valid documents
and on every one-place change to them."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from desktop_app.core.model import schemas, strictjson
from desktop_app.core.reports.templates import bundled_template_files
from tests.core.exchange.formats.factory import entries, manifest_of, valid_bundle

Path = tuple[str | int, ...]
REPLACEMENTS: tuple[Any, ...] = ("x", "", -1, 0, Decimal("1.5"), True, None, [], {}, ["x"])


def template_documents() -> list[Any]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in bundled_template_files()]


def format_1_template() -> Any:
    """The first bundled template of format 1 (the checks below are about that schema)."""
    return next(d for d in template_documents() if d["format_version"] == 1)


def bundle_documents() -> dict[str, Any]:
    data = valid_bundle()
    reports = strictjson.parse(entries(data)["data/reports.json"], max_bytes=1 << 24)
    return {"manifest.schema.json": manifest_of(data), "reports-data.schema.json": reports}


def places(node: Any, path: Path = ()) -> Iterator[Path]:
    yield path
    if isinstance(node, dict | list):
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in children:
            yield from places(child, (*path, key))


def changed(document: Any, path: Path, value: Any) -> Any:
    result = copy.deepcopy(document)
    *parents, last = path
    node = result
    for step in parents:
        node = node[step]
    node[last] = value
    return result


def without(document: Any, path: Path) -> Any:
    result = copy.deepcopy(document)
    *parents, last = path
    node = result
    for step in parents:
        node = node[step]
    del node[last]
    return result


def variants(document: Any) -> Iterator[Any]:
    """Every place set to every replacement, and every place removed."""
    for path in places(document):
        if not path:
            continue
        for value in REPLACEMENTS:
            yield changed(document, path, value)
        yield without(document, path)


def assert_same_verdicts(document: Any, schema_name: str) -> None:
    reference = Draft202012Validator(schemas.schema(schema_name))
    for variant in variants(document):
        expected_valid = reference.is_valid(variant)
        found = schemas.violation(variant, schema_name)
        assert (found is None) == expected_valid, (found, variant)


def template_schema_of(document: Any) -> str:
    format_2 = document["format_version"] == 2
    return "template-v2.schema.json" if format_2 else "template.schema.json"


def test_bundled_templates_pass_the_template_schema() -> None:
    for document in template_documents():
        assert schemas.violation(document, template_schema_of(document)) is None


@pytest.mark.parametrize("schema_name", ["manifest.schema.json", "reports-data.schema.json"])
def test_bundle_documents_are_judged_as_the_reference_judges_them(schema_name: str) -> None:
    document = bundle_documents()[schema_name]
    assert schemas.violation(document, schema_name) is None
    assert_same_verdicts(document, schema_name)


def small_template() -> Any:
    """A bundled template cut down to one indicator of each type (the if/then/else rules
    hang on the type) and to its first sections and rules (sections are where ``$ref`` has
    sibling keywords, which a compile to an older draft would drop)."""
    document = copy.deepcopy(format_1_template())
    first_of_type: dict[str, Any] = {}
    for table in document["tables"]:
        for indicator in table["indicators"]:
            first_of_type.setdefault(indicator["type"], indicator)
    document["tables"] = [{**document["tables"][0], "indicators": list(first_of_type.values())}]
    document["sections"] = document["sections"][:2]
    document["rules"] = document["rules"][:1]
    return document


def test_templates_are_judged_as_the_reference_judges_them() -> None:
    document = small_template()
    assert schemas.violation(document, "template.schema.json") is None
    assert_same_verdicts(document, "template.schema.json")


def test_a_violation_names_the_place_and_the_broken_rule() -> None:
    document = bundle_documents()["manifest.schema.json"]
    found = schemas.violation(
        changed(document, ("reports", 0, "revision"), "x"), "manifest.schema.json"
    )
    assert found is not None
    assert found.path == ("reports", 0, "revision")
    assert found.slashed == "reports/0/revision"
    assert found.dotted == "reports[0].revision"
    assert "integer" in found.message


def test_a_misspelt_type_is_named_rather_than_what_it_forbids() -> None:
    document = format_1_template()
    indicator = next(i for t in document["tables"] for i in t["indicators"] if "min" in i)
    indicator["type"] = "số nguyên"
    found = schemas.violation(document, "template.schema.json")
    assert found is not None
    assert found.path[-1] == "type"


def test_checking_does_not_fill_in_defaults() -> None:
    document = format_1_template()
    before = copy.deepcopy(document)
    schemas.violation(document, "template.schema.json")
    assert document == before

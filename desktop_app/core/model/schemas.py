"""The JSON Schemas under ``resources/schema``: compiled once, checked the same way everywhere.

The schemas are written for draft 2020-12. fastjsonschema compiles them to plain Python (about
a hundred times faster than interpreting them on every bundle); its newest draft, 2019-09,
reads every keyword they use, after one rewrite: a ``$ref`` beside other keywords becomes an
``allOf`` with them, because 2020-12 applies both while older drafts drop the siblings.
``format`` is not asserted, as in 2020-12, where it is an annotation unless asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import fastjsonschema

from desktop_app.core.paths import resource

Path = tuple[str | int, ...]
_STEP = re.compile(r"\.([^.\[]+)|\[([0-9]+)\]")


@dataclass(frozen=True)
class Violation:
    """The first place where a document breaks its schema."""

    path: Path
    message: str

    @property
    def dotted(self) -> str:
        """``tables[0].indicators[1].type``; empty for the document itself."""
        return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path).lstrip(".")

    @property
    def slashed(self) -> str:
        """``reports/0/values``; empty for the document itself."""
        return "/".join(str(p) for p in self.path)


def violation(document: Any, schema_name: str) -> Violation | None:
    """None when ``document`` satisfies ``resources/schema/<schema_name>``, else the most
    telling of its violations."""
    try:
        _validator(schema_name, fast_fail=True)(document)
    except fastjsonschema.JsonSchemaValueException:
        return _most_telling(document, schema_name)
    return None


def parse_dotted(dotted: str) -> Path:
    """The path that ``Violation.dotted`` wrote: ``tables[0].id`` → ``("tables", 0, "id")``."""
    return tuple(int(index) if index else key for key, index in _STEP.findall("." + dotted))


def schema(schema_name: str) -> dict[str, Any]:
    """The schema as published (a copy: callers may not change the compiled one's source)."""
    loaded: dict[str, Any] = json.loads(_schema_text(schema_name))
    return loaded


@cache
def _schema_text(schema_name: str) -> str:
    return resource("schema", schema_name).read_text(encoding="utf-8")


@cache
def _validator(schema_name: str, *, fast_fail: bool) -> Callable[[Any], Any]:
    compiled: Callable[[Any], Any] = fastjsonschema.compile(
        _siblings_of_ref_in_all_of(schema(schema_name)),
        use_formats=False,
        use_default=False,  # never write defaults into the document being checked
        fast_fail=fast_fail,
    )
    return compiled


def _most_telling(document: Any, schema_name: str) -> Violation:
    """The first violation found may be a consequence of another ("min must not be there"
    because ``type`` is misspelt): of all of them, the shallowest wins, and among those one
    that breaks a keyword of its own over one refused by a ``false`` schema."""
    try:
        _validator(schema_name, fast_fail=False)(document)
    except fastjsonschema.JsonSchemaValuesException as found:
        errors = found.errors
    except fastjsonschema.JsonSchemaValueException as single:
        errors = [single]
    else:  # pragma: no cover - both validators are compiled from one schema
        raise AssertionError("the full validator accepted what the fast one refused")
    best = min(errors, key=lambda error: (len(error.path), error.rule is None))
    return _violation_of(best)


def _siblings_of_ref_in_all_of(node: Any) -> Any:
    if isinstance(node, list):
        return [_siblings_of_ref_in_all_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    rewritten = {key: _siblings_of_ref_in_all_of(value) for key, value in node.items()}
    if "$ref" in rewritten and len(rewritten) > 1:
        reference = rewritten.pop("$ref")
        return {"allOf": [{"$ref": reference}, rewritten]}
    return rewritten


def _violation_of(error: fastjsonschema.JsonSchemaValueException) -> Violation:
    name = error.name or "data"
    # fastjsonschema names the place as Python-ish text rooted at "data": "data.a[0].b".
    path = parse_dotted(name.removeprefix("data").removeprefix("."))
    message = error.message.removeprefix(name).strip()
    return Violation(path, message)

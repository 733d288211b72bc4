"""Formulas and rules from templates are data: evaluated safely, refused when malformed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop_app.core.model.expressions import ExpressionError, parse


def test_arithmetic_follows_precedence() -> None:
    assert parse("a + b * 2 - (c - 1) / 2").evaluate(
        {"a": Decimal(1), "b": Decimal(3), "c": Decimal(5)}
    ) == Decimal(5)


def test_percent_formula() -> None:
    formula = parse("may_tinh_ket_noi / tong_may_tinh * 100")
    assert formula.evaluate({"may_tinh_ket_noi": Decimal(45), "tong_may_tinh": Decimal(60)}) == 75
    assert formula.names == {"may_tinh_ket_noi", "tong_may_tinh"}


def test_missing_operand_means_not_evaluated() -> None:
    assert parse("a <= b").evaluate({"a": Decimal(1)}) is None
    assert parse("a / b").evaluate({"a": Decimal(1), "b": Decimal(0)}) is None


def test_comparisons_and_logic() -> None:
    values = {"a": Decimal(2), "b": Decimal(3)}
    assert parse("a < b and not a == b").evaluate(values) is True
    assert parse("a > b or a != 2").evaluate(values) is False
    assert parse("a >= 2 and b <= 3").evaluate(values) is True


def test_functions() -> None:
    values = {"a": Decimal("2.345"), "b": Decimal(-7)}
    assert parse("round(a, 2)").evaluate(values) == Decimal("2.35")
    assert parse("abs(b)").evaluate(values) == 7
    assert parse("max(a, b, 10)").evaluate(values) == 10
    assert parse("min(a, b)").evaluate(values) == -7
    assert parse("if(a > 1, 100, 0)").evaluate(values) == 100


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "a.b",
        "a[0]",
        "open(a)",
        "a ** 2",
        "lambda: 1",
        "a +",
        "(a",
        "a b",
        "round(a, 1, 2)",
        "'text'",
        "",
        "A + 1",
    ],
)
def test_anything_outside_the_grammar_is_refused(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse(source)


def test_error_names_the_position() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("a + $")
    assert caught.value.position == 4

"""A small whitelisting expression language for template formulas and rules.

Templates arrive on USB sticks from other offices, so their expressions are data, never code:
they are tokenised and parsed here into a tree of a handful of node kinds and evaluated over
Decimal values. Anything outside the grammar is refused when the template is loaded.

Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"

A missing operand makes the whole result ``None`` ("not evaluated"), and so does a division by
zero: a rule is only judged on the figures that are there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from desktop_app.core.errors import CoreError
from desktop_app.core.model.limits import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS

Value = Decimal | bool | None

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[a-z_][a-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|[-+*/<>(),]))"
)
_KEYWORDS = {"and", "or", "not"}
_COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}


class ExpressionError(CoreError, ValueError):
    """An expression outside the grammar, at character offset ``position``."""

    code = "expression.invalid"

    def __init__(self, code: str, position: int, **params: object) -> None:
        super().__init__(code, column=position + 1, **params)

    @property
    def position(self) -> int:
        return int(self.params["column"]) - 1


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Number | Name | Unary | Binary | Call


@dataclass(frozen=True)
class Expression:
    """A parsed expression and the indicator ids it reads."""

    source: str
    tree: Node

    @property
    def names(self) -> frozenset[str]:
        return frozenset(_names(self.tree))

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return _evaluate(self.tree, values)


def parse(source: str) -> Expression:
    parser = _Parser(_tokenise(source))
    tree = parser.parse_or()
    parser.expect_end()
    return Expression(source, tree)


Token = tuple[str, str, int]  # (kind, text, position)


def _tokenise(source: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    stripped_end = len(source.rstrip())
    while position < stripped_end:
        match = _TOKEN.match(source, position)
        if not match:
            remainder = source[position:]
            raise ExpressionError(
                "expression.bad_character", position + len(remainder) - len(remainder.lstrip())
            )
        kind = match.lastgroup or ""
        text = match.group(kind)
        tokens.append((kind, text, match.start(kind)))
        position = match.end()
    tokens.append(("end", "", len(source)))
    return tokens


# Bounds that keep parsing and evaluating far from Python's recursion limit whatever a
# template says: nesting costs about eight frames a level, each operator one.
MAX_NESTING = 32
MAX_OPERATORS = 256


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.operators = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, *texts: str) -> str | None:
        kind, text, position = self.peek()
        if kind in ("op", "name") and text in texts:
            self.index += 1
            self.operators += 1
            if self.operators > MAX_OPERATORS:
                raise ExpressionError("expression.too_long", position, most=MAX_OPERATORS)
            return text
        return None

    def nested(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError("expression.too_deep", position, most=MAX_NESTING)

    def expect(self, text: str) -> None:
        if self.accept(text) is None:
            raise ExpressionError("expression.missing", self.peek()[2], text=text)

    def expect_end(self) -> None:
        kind, _, position = self.peek()
        if kind != "end":
            raise ExpressionError("expression.trailing", position)

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.accept("or"):
            node = Binary("or", node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.accept("and"):
            node = Binary("and", node, self.parse_not())
        return node

    def parse_not(self) -> Node:
        if self.accept("not"):
            return Unary("not", self.parse_not())
        return self.parse_compare()

    def parse_compare(self) -> Node:
        node = self.parse_sum()
        op = self.accept(*_COMPARISONS)
        if op:
            node = Binary(op, node, self.parse_sum())
        return node

    def parse_sum(self) -> Node:
        node = self.parse_product()
        while op := self.accept("+", "-"):
            node = Binary(op, node, self.parse_product())
        return node

    def parse_product(self) -> Node:
        node = self.parse_unary()
        while op := self.accept("*", "/"):
            node = Binary(op, node, self.parse_unary())
        return node

    def parse_unary(self) -> Node:
        if self.accept("-"):
            return Unary("-", self.parse_unary())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        kind, text, position = self.take()
        if kind == "number":
            return Number(Decimal(text))
        if kind == "name" and text not in _KEYWORDS:
            if self.accept("("):
                self.nested(position)
                node = self.parse_call(text, position)
                self.depth -= 1
                return node
            return Name(text)
        if kind == "op" and text == "(":
            self.nested(position)
            node = self.parse_or()
            self.expect(")")
            self.depth -= 1
            return node
        raise ExpressionError("expression.missing_operand", position)

    def parse_call(self, function: str, position: int) -> Node:
        if function not in FUNCTIONS:
            raise ExpressionError("expression.unknown_function", position, function=function)
        args = [self.parse_or()]
        while self.accept(","):
            args.append(self.parse_or())
        self.expect(")")
        low, high = _ARITY[function]
        if not low <= len(args) <= high:
            raise ExpressionError("expression.wrong_arity", position, function=function)
        if function == "round" and len(args) > 1 and not _fit_places(args[1]):
            raise ExpressionError("expression.round_places", position, most=MAX_FRACTION_DIGITS)
        return Call(function, tuple(args))


def _fit_places(node: Node) -> bool:
    """``round``'s places: a whole number written in the formula, at most the decimals a
    stored figure may have, so a template cannot ask for digits no step can carry."""
    match node:
        case Number(value):
            return value == value.to_integral_value() and 0 <= value <= MAX_FRACTION_DIGITS
    return False


def _names(node: Node) -> list[str]:
    match node:
        case Name(name):
            return [name]
        case Unary(_, operand):
            return _names(operand)
        case Binary(_, left, right):
            return _names(left) + _names(right)
        case Call(_, args):
            return [name for arg in args for name in _names(arg)]
    return []


def _evaluate(node: Node, values: Mapping[str, Value]) -> Value:
    match node:
        case Number(value):
            return value
        case Name(name):
            return values.get(name)
        case Unary(op, operand):
            return apply_unary(op, _evaluate(operand, values))
        case Binary(op, left, right):
            return apply_binary(op, _evaluate(left, values), _evaluate(right, values))
        case Call(function, args):
            return FUNCTIONS[function]([_evaluate(arg, values) for arg in args])
    raise AssertionError(node)


def _number(value: Value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    return value


def apply_unary(op: str, value: Value) -> Value:
    if value is None:
        return None
    if op == "not":
        return not value
    number = _number(value)
    return None if number is None else -number


def apply_binary(op: str, left: Value, right: Value) -> Value:
    if op in ("and", "or"):
        return _logic(op, left, right)
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return None
    if op in _COMPARISONS:
        return _COMPARE[op](a, b)
    if op == "/":
        if b == 0:
            return None
        try:
            return a / b
        except InvalidOperation:
            return None
    return a + b if op == "+" else a - b if op == "-" else a * b


def _logic(op: str, left: Value, right: Value) -> Value:
    if left is None or right is None:
        return None
    return (bool(left) and bool(right)) if op == "and" else (bool(left) or bool(right))


_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _all_numbers(args: list[Value]) -> list[Decimal] | None:
    numbers = [_number(arg) for arg in args]
    return None if any(n is None for n in numbers) else [n for n in numbers if n is not None]


def _fn_min(args: list[Value]) -> Value:
    numbers = _all_numbers(args)
    return None if numbers is None else min(numbers)


def _fn_max(args: list[Value]) -> Value:
    numbers = _all_numbers(args)
    return None if numbers is None else max(numbers)


def _fn_abs(args: list[Value]) -> Value:
    numbers = _all_numbers(args)
    return None if numbers is None else abs(numbers[0])


def _fn_round(args: list[Value]) -> Value:
    numbers = _all_numbers(args)
    if numbers is None:
        return None
    places = int(numbers[1]) if len(numbers) > 1 else 0
    # Enough precision that a large computed figure is rounded, never refused by quantize.
    wide = Context(prec=MAX_INTEGER_DIGITS * 4 + MAX_FRACTION_DIGITS, rounding=ROUND_HALF_UP)
    return numbers[0].quantize(Decimal(1).scaleb(-places), context=wide)


def _fn_if(args: list[Value]) -> Value:
    condition = args[0]
    if condition is None:
        return None
    return args[1] if condition else args[2]


FUNCTIONS: dict[str, Callable[[list[Value]], Value]] = {
    "min": _fn_min,
    "max": _fn_max,
    "abs": _fn_abs,
    "round": _fn_round,
    "if": _fn_if,
}
_ARITY = {"min": (1, 32), "max": (1, 32), "abs": (1, 1), "round": (1, 2), "if": (3, 3)}

"""Linked settings: a path set from the point's parameters by an arithmetic expression.

``{name: lead_mandate, path: structure.layers[0].mandate, expression: 10 *
employee_mandate}`` keeps the team lead's mandate ten times the employee's at every
point, so a design can move both without ever making an employee's mandate exceed
the lead's. An expression is parsed once, when the experiment is read: numbers, the
names of numeric parameters, ``+ - * / // % **``, and ``min``, ``max``, ``abs``,
``round``; nothing else is evaluated (no Python ``eval``).
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any, Self, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
FUNCTIONS: dict[str, Callable[..., Any]] = {"min": min, "max": max, "abs": abs, "round": round}
MAX_EXPRESSION_CHARS = 200


class Link(BaseModel):
    """A path whose value follows the point's parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="Its column in the store.")
    path: str = Field(description="A --set path, e.g. structure.layers[0].mandate.")
    expression: str = Field(min_length=1, max_length=MAX_EXPRESSION_CHARS)
    bases: list[str] | None = Field(default=None, min_length=1, description="Only these bases.")

    @model_validator(mode="after")
    def _parses(self) -> Self:
        self.names()  # raises ValueError on anything but the allowed arithmetic
        return self

    def names(self) -> set[str]:
        """The parameters the expression uses."""
        try:
            tree = ast.parse(self.expression, mode="eval")
        except SyntaxError:
            raise ValueError(f"link {self.name!r}: {self.expression!r} is not arithmetic") from None
        found = set()
        for node in ast.walk(tree):
            _check(node, self.name)
            if isinstance(node, ast.Name) and node.id not in FUNCTIONS:
                found.add(node.id)
        return found

    def value(self, values: Mapping[str, float]) -> float:
        """The expression at the point's parameter ``values``.

        Raises:
            ValueError: it divides by zero, overflows or is not a finite number.
        """
        try:
            result = _evaluate(ast.parse(self.expression, mode="eval").body, values)
        except (ZeroDivisionError, OverflowError, TypeError) as error:
            raise ValueError(f"link {self.name!r}: {self.expression}: {error}") from None
        if not isinstance(result, int | float) or not math.isfinite(result):
            raise ValueError(f"link {self.name!r}: {self.expression} gives {result!r}")
        return float(result)


ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load, ast.Call)


def _check(node: ast.AST, name: str) -> None:
    allowed = isinstance(node, ALLOWED) or type(node) in OPERATORS
    if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
        allowed = False
    if isinstance(node, ast.Call):
        allowed = (
            isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and not node.keywords
        )
    if not allowed:
        raise ValueError(
            f"link {name!r}: only numbers, parameter names, + - * / // % ** and "
            f"{', '.join(FUNCTIONS)} are allowed (found {type(node).__name__})"
        )


def _evaluate(node: ast.AST, values: Mapping[str, float]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, values), _evaluate(node.right, values)
        if isinstance(node.op, ast.Pow) and abs(right) > 100:
            raise OverflowError("exponent above 100")
        return OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return OPERATORS[type(node.op)](_evaluate(node.operand, values))
    call = cast(ast.Call, node)  # the only node left: checked when the file was read
    function = FUNCTIONS[cast(ast.Name, call.func).id]
    return function(*(_evaluate(arg, values) for arg in call.args))

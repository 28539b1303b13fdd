"""Explaining a scenario's validation errors: the field, the value found, what is allowed.

A value is echoed only where the person reading the message wrote it: one found in a file
that the scenario extends is described by its type (such a file may hold anything,
credentials included).
"""

from __future__ import annotations

import reprlib
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from orgsim.scenario.schema import Scenario

Location = tuple[str | int, ...]
"""A place in a scenario, as the validator names it: ``("structure", "layers", 1)``."""

_REPR = reprlib.Repr(maxlevel=3, maxdict=4, maxlist=4, maxstring=40, maxother=40)


def explain(error: ValidationError, origin: str, shown: set[Location] | None = None) -> str:
    """One line per problem; values are echoed only where ``shown`` (None: everywhere)."""
    lines = [f"{origin}: {error.error_count()} problem(s) in the scenario"]
    for item in error.errors(include_url=False):
        loc = _without_tags(item["loc"])
        lines.append(f"  {format_loc(loc) or '(top level)'}: {_message(item, _echo(loc, shown))}")
    return "\n".join(lines)


def _echo(loc: Location, shown: set[Location] | None) -> Callable[[Any], str]:
    """How to describe a value found at ``loc``: as it is, or by its type only.

    A value at a place the file itself (or an override) set is shown; one that came from
    a file it extends, or that merges values from one, is described by its type.
    """
    if shown is None or any(loc[:end] in shown for end in range(1, len(loc) + 1)):
        return short
    return lambda value: f"a {type(value).__name__} from an extended file"


def _message(item: Any, echo: Callable[[Any], str]) -> str:
    """What is wrong with one value, what was found, and what is allowed."""
    kind, found = item["type"], f" (found {echo(item['input'])})"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(item["loc"][:-1])
        return f"unknown key; allowed here: {', '.join(allowed)}{found}"
    if kind == "missing":
        return "required but missing"
    if kind == "value_error" and isinstance(item["input"], Mapping):
        # a check across fields: its message names the values; the whole section is noise
        return item["msg"].removeprefix("Value error, ")
    return f"{item['msg'].removeprefix('Value error, ')}{found}"


def short(value: Any) -> str:
    """A bounded ``repr``: safe for huge, deep or self-referencing values."""
    try:
        text = _REPR.repr(value)
    except Exception:  # a broken __repr__ of a value passed from Python
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def format_loc(loc: Iterable[str | int]) -> str:
    """``("structure", "layers", 1)`` as ``structure.layers[1]``; keys escaped and cut short."""
    text = ""
    for part in loc:
        key = printable(str(part), MAX_KEY_CHARS)
        text += f"[{key}]" if isinstance(part, int) else (f".{key}" if text else key)
    return text


MAX_KEY_CHARS = 40
"""Longest key a message shows whole: a key is a word; a longer one is cut."""


def printable(text: str, limit: int) -> str:
    r"""``text`` with control characters escaped (``\x1b``, ``\n``), cut to ``limit``.

    What a message echoes must not steer a terminal (escape sequences) or break a line.
    """
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _without_tags(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The location as the file writes it: without pydantic's union tags (``exponential``)."""
    model: Any = Scenario
    kept: list[str | int] = []
    for part in loc:
        is_tag = model is not None and _is_union(model) and isinstance(part, str)
        model = _field_model(model, part) if model is not None else None
        if not (is_tag and model is not None):
            kept.append(part)
    return tuple(kept)


def _is_union(model: Any) -> bool:
    return typing.get_origin(model) in (typing.Union, types.UnionType)


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    """The keys the scenario schema allows at ``loc`` (best effort through unions)."""
    return schema_keys(loc) or ["(see docs/scenarios.md)"]


def schema_keys(loc: tuple[str | int, ...]) -> list[str] | None:
    """The keys the schema allows at ``loc``, or None where it cannot be told (a union)."""
    model: Any = Scenario
    for part in loc:
        model = _field_model(model, part)
        if model is None:
            return None
    fields = getattr(model, "model_fields", None)
    return sorted(fields) if fields else None


def _field_model(model: Any, part: str | int) -> Any:
    """The pydantic model one step along a location, or None where it cannot be told."""
    if isinstance(part, int):
        return model  # list items: _unwrap already stepped into the item type
    fields = getattr(model, "model_fields", {})
    if part in fields:
        return _unwrap(fields[part].annotation)
    # a discriminated union's tag (e.g. "exponential") names the member model
    for member in typing.get_args(model) or ():
        tag = getattr(member, "model_fields", {}).get("dist") or getattr(
            member, "model_fields", {}
        ).get("curve")
        if tag is not None and tag.default == part:
            return member
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional, list and Annotated down to a model (or a union of models)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
        return typing.Union[tuple(members)]  # noqa: UP007 - a runtime union of models
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None

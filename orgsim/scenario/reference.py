"""The scenario reference (docs/scenarios.md), written from the schema itself.

``python -m orgsim.scenario.reference > docs/scenarios.md`` regenerates it; a test fails when
the file and the schema part ways.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from orgsim.scenario.behaviour import ExponentialDecay, Logistic
from orgsim.scenario.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Uniform,
)
from orgsim.scenario.schema import Scenario

FAMILIES = (Deterministic, Exponential, Lognormal, Gamma, Uniform, Empirical)
CURVES = (Logistic, ExponentialDecay)

INTRO = """# Scenario reference

Generated from `orgsim/scenario/schema.py` by `python -m orgsim.scenario.reference`; do not edit.
Units are in the names: `_h` working hours, `_days` working days. Every section is
strict: a key not listed here is an error.

Besides the sections below, a file may have three keys that the loader reads:

- `extends: other.yaml` inherits that file (its path relative to this file's folder):
  mappings merge key by key, lists replace.
- `overrides:` a mapping of dotted paths to values, applied after the merge, to change
  single values of what the file extends without retyping a list, e.g.
  `overrides: {structure.layers[1].mandate: 60000}`. The paths are those of `--set`.
- `name:` the scenario's name in reports; without it, the file's stem (`cells.yaml` is
  `cells`), never the parent's name.
"""


def reference() -> str:
    """The whole reference as Markdown."""
    curves = [(f"satisfaction.delay_curve: {c.model_fields['curve'].default}", c) for c in CURVES]
    families = [(f"dist: {f.model_fields['dist'].default}", f) for f in FAMILIES]
    return "\n".join(
        [
            INTRO,
            *(_table(path, model) for path, model in [*_sections(Scenario, "scenario"), *curves]),
            "## Distributions\n\nAny random quantity: a mapping with `dist`, or a bare "
            "number (deterministic). Every family takes an optional `cap`.\n",
            *(_table(title, family) for title, family in families),
        ]
    )


def _sections(model: type[BaseModel], path: str) -> list[tuple[str, type[BaseModel]]]:
    """``model`` and every section model nested in it, depth first, each once."""
    found = [(path, model)]
    for name, info in model.model_fields.items():
        annotation, listed = _optional_list(info.annotation)
        members = _section_models(annotation)
        if len(members) > 1 and any("kind" not in m.model_fields for m in members):
            continue  # a union without a kind (the delay curves) has sections of its own
        for nested in members:
            kind = nested.model_fields.get("kind")
            tag = (
                ""
                if len(members) == 1 or kind is None
                else "|".join(typing.get_args(kind.annotation))
            )
            suffix = f"[kind: {tag}]" if tag else "[*]" if listed else ""
            found += _sections(nested, f"{path}.{name}{suffix}" if path != "scenario" else name)
    return found


def _optional_list(annotation: Any) -> tuple[Any, bool]:
    """``annotation`` without ``| None`` and without ``list[...]``; whether it was a list."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            annotation = members[0]
    listed = typing.get_origin(annotation) is list
    return (typing.get_args(annotation)[0] if listed else annotation), listed


def _section_model(annotation: Any) -> type[BaseModel] | None:
    """The one scenario section a field holds, if it holds exactly one."""
    members = _section_models(_optional_list(annotation)[0])
    return members[0] if len(members) == 1 else None


def _section_models(annotation: Any) -> list[type[BaseModel]]:
    """The scenario sections a field holds (a tagged union holds several; not distributions)."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _section_models(a)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [] if annotation.__module__.endswith("distributions") else [annotation]
    return []


def _table(title: str, model: type[BaseModel]) -> str:
    doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    rows = [f"## `{title}`\n", doc, "", "| key | type | default | meaning |", "|---|---|---|---|"]
    rows += [
        f"| `{name}` | {_type_name(info.annotation)}{_bounds(info)} | {_default(info)} "
        f"| {_meaning(info)} |"
        for name, info in model.model_fields.items()
    ]
    return "\n".join(rows) + "\n"


def _bounds(info: FieldInfo) -> str:
    """The field's allowed range, `` in [1, 1000]`` or `` (at most 50)``, from its constraints."""
    low = high = ""
    for constraint in info.metadata:
        for name, bracket in (("ge", "["), ("gt", "(")):
            if (value := getattr(constraint, name, None)) is not None:
                low = f"{bracket}{_number(value)}"
        for name, bracket in (("le", "]"), ("lt", ")")):
            if (value := getattr(constraint, name, None)) is not None:
                high = f"{_number(value)}{bracket}"
        if (most := getattr(constraint, "max_length", None)) is not None:
            return f" (at most {_number(most)})"
    if not (low or high):
        return ""
    return f" in {low or '(-inf'}, {high or 'inf)'}"


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _meaning(info: FieldInfo) -> str:
    """The field's description, or for a section the first line of its docstring."""
    section = _section_model(info.annotation)
    text = info.description or (section.__doc__ or "").strip().split("\n")[0] if section else ""
    return (info.description or text).replace("|", "/")


def _default(info: FieldInfo) -> str:
    if info.default is PydanticUndefined and info.default_factory is None:
        return "required"
    value = info.default_factory() if info.default_factory else info.default
    if isinstance(value, BaseModel):
        return "see below" if _section_model(type(value)) else f"`{_compact(value)}`"
    if isinstance(value, list):
        shown = (_compact(v) if isinstance(v, BaseModel) else str(v) for v in value)
        return f"`[{', '.join(shown)}]`"
    return f"`{value}`" if value is not None else "`null`"


def _compact(value: BaseModel) -> str:
    fields = value.model_dump(exclude_none=True)
    return "{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return " / ".join(f"`{v}`" for v in typing.get_args(annotation))
    if origin is list:
        return f"list of {_type_name(typing.get_args(annotation)[0])}"
    if origin is dict:
        key, value = typing.get_args(annotation)
        return f"mapping of {_type_name(key)} to {_type_name(value)}"
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        if any(getattr(m, "__module__", "").endswith("distributions") for m in members):
            return "distribution"
        return " or ".join(_type_name(m) for m in members)
    if annotation is type(None):
        return "null"
    return getattr(annotation, "__name__", str(annotation))


if __name__ == "__main__":
    print(reference(), end="")

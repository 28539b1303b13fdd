"""Reading scenario files: YAML, ``extends:`` inheritance, dotted overrides, clear errors.

Every way a file can be wrong ends in one :class:`ScenarioError` whose message names
the file, the field path, the value found and what is allowed; nothing else escapes.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from orgsim.scenario import Scenario

_TOKEN = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")


class ScenarioError(Exception):
    """A scenario that cannot be used, with a message meant for the person who wrote it."""


def load_scenario(
    source: str | Path | Mapping[str, Any] | Scenario,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
) -> Scenario:
    """Build a validated scenario from a file, a mapping or a scenario, with overrides.

    Args:
        source: a YAML file path, a raw mapping, or an already validated scenario.
        overrides: dotted paths to values, as a mapping (``{"run.days": 30}``) or as
            ``PATH=VALUE`` strings from a command line (the value is read as YAML).

    Raises:
        ScenarioError: the file or the result is not a valid scenario.
    """
    if isinstance(source, Scenario):
        raw, origin = source.model_dump(mode="json"), f"scenario {source.name!r}"
    elif isinstance(source, Mapping):
        raw, origin = dict(source), "scenario mapping"
    else:
        raw, origin = _read_with_parents(Path(source), seen=()), str(source)
    for path, value in _parse_overrides(overrides):
        _set_path(raw, path, value, origin)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError(_explain(error, origin)) from None


def _read_with_parents(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """The file's mapping merged over the file it ``extends`` (recursively)."""
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p) for p in (*seen, resolved))
        raise ScenarioError(f"{path}: extends: circular inheritance ({chain})")
    raw = _read_yaml(path)
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file name, got {parent!r}")
    base = _read_with_parents(path.parent / parent, (*seen, resolved))
    return _deep_merge(base, raw)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: is not UTF-8 text") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ScenarioError(f"{path}: broken YAML{where}: {problem}") from None
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else f"a {type(raw).__name__}"
        raise ScenarioError(f"{path}: a scenario must be a mapping of sections, this is {kind}")
    return raw


def _deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: mappings merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


# --- overrides ----------------------------------------------------------------------------


def _parse_overrides(
    overrides: Mapping[str, Any] | Iterable[str] | None,
) -> list[tuple[str, Any]]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return list(overrides.items())
    pairs = []
    for item in overrides:
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise ScenarioError(f"--set {item!r}: expected PATH=VALUE, e.g. run.days=30")
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            raise ScenarioError(f"--set {item!r}: the value is not valid YAML") from None
        pairs.append((path.strip(), value))
    return pairs


def _parse_path(path: str) -> list[str | int]:
    """``a.b[2].c`` as ``["a", "b", 2, "c"]``."""
    tokens: list[str | int] = []
    position = 0
    for match in _TOKEN.finditer(path):
        gap = path[position : match.start()]
        if gap not in ("", "."):
            raise ScenarioError(f"override {path!r}: cannot read the path near {gap!r}")
        name, index = match.groups()
        tokens.append(name if name is not None else int(index))
        position = match.end()
    if not tokens or position != len(path):
        raise ScenarioError(
            f"override {path!r}: not a dotted path like structure.layers[1].mandate"
        )
    return tokens


def _set_path(raw: dict[str, Any], path: str, value: Any, origin: str) -> None:
    tokens = _parse_path(path)
    node: Any = raw
    for depth, token in enumerate(tokens):
        last = depth == len(tokens) - 1
        where = _format_loc(tokens[: depth + 1])
        if isinstance(token, int):
            if not isinstance(node, list):
                raise ScenarioError(f"{origin}: {where}: {_format_loc(tokens[:depth])} is no list")
            if not -len(node) <= token < len(node):
                raise ScenarioError(
                    f"{origin}: {where}: no such item, the list has {len(node)} items"
                )
        elif not isinstance(node, dict):
            raise ScenarioError(f"{origin}: {where}: {_format_loc(tokens[:depth])} is no mapping")
        if last:
            node[token] = value
        else:
            if isinstance(token, str) and token not in node:
                node[token] = {}
            node = node[token]


# --- explaining validation errors ---------------------------------------------------------


def _explain(error: ValidationError, origin: str) -> str:
    lines = [f"{origin}: {error.error_count()} problem(s) in the scenario"]
    for item in error.errors(include_url=False):
        loc = _format_loc(item["loc"])
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            allowed = _allowed_keys(item["loc"][:-1])
            message = f"unknown key; allowed here: {', '.join(allowed)}"
        elif item["type"] == "missing":
            message = "required but missing"
        found = "" if item["type"] == "missing" else f" (found {_short(item['input'])})"
        lines.append(f"  {loc or '(top level)'}: {message}{found}")
    return "\n".join(lines)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _format_loc(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    """The keys the scenario schema allows at ``loc`` (best effort through unions)."""
    model: Any = Scenario
    for part in loc:
        model = _field_model(model, part)
        if model is None:
            return ["(see docs/scenarios.md)"]
    return sorted(model.model_fields)


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

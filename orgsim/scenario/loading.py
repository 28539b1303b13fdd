"""Reading scenario files: YAML, ``extends:`` inheritance, dotted overrides, clear errors.

Every way a file can be wrong ends in one :class:`ScenarioError` whose message names
the file, the field path, the value found and what is allowed; nothing else escapes.
"""

from __future__ import annotations

import re
import reprlib
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.schema import Scenario

_TOKEN = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")
_REPR = reprlib.Repr(maxlevel=3, maxdict=4, maxlist=4, maxstring=40, maxother=40)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, but a scalar it cannot convert is a marked YAML error.

    The safe loader raises ``ValueError`` or ``KeyError`` for scalars such as
    ``2020-13-01`` or ``!!bool maybe``; this turns them into errors with a line.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            tag = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                problem=f"cannot read {node.value!r} as {tag} ({error})",
                problem_mark=node.start_mark,
            ) from None


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
        if not overrides:
            return source  # validated once already, and frozen
        raw, origin = source.model_dump(), f"scenario {source.name!r}"
    elif isinstance(source, Mapping):
        raw, origin = dict(source), "scenario mapping"
    else:
        raw, origin = _read_with_parents(Path(source), seen=()), str(source)
    _apply_overrides(raw, overrides, origin)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError(_explain(error, origin)) from None


def _read_with_parents(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """The file's mapping merged over the file it ``extends`` (recursively)."""
    resolved = _resolve(path)
    if resolved in seen:
        chain = " -> ".join(str(p) for p in (*seen, resolved))
        raise ScenarioError(f"{path}: extends: circular inheritance ({chain})")
    try:
        raw = _read_yaml(path)
    except ScenarioError as error:
        if not seen:
            raise
        raise ScenarioError(f"{error} (extended by {seen[-1]})") from None
    parent = raw.pop("extends", None)
    changes = raw.pop("overrides", None)
    raw.setdefault("name", path.stem)  # a file's own name, never its parent's
    if parent is not None:
        if not isinstance(parent, str) or not parent.strip():
            raise ScenarioError(
                f"{path}: extends: expected the file name of a scenario, found {_short(parent)}"
            )
        raw = _deep_merge(_read_with_parents(path.parent / parent, (*seen, resolved)), raw)
    if changes is not None:
        if not isinstance(changes, Mapping):
            raise ScenarioError(
                f"{path}: overrides: expected a mapping of dotted paths to values, "
                f"e.g. {{structure.layers[1].mandate: 5000}}, found {_short(changes)}"
            )
        _apply_overrides(raw, changes, f"{path}: overrides")
    return raw


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError) as error:
        raise ScenarioError(f"{path}: not a usable file name ({error})") from None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: is not UTF-8 text") from None
    except ValueError as error:
        raise ScenarioError(f"{path}: not a usable file name ({error})") from None
    try:
        raw = _parse_yaml(text)
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: broken YAML{_yaml_problem(error, text)}") from None
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else f"a {type(raw).__name__}"
        raise ScenarioError(f"{path}: a scenario must be a mapping of sections, this is {kind}")
    return raw


def _parse_yaml(text: str) -> Any:
    """The document in ``text``; every way it can be broken is a ``yaml.YAMLError``."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader: builds plain data only
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None


def _yaml_problem(error: yaml.YAMLError, text: str) -> str:
    """Where and what: `` at line 3, column 4: expected ',' or ']'``."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
    else:
        return f": {error}"
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or error
    return f" at line {line}, column {column}: {problem}"


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


def _apply_overrides(
    raw: dict[str, Any], overrides: Mapping[str, Any] | Iterable[str] | None, origin: str
) -> None:
    """Set each override in ``raw``; a bad one is an error that names ``origin``."""
    try:
        for path, value in _parse_overrides(overrides):
            _set_path(raw, path, value)
    except ScenarioError as error:
        raise ScenarioError(f"{origin}: {error}") from None


def _parse_overrides(
    overrides: Mapping[str, Any] | Iterable[str] | None,
) -> list[tuple[str, Any]]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        for path in overrides:
            if not isinstance(path, str):
                raise ScenarioError(f"override {path!r}: the path must be a string")
        return list(overrides.items())
    if isinstance(overrides, str):
        overrides = [overrides]
    return [_parse_assignment(item) for item in overrides]


def _parse_assignment(item: object) -> tuple[str, Any]:
    """``"run.days=30"`` as ``("run.days", 30)``: the value is read as YAML."""
    if not isinstance(item, str):
        raise ScenarioError(f"--set {item!r}: expected a PATH=VALUE string, e.g. run.days=30")
    path, sep, text = item.partition("=")
    if not sep or not path.strip():
        raise ScenarioError(f"--set {item!r}: expected PATH=VALUE, e.g. run.days=30")
    try:
        value = _parse_yaml(text)
    except yaml.YAMLError as error:
        problem = _yaml_problem(error, text)
        raise ScenarioError(f"--set {item!r}: the value is not valid YAML{problem}") from None
    return path.strip(), value


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


def _set_path(raw: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in ``raw`` to ``value``, creating missing mappings on the way.

    The lists and mappings along the path are copied first, so that neither the
    caller's mapping nor a YAML alias shared with another place changes.
    """
    tokens = _parse_path(path)
    node: Any = raw
    for depth, token in enumerate(tokens):
        _check_step(node, tokens, depth)
        if depth == len(tokens) - 1:
            node[token] = value
        else:
            child = node.get(token, {}) if isinstance(node, dict) else node[token]
            node[token] = child = _copy_container(child)
            node = child


def _check_step(node: Any, tokens: list[str | int], depth: int) -> None:
    """Raise unless ``node`` can be stepped into with ``tokens[depth]``."""
    token, where = tokens[depth], _format_loc(tokens[: depth + 1])
    parent = _format_loc(tokens[:depth]) or "the scenario"
    if isinstance(token, int):
        if not isinstance(node, list):
            raise ScenarioError(f"override {where}: {parent} is no list (found {_short(node)})")
        if not -len(node) <= token < len(node):
            raise ScenarioError(f"override {where}: no such item, the list has {len(node)} items")
    elif not isinstance(node, dict):
        raise ScenarioError(f"override {where}: {parent} is no mapping (found {_short(node)})")


def _copy_container(value: Any) -> Any:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


# --- explaining validation errors ---------------------------------------------------------


def _explain(error: ValidationError, origin: str) -> str:
    lines = [f"{origin}: {error.error_count()} problem(s) in the scenario"]
    for item in error.errors(include_url=False):
        loc = _format_loc(_without_tags(item["loc"]))
        lines.append(f"  {loc or '(top level)'}: {_message(item)}")
    return "\n".join(lines)


def _message(item: Any) -> str:
    """What is wrong with one value, what was found, and what is allowed."""
    kind, found = item["type"], f" (found {_short(item['input'])})"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(item["loc"][:-1])
        return f"unknown key; allowed here: {', '.join(allowed)}{found}"
    if kind == "missing":
        return "required but missing"
    if kind == "value_error" and isinstance(item["input"], Mapping):
        # a check across fields: its message names the values; the whole section is noise
        return item["msg"].removeprefix("Value error, ")
    return f"{item['msg'].removeprefix('Value error, ')}{found}"


def _short(value: Any) -> str:
    """A bounded ``repr``: safe for huge, deep or self-referencing values."""
    try:
        text = _REPR.repr(value)
    except Exception:  # a broken __repr__ of a value passed from Python
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _format_loc(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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
    model: Any = Scenario
    for part in loc:
        model = _field_model(model, part)
        if model is None:
            return ["(see docs/scenarios.md)"]
    return sorted(getattr(model, "model_fields", None) or ["(see docs/scenarios.md)"])


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

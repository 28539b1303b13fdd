"""Reading scenario files: YAML, ``extends:`` inheritance, dotted overrides, clear errors.

Every way a file can be wrong ends in one :class:`ScenarioError` whose message names
the file, the field path, the value found and what is allowed; nothing else escapes.
Reading is bounded (:mod:`orgsim.scenario.limits`): a file's size, the values it holds
once its aliases are expanded, the length of an ``extends`` chain and of an override's
path, so that no file makes the loader hang or fill the memory. A value found in a file
that the scenario extends is described by its type only: a file reached that way may
hold anything, credentials included.
"""

from __future__ import annotations

import re
import reprlib
import stat
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ValidationError

from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.schema import Scenario

Location = tuple[str | int, ...]
Overrides = Mapping[str, Any] | Iterable[str | tuple[str, Any]] | None
"""Dotted paths to values: a mapping, ``PATH=VALUE`` strings, or ``(path, value)`` pairs."""

_TOKEN = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")
_REPR = reprlib.Repr(maxlevel=3, maxdict=4, maxlist=4, maxstring=40, maxother=40)


_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")
"""A number with an exponent and no dot (``1e6``, ``5e-324``): YAML 1.2 and JSON read it as
a float, YAML 1.1 (PyYAML) as a string. Types are strict, so it must be read as a number."""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing duplicate keys; a scalar it cannot convert is an error.

    The safe loader raises ``ValueError`` or ``KeyError`` for scalars such as
    ``2020-13-01`` or ``!!bool maybe``; this turns them into errors with a line. It also
    keeps the last of two equal keys silently (a second ``structure:`` replaces the
    first): here that is an error too. Keys merged in with ``<<`` may still be overridden.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """The mapping, after checking that no key is written twice."""
        first_lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(
                key_node, yaml.ScalarNode
            ):
                continue
            key = self.construct_object(key_node)
            if key in first_lines:
                raise yaml.constructor.ConstructorError(
                    problem=f"duplicate key {key!r} (first at line {first_lines[key]})",
                    problem_mark=key_node.start_mark,
                )
            first_lines[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            tag = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                problem=f"cannot read {node.value!r} as {tag} ({error})",
                problem_mark=node.start_mark,
            ) from None


_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789"))


def load_scenario(
    source: str | Path | Mapping[str, Any] | Scenario,
    overrides: Overrides = None,
) -> Scenario:
    """Build a validated scenario from a file, a mapping or a scenario, with overrides.

    Args:
        source: a YAML file path, a raw mapping, or an already validated scenario.
        overrides: dotted paths to values, as a mapping (``{"run.days": 30}``), as
            ``PATH=VALUE`` strings from a command line (the value is read as YAML), or
            as ``(path, value)`` pairs.

    Raises:
        ScenarioError: the file or the result is not a valid scenario.
    """
    own: set[Location] | None = None  # where values were set by the file itself: all of them
    if isinstance(source, Scenario):
        if not overrides:
            return source  # validated once already, and frozen
        raw, origin = source.model_dump(), f"scenario {source.name!r}"
    elif isinstance(source, Mapping):
        raw, origin = dict(source), "scenario mapping"
    elif isinstance(source, str | Path):
        raw, own = _read_with_parents(Path(source))
        origin = str(source)
    else:
        raise ScenarioError(
            f"scenario: expected a file name, a mapping or a Scenario, found {_short(source)}"
        )
    try:
        written = _apply_overrides(raw, overrides, origin)
        return Scenario.model_validate(raw)
    except ValidationError as error:
        shown = None if own is None else own | set(written)
        raise ScenarioError(_explain(error, origin, shown)) from None
    except RecursionError:
        raise ScenarioError(f"{origin}: nested too deeply") from None


def _read_with_parents(path: Path) -> tuple[dict[str, Any], set[Location] | None]:
    """The file's mapping merged over the files it ``extends``, and where it set values.

    The second item lists the locations of the values written in ``path`` itself
    (None if it extends nothing: then every value is its own).
    """
    chain: list[Path] = []
    files: list[dict[str, Any]] = []
    current = path
    while True:
        resolved = _resolve(current)
        if resolved in chain:
            names = " -> ".join(str(p) for p in (*chain, resolved))
            raise ScenarioError(f"{current}: extends: circular inheritance ({names})")
        raw = _read_yaml(current) if not chain else _read_parent(current, chain[-1])
        parent = raw.pop("extends", None)
        chain.append(resolved)
        files.append(raw)
        if parent is None:
            break
        if not isinstance(parent, str) or not parent.strip():
            found = _short(parent) if len(chain) == 1 else f"a {type(parent).__name__}"
            raise ScenarioError(
                f"{current}: extends: expected the file name of a scenario, found {found}"
            )
        if len(chain) > limits.MAX_EXTENDS_DEPTH:
            raise ScenarioError(
                f"{path}: extends: a chain of more than {limits.MAX_EXTENDS_DEPTH} files "
                f"({chain[0]} -> ... -> {current} -> {parent} ...); at most "
                f"{limits.MAX_EXTENDS_DEPTH} are allowed"
            )
        current = current.parent / parent
    merged = files[-1]
    for raw in reversed(files[:-1]):
        merged = _deep_merge(merged, raw)
    _check_size(merged, str(path))
    return merged, (_leaf_locations(files[0]) if len(files) > 1 else None)


def _read_parent(path: Path, child: Path) -> dict[str, Any]:
    try:
        return _read_yaml(path, quote=False)
    except ScenarioError as error:
        raise ScenarioError(f"{error} (extended by {child})") from None


def _leaf_locations(raw: Mapping[str, Any], prefix: Location = ()) -> set[Location]:
    """Locations of the values (not mappings) in ``raw``: what a file set itself."""
    leaves: set[Location] = set()
    for key, value in raw.items():
        if isinstance(value, Mapping):
            leaves |= _leaf_locations(value, (*prefix, key))
        else:
            leaves.add((*prefix, key))
    return leaves


def _check_size(raw: Any, origin: str) -> None:
    """Refuse a document of more values than a scenario could need, aliases expanded.

    Counts at most :data:`~orgsim.scenario.limits.MAX_DOCUMENT_NODES` values, so the
    check costs little even for an alias bomb of astronomical expanded size.
    """
    budget, stack = limits.MAX_DOCUMENT_NODES, [raw]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            raise ScenarioError(
                f"{origin}: too large: more than {limits.MAX_DOCUMENT_NODES:,} values "
                "(aliases counted at each use); a scenario holds a few hundred"
            )
        if isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError) as error:
        raise ScenarioError(f"{path}: not a usable file name ({error})") from None


def _read_yaml(path: Path, quote: bool = True) -> dict[str, Any]:
    """The mapping in the file at ``path``; ``quote``: a YAML error may quote the text."""
    try:
        text = _read_text(path)
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
        where = _yaml_problem(error, text, quote)
        raise ScenarioError(f"{path}: broken YAML{where}") from None
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else f"a {type(raw).__name__}"
        raise ScenarioError(f"{path}: a scenario must be a mapping of sections, this is {kind}")
    _check_size(raw, str(path))
    return raw


def _read_text(path: Path) -> str:
    """The text of a regular file of at most ``MAX_FILE_BYTES``, read without waiting.

    A device (``/dev/zero``), a pipe or a folder is refused before it is opened: reading
    one may never end, or wait for a writer that never comes.
    """
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise ScenarioError(f"{path}: cannot be read ({kind}; a scenario is a YAML file)")
    with path.open("rb") as file:
        data = file.read(limits.MAX_FILE_BYTES + 1)
    if len(data) > limits.MAX_FILE_BYTES:
        raise ScenarioError(
            f"{path}: larger than {limits.MAX_FILE_BYTES:,} bytes; a scenario is a few kilobytes"
        )
    return data.decode("utf-8")


def _parse_yaml(text: str) -> Any:
    """The document in ``text``; every way it can be broken is a ``yaml.YAMLError``."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader: builds plain data only
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None


def _yaml_problem(error: yaml.YAMLError, text: str, quote: bool = True) -> str:
    """Where and what: `` at line 3, column 4: expected ',' or ']'``.

    Without ``quote`` only where: what PyYAML says may quote the file's values.
    """
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
    else:
        return f": {error}" if quote else ""
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or error
    return f" at line {line}, column {column}" + (f": {problem}" if quote else "")


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


def _apply_overrides(raw: dict[str, Any], overrides: Overrides, origin: str) -> list[Location]:
    """Set each override in ``raw``; a bad one is an error that names ``origin``.

    Returns:
        The locations set, as the validator names them (list indices from 0).
    """
    written = []
    try:
        for path, value in _parse_overrides(overrides):
            _check_size(value, f"override {_short(path)}")
            written.append(_set_path(raw, path, _plain(value)))
    except ScenarioError as error:
        raise ScenarioError(f"{origin}: {error}") from None
    return written


def _parse_overrides(
    overrides: Overrides,
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
    if not isinstance(overrides, Iterable):
        raise ScenarioError(
            f"overrides: expected PATH=VALUE strings or a mapping, found {_short(overrides)}"
        )
    return [_parse_assignment(item) for item in overrides]


def _parse_assignment(item: object) -> tuple[str, Any]:
    """``"run.days=30"`` as ``("run.days", 30)``: the value is read as YAML.

    A ``(path, value)`` pair passes as it is: Python callers mix ``PATH=VALUE`` strings
    and values they hold (``simulate(days=...)``) that way.
    """
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return item
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


def _plain(value: Any) -> Any:
    """``value`` with numpy's scalars as Python's (``np.int64(5)`` as ``5``).

    Types are strict, and numpy's integers are no Python ``int``; but a program that
    sweeps a parameter with numpy means the number, so its scalars are taken as such.
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _parse_path(path: str) -> list[str | int]:
    """``a.b[2].c`` as ``["a", "b", 2, "c"]``, in one pass of at most ``MAX_PATH_PARTS``."""
    tokens: list[str | int] = []
    position = 0
    for match in _TOKEN.finditer(path):
        gap = path[position : match.start()]
        if gap not in ("", "."):
            raise ScenarioError(f"override {_short(path)}: cannot read the path near {gap!r}")
        if len(tokens) == limits.MAX_PATH_PARTS:
            raise ScenarioError(
                f"override {_short(path)}: more than {limits.MAX_PATH_PARTS} parts; "
                "a scenario is a few levels deep"
            )
        name, index = match.groups()
        tokens.append(name if name is not None else int(index))
        position = match.end()
    if not tokens or position != len(path):
        raise ScenarioError(
            f"override {_short(path)}: not a dotted path like structure.layers[1].mandate"
        )
    return tokens


def _set_path(raw: dict[str, Any], path: str, value: Any) -> Location:
    """Set ``path`` in ``raw`` to ``value``, creating missing mappings on the way.

    The lists and mappings along the path are copied first, so that neither the
    caller's mapping nor a YAML alias shared with another place changes.

    Returns:
        The location set, list indices counted from 0.
    """
    tokens = _parse_path(path)
    node: Any = raw
    location: list[str | int] = []
    for depth, token in enumerate(tokens):
        _check_step(node, tokens, depth)
        location.append(token % len(node) if isinstance(token, int) else token)
        if depth == len(tokens) - 1:
            node[token] = value
        else:
            child = node.get(token, {}) if isinstance(node, dict) else node[token]
            node[token] = child = _copy_container(child)
            node = child
    return tuple(location)


def _check_step(node: Any, tokens: list[str | int], depth: int) -> None:
    """Raise unless ``node`` can be stepped into with ``tokens[depth]``.

    A key neither in ``node`` nor in the schema at that place is named as an unknown key,
    with the keys allowed there, as the validator names one in a file.
    """
    token = tokens[depth]

    def where() -> str:  # formatted on error only: a step costs O(1), a path O(parts)
        return _format_loc(tokens[: depth + 1])

    def parent() -> str:
        return _format_loc(tokens[:depth]) or "the scenario"

    if isinstance(token, int):
        if not isinstance(node, list):
            raise ScenarioError(f"override {where()}: {parent()} is no list (found {_short(node)})")
        if not -len(node) <= token < len(node):
            raise ScenarioError(f"override {where()}: no such item, the list has {len(node)} items")
    elif not isinstance(node, dict):
        raise ScenarioError(f"override {where()}: {parent()} is no mapping (found {_short(node)})")
    elif token not in node:
        allowed = _schema_keys(tuple(tokens[:depth]))
        if allowed is not None and token not in allowed:
            raise ScenarioError(
                f"override {where()}: unknown key; allowed here: {', '.join(allowed)}"
            )


def _copy_container(value: Any) -> Any:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


# --- explaining validation errors ---------------------------------------------------------


def _explain(error: ValidationError, origin: str, shown: set[Location] | None = None) -> str:
    """One line per problem; values are echoed only where ``shown`` (None: everywhere)."""
    lines = [f"{origin}: {error.error_count()} problem(s) in the scenario"]
    for item in error.errors(include_url=False):
        loc = _without_tags(item["loc"])
        lines.append(f"  {_format_loc(loc) or '(top level)'}: {_message(item, _echo(loc, shown))}")
    return "\n".join(lines)


def _echo(loc: Location, shown: set[Location] | None) -> Callable[[Any], str]:
    """How to describe a value found at ``loc``: as it is, or by its type only.

    A value at a place the file itself (or an override) set is shown; one that came from
    a file it extends, or that merges values from one, is described by its type.
    """
    if shown is None or any(loc[:end] in shown for end in range(1, len(loc) + 1)):
        return _short
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
    return _schema_keys(loc) or ["(see docs/scenarios.md)"]


def _schema_keys(loc: tuple[str | int, ...]) -> list[str] | None:
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

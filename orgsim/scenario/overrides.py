"""Dotted-path overrides of a scenario: ``structure.layers[1].mandate=5000``.

An item of a list of units may be named by its id: ``structure.units[sales_director].mandate``.
A path is parsed in one pass and has at most ``MAX_PATH_PARTS`` parts; a key that the
schema does not know at its place is named as unknown, with the keys allowed there.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import Location, format_loc, schema_keys, short
from orgsim.scenario.reading import check_size, parse_yaml, yaml_problem

Overrides = Mapping[str, Any] | Iterable[str | tuple[str, Any]] | None
"""Dotted paths to values: a mapping, ``PATH=VALUE`` strings, or ``(path, value)`` pairs."""

_TOKEN = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]|\[([A-Za-z_][A-Za-z0-9_.\-]*)\]")


class ItemId(str):
    """A list item named by its ``id`` in a path (``units[sales_director]``), not by position."""


def apply_overrides(raw: dict[str, Any], overrides: Overrides, origin: str) -> list[Location]:
    """Set each override in ``raw``; a bad one is an error that names ``origin``.

    Returns:
        The locations set, as the validator names them (list indices from 0).
    """
    written = []
    try:
        for path, value in _parse_overrides(overrides):
            check_size(value, f"override {short(path)}")
            written.append(_set_path(raw, path, _plain(value)))
    except ScenarioError as error:
        raise ScenarioError(f"{origin}: {error}") from None
    return written


def as_pairs(overrides: Overrides) -> list[tuple[str, Any]]:
    """Overrides in any accepted form as ``(path, value)`` pairs, values read as YAML.

    Raises:
        ScenarioError: an item is not a ``PATH=VALUE`` string, a pair or a mapping.
    """
    return _parse_overrides(overrides)


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
            f"overrides: expected PATH=VALUE strings or a mapping, found {short(overrides)}"
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
        value = parse_yaml(text)
    except yaml.YAMLError as error:
        problem = yaml_problem(error, text)
        raise ScenarioError(f"--set {item!r}: the value is not valid YAML{problem}") from None
    return path.strip(), value


def _plain(value: Any) -> Any:
    """``value`` with numpy's scalars as Python's (``np.int64(5)`` as ``5``).

    Types are strict, and numpy's integers are no Python ``int``; but a program that
    sweeps a parameter with numpy means the number, so its scalars are taken as such.
    """
    numpy = sys.modules.get("numpy")  # a numpy scalar implies numpy is loaded: don't load it
    if numpy is not None and isinstance(value, numpy.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def parse_path(path: str) -> list[str | int]:
    """``a.b[2].c`` as ``["a", "b", 2, "c"]``, in one pass of at most ``MAX_PATH_PARTS``."""
    tokens: list[str | int] = []
    position = 0
    for match in _TOKEN.finditer(path):
        gap = path[position : match.start()]
        if gap not in ("", "."):
            raise ScenarioError(f"override {short(path)}: cannot read the path near {gap!r}")
        if len(tokens) == limits.MAX_PATH_PARTS:
            raise ScenarioError(
                f"override {short(path)}: more than {limits.MAX_PATH_PARTS} parts; "
                "a scenario is a few levels deep"
            )
        name, index, item = match.groups()
        if item is not None:
            tokens.append(ItemId(item))
        else:
            tokens.append(name if name is not None else int(index))
        position = match.end()
    if not tokens or position != len(path):
        raise ScenarioError(
            f"override {short(path)}: not a dotted path like structure.layers[1].mandate"
        )
    return tokens


def _set_path(raw: dict[str, Any], path: str, value: Any) -> Location:
    """Set ``path`` in ``raw`` to ``value``, creating missing mappings on the way.

    The lists and mappings along the path are copied first, so that neither the
    caller's mapping nor a YAML alias shared with another place changes.

    Returns:
        The location set, list indices counted from 0.
    """
    tokens = parse_path(path)
    node: Any = raw
    location: list[str | int] = []
    for depth, token in enumerate(tokens):
        if isinstance(token, ItemId):
            tokens[depth] = token = _position(node, tokens, depth)
        _check_step(node, tokens, depth)
        location.append(token % len(node) if isinstance(token, int) else token)
        if depth == len(tokens) - 1:
            node[token] = value
        else:
            child = node.get(token, {}) if isinstance(node, dict) else node[token]
            node[token] = child = _copy_container(child)
            node = child
    return tuple(location)


def _position(node: Any, tokens: list[str | int], depth: int) -> int:
    """The position in the list ``node`` of the item whose ``id`` is ``tokens[depth]``."""
    where = format_loc(tokens[:depth]) or "the scenario"
    if not isinstance(node, list):
        raise ScenarioError(f"override {where}[{tokens[depth]}]: {where} is no list")
    for position, item in enumerate(node):
        if isinstance(item, dict) and item.get("id") == tokens[depth]:
            return position
    ids = [str(item["id"]) for item in node if isinstance(item, dict) and "id" in item]
    if not ids:
        raise ScenarioError(
            f"override {where}[{tokens[depth]}]: cannot read the path: the items of {where} "
            "have no ids; name one by its position, e.g. [0]"
        )
    shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
    raise ScenarioError(
        f"override {where}[{tokens[depth]}]: no item has id {tokens[depth]!r}; ids: {shown}"
    )


def _check_step(node: Any, tokens: list[str | int], depth: int) -> None:
    """Raise unless ``node`` can be stepped into with ``tokens[depth]``.

    A key neither in ``node`` nor in the schema at that place is named as an unknown key,
    with the keys allowed there, as the validator names one in a file.
    """
    token = tokens[depth]

    def where() -> str:  # formatted on error only: a step costs O(1), a path O(parts)
        return format_loc(tokens[: depth + 1])

    def parent() -> str:
        return format_loc(tokens[:depth]) or "the scenario"

    if isinstance(token, int):
        if not isinstance(node, list):
            raise ScenarioError(f"override {where()}: {parent()} is no list (found {short(node)})")
        if not -len(node) <= token < len(node):
            raise ScenarioError(f"override {where()}: no such item, the list has {len(node)} items")
    elif not isinstance(node, dict):
        raise ScenarioError(f"override {where()}: {parent()} is no mapping (found {short(node)})")
    elif token not in node:
        allowed = schema_keys(tuple(tokens[:depth]))
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

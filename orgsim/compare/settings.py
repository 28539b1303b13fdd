"""The compared scenarios' settings side by side, by meaning, differences first.

Each validated scenario is flattened to dotted paths like those ``--set`` takes. Layers
are lined up by what they are, not by where they sit: a layer is matched by its name
(``structure.layers[director].mandate``); layers whose names the other scenarios do not
share are matched by role and rank from the bottom (``structure.layers[approver 2]``:
the second-lowest such approver), and the report says so. Lined up by position, a
hierarchy's department manager would be compared with a self-managing organisation's
leadership circle as ``layers[1]``. A value set by an override (``--set``,
``--set-for``, ``--variant``) is marked in its cell.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from orgsim.scenario.schema import Scenario

SKIPPED = ("name", "description")
"""Shown elsewhere in a report: the names head the columns, descriptions are prose."""


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings and lists as ``{dotted.path[i]: leaf}``."""
    if isinstance(value, Mapping):
        items = [(f"{prefix}.{k}" if prefix else str(k), v) for k, v in value.items()]
    elif isinstance(value, list) and value:
        items = [(f"{prefix}[{i}]", v) for i, v in enumerate(value)]
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for path, leaf in items:
        flat |= flatten(leaf, path)
    return flat


LAYERS = "structure.layers"
CHANGED = " (changed)"
"""Marks a cell whose value an override set."""


def side_by_side(
    scenarios: Sequence[Scenario], changes: Mapping[str, Sequence[str]] | None = None
) -> pd.DataFrame:
    """One row per setting, one column per scenario, and ``differs`` where they disagree.

    Args:
        scenarios: the compared scenarios.
        changes: per scenario name, the paths its overrides set (``"culture.trust.blame"``);
            their cells are marked :data:`CHANGED`.

    Returns:
        The differing rows first, then the identical ones, each in the scenarios' order.
        A setting one scenario lacks (a layer only the hierarchy has) shows as empty.
    """
    changes = changes or {}
    keys = layer_keys(scenarios)
    flats = []
    for scenario, own in zip(scenarios, keys, strict=True):
        flat = flatten(scenario.model_dump(mode="json"))
        set_here = _overridden(flat, changes.get(scenario.name, ()))
        flats.append(
            {
                _by_meaning(path, own): _text(v) + (CHANGED if path in set_here else "")
                for path, v in flat.items()
            }
        )
    paths = [p for p in merged_order([list(flat) for flat in flats]) if p not in SKIPPED]
    table = pd.DataFrame(
        {
            s.name: [flat.get(p, "") for p in paths]
            for s, flat in zip(scenarios, flats, strict=True)
        },
        index=pd.Index(paths, name="setting"),
    )
    plain = table.apply(lambda column: column.str.removesuffix(CHANGED))
    table["differs"] = plain.nunique(axis=1) > 1
    return pd.concat([table[table["differs"]], table[~table["differs"]]])


def layer_keys(scenarios: Sequence[Scenario]) -> list[list[str]]:
    """Each scenario's layers as the report names them: by name, else by role and rank.

    A name another compared scenario also has is the key. The other layers are keyed
    ``"<role> <k>"``, the k-th lowest of that role among them, where another scenario
    has such unmatched layers of that role too (their counterparts); else by name.
    """
    names = [[layer.name for layer in s.structure.layers] for s in scenarios]
    shared = Counter(n for own in names for n in set(own))
    unmatched = [
        {layer.role for layer in s.structure.layers if shared[layer.name] < 2} for s in scenarios
    ]
    roles = Counter(role for own in unmatched for role in own)
    keys = []
    for scenario in scenarios:
        ranks: Counter[str] = Counter()
        mine = []
        for layer in scenario.structure.layers:
            if shared[layer.name] > 1 or roles[layer.role] < 2:
                mine.append(layer.name)
            else:
                ranks[layer.role] += 1
                mine.append(f"{layer.role} {ranks[layer.role]}")
        keys.append(mine)
    return keys


def matched_by_role(scenarios: Sequence[Scenario]) -> bool:
    """Whether some layers are lined up by role and rank, their names differing."""
    return any(
        key != layer.name
        for s, keys in zip(scenarios, layer_keys(scenarios), strict=True)
        for key, layer in zip(keys, s.structure.layers, strict=True)
    )


def _by_meaning(path: str, keys: Sequence[str]) -> str:
    """``structure.layers[1].x`` as ``structure.layers[<key of layer 1>].x``."""
    prefix = LAYERS + "["
    if not path.startswith(prefix):
        return path
    index, _, rest = path[len(prefix) :].partition("]")
    return f"{prefix}{keys[int(index)]}]{rest}"


def _overridden(flat: Mapping[str, Any], paths: Sequence[str]) -> set[str]:
    """The flattened paths an override of ``paths`` set (a mapping sets all below it)."""
    return {
        leaf
        for leaf in flat
        for path in paths
        if leaf == path or leaf.startswith((path + ".", path + "["))
    }


def merged_order(sequences: Sequence[list[str]]) -> list[str]:
    """All items, each sequence's order kept: a new item goes right after its predecessor.

    So a setting only one scenario has (a layer's ``members``) stays beside its
    neighbours instead of trailing at the end.
    """
    merged: list[str] = []
    for sequence in sequences:
        seen = set(merged)
        for i, item in enumerate(sequence):
            if item in seen:
                continue
            at = merged.index(sequence[i - 1]) + 1 if i else 0
            merged.insert(at, item)
            seen.add(item)
    return merged


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)

"""The compared scenarios' settings side by side, as dotted paths, differences marked.

Each validated scenario is flattened to the same dotted paths that ``--set`` takes
(``structure.layers[1].mandate``), so a reader can copy a path from the report to
a command line.
"""

from __future__ import annotations

import json
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


def side_by_side(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """One row per setting, one column per scenario, and ``differs`` where they disagree.

    A setting one scenario lacks (a layer only the hierarchy has) shows as empty.
    """
    flats = [flatten(s.model_dump(mode="json")) for s in scenarios]
    paths = [p for p in merged_order([list(flat) for flat in flats]) if p not in SKIPPED]
    table = pd.DataFrame(
        {
            s.name: [_text(flat.get(p, _MISSING)) for p in paths]
            for s, flat in zip(scenarios, flats, strict=True)
        },
        index=pd.Index(paths, name="setting"),
    )
    table["differs"] = table.nunique(axis=1) > 1
    return table


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


_MISSING = object()


def _text(value: Any) -> str:
    if value is _MISSING:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)

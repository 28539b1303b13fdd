"""The store's part files: one schema in every part, each written whole, bad ones set aside.

Every part holds the same columns in the same order and types, whatever its runs
(a base without a parameter, a failed run without figures: nulls), so that
``select * from 'DIR/parts/*.parquet'`` reads the folder as one table. A part that
cannot be read (cut short by a full disk, emptied, not Parquet) is moved to
``DIR/quarantine`` and named, and its runs count as not stored: resume makes them again.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from orgsim.results.files import write_whole
from orgsim.scenario.errors import ScenarioError

QUARANTINE = "quarantine"

IDENTITY = (
    ("run_key", pa.string()),
    ("design_id", pa.string()),
    ("base", pa.string()),
    ("point", pa.int64()),
    ("replication", pa.int64()),
    ("seed", pa.int64()),
)
PROVENANCE = (
    ("scenario_hash", pa.string()),
    ("orgsim_version", pa.string()),
    ("orgsim_commit", pa.string()),
)
TAIL = (("wall_time_s", pa.float64()), ("error", pa.string()))
FIXED = frozenset(name for name, _ in (*IDENTITY, *PROVENANCE, *TAIL))


def schema(parameters: dict[str, bool], figures: Sequence[str]) -> pa.Schema:
    """The store's columns: identity, parameters (numeric or text), provenance, figures."""
    params = [
        (name, pa.float64() if numeric else pa.string()) for name, numeric in parameters.items()
    ]
    figure_fields = [(name, pa.float64()) for name in figures]
    return pa.schema([*IDENTITY, *params, *PROVENANCE, *figure_fields, *TAIL])


def new_columns(rows: Sequence[dict[str, Any]], columns: pa.Schema) -> list[str]:
    """Columns of ``rows`` the schema lacks (figures not seen before), in their order."""
    known = set(columns.names)
    return list(dict.fromkeys(key for row in rows for key in row if key not in known))


def table(rows: Sequence[dict[str, Any]], columns: pa.Schema) -> pa.Table:
    """``rows`` as a table of exactly ``columns``: what a row lacks is null."""
    return pa.Table.from_pylist(list(rows), schema=columns)


def conform(part: pa.Table, columns: pa.Schema) -> pa.Table:
    """A stored part brought to ``columns`` (a column it lacks becomes nulls)."""
    arrays = [
        part[field.name].cast(field.type)
        if field.name in part.column_names
        else pa.nulls(len(part), field.type)
        for field in columns
    ]
    return pa.Table.from_arrays(arrays, schema=columns)


def write_part(data: pa.Table, path: Path) -> Path:
    """Write ``data`` to ``path`` whole (a temporary name, then a rename) or not at all.

    Raises:
        ScenarioError: the file system refused (read-only, full, file too large); the
            parts written before are kept.
    """
    try:
        return write_whole(path, lambda temporary: pq.write_table(data, temporary))
    except OSError as error:
        raise ScenarioError(
            f"{path.parent}: cannot write a part ({error.strerror or error}); the runs "
            "stored so far are kept: free the disk or fix the folder, then --resume"
        ) from None


def problem(path: Path) -> str | None:
    """Why a part cannot be used (unreadable, no run keys), or None if it is sound."""
    try:
        keys = pq.read_table(path, columns=["run_key"])
    except (pa.ArrowException, OSError, KeyError) as error:
        return str(error).splitlines()[0][:120] or type(error).__name__
    if keys["run_key"].null_count:
        return "run keys missing"
    return None


def quarantine(parts: Path) -> list[str]:
    """Move every unusable part of ``parts`` to the quarantine folder beside it.

    Returns:
        One line per part moved: its name and what is wrong with it.
    """
    moved = []
    for path in sorted(parts.glob("*.parquet")):
        if (reason := problem(path)) is None:
            continue
        aside = parts.parent / QUARANTINE
        try:
            aside.mkdir(exist_ok=True)
            shutil.move(path, aside / path.name)
        except OSError as error:
            raise ScenarioError(
                f"{path}: unreadable ({reason}) and cannot be moved aside ({error.strerror})"
            ) from None
        moved.append(f"{path.name}: {reason}")
    return moved

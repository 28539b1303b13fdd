"""Loading a scenario: a file (with ``extends:``), a mapping or a scenario, with overrides.

Every way a file can be wrong ends in one :class:`ScenarioError` whose message names
the file, the field path, the value found and what is allowed; nothing else escapes.
Reading files is in :mod:`~orgsim.scenario.reading`, overrides in
:mod:`~orgsim.scenario.overrides`, the messages in :mod:`~orgsim.scenario.explain`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import Location, explain, short
from orgsim.scenario.overrides import Overrides, apply_overrides
from orgsim.scenario.reading import check_size, deep_merge, leaf_locations, read_chain
from orgsim.scenario.schema import Scenario

__all__ = ["Overrides", "ScenarioError", "load_scenario"]


def load_scenario(
    source: str | Path | Mapping[str, Any] | Scenario,
    overrides: Overrides = None,
    roots: Sequence[Path] | None = None,
) -> Scenario:
    """Build a validated scenario from a file, a mapping or a scenario, with overrides.

    Args:
        source: a YAML file path, a raw mapping, or an already validated scenario.
        overrides: dotted paths to values, as a mapping (``{"run.days": 30}``), as
            ``PATH=VALUE`` strings from a command line (the value is read as YAML), or
            as ``(path, value)`` pairs.
        roots: folders the file and every file it ``extends`` must lie in (resolved);
            None: anywhere (a server reading uploads passes its folders).

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
        raw, own = _read_file(Path(source), roots)
        origin = str(source)
    else:
        raise ScenarioError(
            f"scenario: expected a file name, a mapping or a Scenario, found {short(source)}"
        )
    try:
        written = apply_overrides(raw, overrides, origin)
        return Scenario.model_validate(raw)
    except ValidationError as error:
        shown = None if own is None else own | set(written)
        raise ScenarioError(explain(error, origin, shown)) from None
    except RecursionError:
        raise ScenarioError(f"{origin}: nested too deeply") from None


def _read_file(
    path: Path, roots: Sequence[Path] | None = None
) -> tuple[dict[str, Any], set[Location] | None]:
    """The file merged over the files it ``extends``, and where it set values itself.

    Root first, each file's mapping is merged over what it extends, then its own
    ``overrides:`` (dotted paths, as ``--set``) change single values of the result, so
    that a file can change one layer of its parent without retyping the list. A file
    without ``name:`` is named after its file, never after its parent. The locations
    are those ``path`` itself set (None if it extends nothing: then all are its own).
    """
    files = read_chain(path, roots)
    merged: dict[str, Any] = {}
    own: set[Location] = set()
    for file, raw in reversed(files):
        changes = raw.pop("overrides", None)
        raw.setdefault("name", file.stem)
        merged = deep_merge(merged, raw)
        if changes is not None:
            written = _file_overrides(merged, changes, file)
            own = set(written) if file is files[0][0] else own
    check_size(merged, str(path))
    if len(files) == 1:
        return merged, None
    return merged, leaf_locations(files[0][1]) | own


def _file_overrides(merged: dict[str, Any], changes: Any, file: Path) -> list[Location]:
    """Apply the ``overrides:`` mapping of ``file`` to ``merged``; where it set values."""
    if not isinstance(changes, Mapping):
        raise ScenarioError(
            f"{file}: overrides: expected a mapping of dotted paths to values, "
            f"e.g. {{structure.layers[1].mandate: 5000}}, found {short(changes)}"
        )
    return apply_overrides(merged, changes, f"{file}: overrides")

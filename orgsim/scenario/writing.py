"""A scenario written as a YAML file that ``orgsim run`` reads back as the same scenario."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import yaml

from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explicit import as_mapping
from orgsim.scenario.schema import Scenario


def scenario_yaml(
    scenario: Scenario, header: str = "", notes: Mapping[str, str] | None = None
) -> str:
    """``scenario`` as YAML text, ``header`` as comment lines above it.

    Units are written one a line (a chart of hundreds of people stays a readable file),
    each followed by its note from ``notes`` (by id) as a comment.
    """
    notes = notes or {}
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    raw = as_mapping(scenario)
    units = raw["structure"].pop("units", None)
    parts = []
    for key, value in raw.items():
        parts.append(_block({key: value}))
        if key == "structure" and units is not None:
            parts.append("  units:\n" + "".join(_noted(unit, notes) for unit in units))
    return comments + "".join(parts)


def _noted(unit: dict[str, object], notes: Mapping[str, str]) -> str:
    note = notes.get(str(unit["id"]))
    comment = "  # " + " ".join(note.split()) if note else ""
    return f"  - {_line(unit)}{comment}\n"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: 10x faster


def _block(value: object) -> str:
    return yaml.dump(value, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)


def _line(unit: dict[str, object]) -> str:
    """A unit as one flow mapping: ``{id: sales, kind: team, parent: director, size: 7}``."""
    text = yaml.dump(
        unit, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=True
    )
    return " ".join(text.split())


def check_target(path: Path, force: bool) -> None:
    """Refuse ``path`` before any work: an existing file (unless ``force``), a missing folder.

    Raises:
        ScenarioError: naming the path and what to do.
    """
    if path.exists() and not force:
        raise ScenarioError(f"--out {path}: the file exists; use --force to replace it")
    if path.is_dir():
        raise ScenarioError(f"--out {path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise ScenarioError(f"--out {path}: the folder {path.parent} does not exist")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` whole: under a temporary name first, then renamed over ``path``.

    Raises:
        ScenarioError: the file cannot be written.
    """
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ScenarioError(f"--out {path}: cannot write it ({error.strerror or error})") from None

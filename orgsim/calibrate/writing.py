"""Writing a calibrated scenario: the YAML file and its sidecar of calibration facts.

Kept apart from the estimates so that the scenario's shape can change (an explicit org
tree, issue 21) without touching them. The sidecar (``NAME.calibration.json``) holds
what a scenario has no field for and ``orgsim validate-log`` needs: the working
calendar, the split, the activities that answer, close and escalate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from orgsim.results.files import write_whole


class _Dumper(yaml.SafeDumper):
    """Lists of numbers (percentiles) on one line; everything else in block style."""


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(x, int | float) for x in data) and len(data) > 0
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def scenario_yaml(scenario: dict[str, Any], header: str) -> str:
    """The scenario as YAML, below a comment ``header``."""
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    body = yaml.dump(scenario, Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True)
    return comment + body


def sidecar_path(scenario_path: Path) -> Path:
    """``desk.yaml`` -> ``desk.calibration.json``."""
    return scenario_path.with_name(scenario_path.stem + ".calibration.json")


def write_calibration(path: Path, text: str, facts: dict[str, Any]) -> None:
    """Write the scenario and its sidecar, each whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, lambda tmp: tmp.write_text(text))
    side = json.dumps(facts, indent=2, default=str) + "\n"
    write_whole(sidecar_path(path), lambda tmp: tmp.write_text(side))


def read_sidecar(scenario_path: Path) -> dict[str, Any] | None:
    """The calibration facts beside a scenario, if it was calibrated."""
    side = sidecar_path(Path(scenario_path))
    if not side.is_file():
        return None
    return json.loads(side.read_text())

"""From design points to runs: every point's scenario resolved and validated first.

Each base scenario is loaded once (with the experiment's fixed overrides), then each
design point's overrides are applied to it and the result validated, all before any
run starts: a bad path, value or resulting scenario stops the sweep with a message
naming the experiment file and the point (the CLI exits 2), not half-way through.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgsim import __version__
from orgsim.scenario import limits, workload
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.schema import Scenario
from orgsim.sweep.design import DesignPoint, Experiment, Grid, design_points
from orgsim.sweep.seeds import replication_seeds


@dataclass(frozen=True)
class RunTask:
    """One run to make: a resolved scenario, its seed, and where it sits in the design.

    Attributes:
        key: hash of base, point, resolved scenario, seed and orgsim version.
        base: name of the base scenario.
        point: design point id (shared by every base for sampled designs).
        replication: replication index; its seed is shared by every point.
        seed: the run's seed.
        params: the varied parameters' column values.
        scenario: the validated scenario to run.
        digest: the scenario's digest, if known (else computed from it when needed).
    """

    key: str
    base: str
    point: int
    replication: int
    seed: int
    params: dict[str, Any]
    scenario: Scenario
    digest: str = ""


def plan(
    experiment: Experiment, source: str | Path, max_runs: int = limits.MAX_RUNS
) -> list[RunTask]:
    """Every run of the experiment in ``source``, each scenario validated.

    The design's size is counted before any point is built, and each point's expected
    work checked before the first run: a design too large is refused in a second.

    Raises:
        ScenarioError: a base, a path, a value or a point's scenario is invalid, or the
            design makes more than ``max_runs`` runs or a run too much work; the
            message names ``source`` and, for a point, its base, id and settings.
    """
    bases = _load_bases(experiment, Path(source))
    _check_parameter_bases(experiment, list(bases), source)
    points = design_size(experiment, list(bases))
    runs = f"{source}: {points:,} design points x {experiment.replications:,} replications"
    limits.check_runs(points * experiment.replications, max_runs, runs)
    seeds = replication_seeds(experiment.seed, experiment.replications)
    tasks = []
    for point in design_points(experiment, list(bases)):
        scenario = _resolve(bases[point.base], point, source)
        try:
            workload.check(scenario)
        except ScenarioError as error:
            raise ScenarioError(f"{source}: {point.describe()}: {error}") from None
        params = {name: setting.value for name, setting in point.settings.items()}
        digest = scenario.digest()  # once per point: hashing a scenario is not free
        for replication, seed in enumerate(seeds):
            key = run_key(point, digest, seed)
            tasks.append(
                RunTask(key, point.base, point.point, replication, seed, params, scenario, digest)
            )
    return tasks


def design_size(experiment: Experiment, bases: list[str]) -> int:
    """How many points the design has in all ``bases``, counted without building them."""
    sampler = experiment.sampler
    if not isinstance(sampler, Grid):
        return len(bases) * sampler.size(len(experiment.parameters))
    return sum(
        math.prod(p.count() for p in experiment.parameters if p.bases is None or base in p.bases)
        for base in bases
    )


def run_key(point: DesignPoint, digest: str, seed: int) -> str:
    """A run's identity: its place in the design, resolved scenario's digest, seed, version.

    The point is part of it because two points can resolve to one scenario (a
    sampled coordinate rounded to the same level); each point keeps its own rows.
    """
    text = f"{point.base}|{point.point}|{digest}|{seed}|{__version__}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _load_bases(experiment: Experiment, source: Path) -> dict[str, Scenario]:
    bases: dict[str, Scenario] = {}
    for entry in experiment.bases:
        try:
            scenario = load_scenario(source.parent / entry, experiment.fixed)
        except ScenarioError as error:
            raise ScenarioError(f"{source}: bases: {entry}: {error}") from None
        if scenario.name in bases:
            raise ScenarioError(
                f"{source}: bases: two bases are named {scenario.name!r}; names must differ"
            )
        bases[scenario.name] = scenario
    return bases


def _check_parameter_bases(experiment: Experiment, names: list[str], source: str | Path) -> None:
    for parameter in experiment.parameters:
        unknown = sorted(set(parameter.bases or ()) - set(names))
        if unknown:
            raise ScenarioError(
                f"{source}: parameters.{parameter.name}.bases: no base is named {unknown}; "
                f"the bases are {names}"
            )


def _resolve(base: Scenario, point: DesignPoint, source: str | Path) -> Scenario:
    try:
        return load_scenario(base, point.overrides)
    except ScenarioError as error:
        raise ScenarioError(f"{source}: {point.describe()}: {error}") from None

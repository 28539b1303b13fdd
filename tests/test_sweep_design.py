"""Experiment files: every shipped one validates and runs shrunk; bad ones fail clearly."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from sweep_stand_ins import ROOT, tiny_experiment

from orgsim.cli import main
from orgsim.scenario.errors import ScenarioError
from orgsim.sweep.design import Experiment, design_points, load_experiment
from orgsim.sweep.points import plan
from orgsim.sweep.runner import run_sweep
from orgsim.sweep.seeds import replication_seeds
from orgsim.sweep.store import Store

EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))
SHRUNK_SAMPLERS = {"lhs": {"samples": 3}, "sobol": {"samples": 2}, "morris": {"trajectories": 2}}


def test_the_three_studies_are_shipped():
    names = {path.stem for path in EXPERIMENTS}
    assert {"layers_vs_mandate", "trust_and_blame", "sobol_satisfaction"} <= names


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_experiment_validates_every_point(path):
    experiment = load_experiment(path)
    tasks = plan(experiment, path)
    assert len({task.key for task in tasks}) == len(tasks)
    points = {(task.base, task.point) for task in tasks}
    assert len(tasks) == len(points) * experiment.replications


def _shrunk(path: Path, tmp: Path) -> Path:
    """The experiment with short runs, one replication and the fewest samples."""
    raw = yaml.safe_load(path.read_text())
    raw["bases"] = [str((path.parent / base).resolve()) for base in raw["bases"]]
    raw["set"] = {**raw.get("set", {}), "run.days": 3, "run.warmup_days": 1}
    raw["replications"] = 1
    if isinstance(raw.get("sampler"), dict):
        raw["sampler"] |= SHRUNK_SAMPLERS[raw["sampler"]["method"]]
    shrunk = tmp / path.name
    shrunk.write_text(yaml.safe_dump(raw))
    return shrunk


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_experiment_runs_and_analyses_shrunk(path, tmp_path):
    out = tmp_path / "store"
    report = run_sweep(_shrunk(path, tmp_path), out, workers=1)
    assert report.failed == 0
    assert report.ran == report.total > 0
    assert main(["analyze", str(out)]) == 0
    runs = Store(out).runs()
    assert len(runs) == report.total
    assert runs["satisfaction_mean"].between(0, 1).all()
    assert (out / "analysis" / "index.html").stat().st_size > 0


def test_a_grid_varies_a_parameter_only_in_its_bases(tmp_path):
    path = tiny_experiment(tmp_path)
    raw = yaml.safe_load(path.read_text())
    raw["parameters"].append(
        {"name": "layers", "bases": ["hierarchy"], "levels": {1: {}, 2: {"run.days": 5}}}
    )
    tasks = plan(Experiment.model_validate(raw), path)
    per_base = {base: {t.point for t in tasks if t.base == base} for base in ("hierarchy",)}
    assert len(per_base["hierarchy"]) == 3 * 2
    assert len({t.point for t in tasks if t.base == "self_managing"}) == 3
    assert all("layers" not in t.params for t in tasks if t.base == "self_managing")


def test_replication_r_of_every_point_shares_its_seed(tmp_path):
    path = tiny_experiment(tmp_path, replications=3)
    tasks = plan(load_experiment(path), path)
    seeds = replication_seeds(5, 3)
    assert len(set(seeds)) == 3
    for task in tasks:
        assert task.seed == seeds[task.replication]


def test_sampled_points_are_shared_by_the_bases_and_fixed_by_the_seed(tmp_path):
    raw = yaml.safe_load(tiny_experiment(tmp_path).read_text())
    raw["parameters"] = [{"name": "trust", "path": "culture.trust.initial", "range": [0.2, 0.9]}]
    raw["sampler"] = {"method": "lhs", "samples": 6}
    experiment = Experiment.model_validate(raw)
    points = design_points(experiment, ["a", "b"])
    again = design_points(Experiment.model_validate(raw), ["a", "b"])
    value = {(p.base, p.point): p.settings["trust"].value for p in points}
    assert value == {(p.base, p.point): p.settings["trust"].value for p in again}
    assert all(value[("a", i)] == value[("b", i)] for i in range(6))
    assert all(0.2 <= v <= 0.9 for v in value.values())
    # a Latin hypercube puts one point in each sixth of the range
    sixths = sorted(min(int((value[("a", i)] - 0.2) / 0.7 * 6), 5) for i in range(6))
    assert sixths == list(range(6))


BAD = [
    (
        {"parameters": [{"name": "m", "path": "structure.teams.no_such", "values": [1]}]},
        ["tiny.yaml", "hierarchy point 0", "m=1", "no_such"],
    ),
    (
        {
            "parameters": [
                {"name": "m", "path": "structure.teams.employee_mandate", "values": [500, 50000]}
            ]
        },
        ["tiny.yaml", "hierarchy point 1", "m=50000", "mandates must not shrink"],
    ),
    ({"figures": ["happiness"]}, ["tiny.yaml", "figures", "unknown figures ['happiness']"]),
    (
        {"sampler": {"method": "sobol", "samples": 12}},
        ["tiny.yaml", "sampler", "power of two"],
    ),
    (
        {"parameters": [{"name": "m", "path": "run.days", "range": [5, 1]}]},
        ["tiny.yaml", "range must be [low, high]"],
    ),
    ({"bases": ["nowhere.yaml"]}, ["tiny.yaml", "bases: nowhere.yaml", "no such scenario"]),
    (
        {"parameters": [{"name": "d", "path": "run.days", "range": [3, 5]}]},
        ["tiny.yaml", "parameters ['d']: a range or distribution needs `steps` in a grid"],
    ),
    (
        {"parameters": [{"name": "d", "path": "run.days", "distribution": {"name": "norm"}}]},
        ["tiny.yaml", "parameters ['d']: a range or distribution needs `steps` in a grid"],
    ),
    (
        {"parameters": [{"name": "d", "path": "x", "distribution": {"name": "gamma"}}]},
        ["tiny.yaml", "distribution gamma", "missing 1 required positional argument"],
    ),
    (
        {"parameters": [{"name": "seed", "path": "run.days", "values": [3]}]},
        ["tiny.yaml", "columns of the store"],
    ),
]


@pytest.mark.parametrize(("changes", "words"), BAD)
def test_a_bad_experiment_is_one_clear_message_and_exit_2(changes, words, tmp_path, capsys):
    path = tiny_experiment(tmp_path, **changes)
    with pytest.raises(ScenarioError) as caught:
        plan(load_experiment(path), path)
    for word in words:
        assert word in str(caught.value)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "out" / "parts").exists() or not Store(tmp_path / "out").has_runs()


def test_a_distribution_is_sampled_by_its_quantiles(tmp_path):
    raw = yaml.safe_load(tiny_experiment(tmp_path).read_text())
    demand = {"name": "norm", "loc": 0.25, "scale": 0.02}
    raw["parameters"] = [
        {"name": "demand", "path": "demand.requests_per_customer_per_day", "distribution": demand}
    ]
    raw["sampler"] = {"method": "lhs", "samples": 400}
    points = design_points(Experiment.model_validate(raw), ["a"])
    values = np.array([p.settings["demand"].value for p in points])
    # a Latin hypercube of 400 quantiles: mean and sd within 2% of the distribution's
    assert values.mean() == pytest.approx(0.25, rel=0.02)
    assert values.std() == pytest.approx(0.02, rel=0.02)
    raw["sampler"], raw["parameters"][0]["steps"] = "grid", 3
    grid = design_points(Experiment.model_validate(raw), ["a"])
    thirds = [p.settings["demand"].value for p in grid]
    assert thirds == pytest.approx([0.25 - 0.02 * 0.9674, 0.25, 0.25 + 0.02 * 0.9674], abs=1e-4)


def test_the_file_format_example_in_experiments_readme_validates():
    text = (ROOT / "experiments" / "README.md").read_text()
    [block] = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    experiment = Experiment.model_validate(yaml.safe_load(block))
    assert [p.name for p in experiment.parameters] == ["mandate", "trust", "demand", "layers"]
    assert experiment.fixed == {"run.days": 60}

"""Paired contrasts between bases, one-base parameters in sampled designs, the notebook API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sweep_stand_ins import inline_backend, quick_runner, tiny_experiment

import orgsim.sweep
from orgsim.sweep.contrasts import contrasts
from orgsim.sweep.design import Experiment, design_points

FIGURE = "satisfaction_mean"
FIGURES = ["satisfaction_mean", "churn_rate"]  # quick_runner's


@pytest.fixture(autouse=True)
def inline(monkeypatch):
    monkeypatch.setattr("orgsim.sweep.runner.backend", inline_backend)


def test_the_paired_difference_cancels_the_shared_noise_and_finds_the_true_gap():
    design = Experiment.model_validate(
        {
            "name": "pairs",
            "bases": ["a.yaml", "b.yaml"],
            "parameters": [{"name": "x", "path": "p.x", "range": [0, 1]}],
            "sampler": {"method": "lhs", "samples": 20},
            "figures": [FIGURE],
        }
    )
    rng, rows = np.random.default_rng(4), []
    for r in range(8):
        luck = rng.normal(0, 1.0, 20)  # the shared seed: the same luck for both bases
        for p in design_points(design, ["a", "b"]):
            x = p.settings["x"].value
            gap = 0.3 * x if p.base == "b" else 0.0
            own = rng.normal(0, 0.01)
            rows.append(
                {
                    "base": p.base,
                    "point": p.point,
                    "replication": r,
                    "x": x,
                    FIGURE: luck[p.point] + gap + own,
                    "error": None,
                }
            )
    table = contrasts(design, pd.DataFrame(rows))
    assert set(table["base"]) == {"b - a"}
    assert len(table) == 20
    truth = 0.3 * table["x"]
    assert ((table["low"] <= truth) & (truth <= table["high"])).mean() >= 0.85  # 95% CIs
    assert (table["high"] - table["low"]).max() < 0.05  # unpaired, the luck's sd 1 remains


def test_a_two_base_sobol_with_a_one_base_parameter_runs(tmp_path):
    layers = {
        "name": "approval_layers",
        "bases": ["hierarchy"],
        "levels": {1: {"structure.layers[2].mandate": None}, 2: {}},
    }
    mandate = {"name": "mandate", "path": "structure.teams.employee_mandate", "range": [250, 4000]}
    path = tiny_experiment(
        tmp_path,
        parameters=[layers, mandate],
        sampler={"method": "sobol", "samples": 4},
        replications=1,
        figures=FIGURES,
    )
    store = orgsim.sweep.run(path, tmp_path / "store", runner=quick_runner)
    runs = store.runs()
    assert len(runs) == 2 * 4 * (2 + 2)
    assert runs.loc[runs["base"] == "self_managing", "approval_layers"].isna().all()
    assert set(runs.loc[runs["base"] == "hierarchy", "approval_layers"]) == {1.0, 2.0}
    indices = store.sobol()
    assert set(indices["base"]) == {"hierarchy", "self_managing"}
    on_self = indices[(indices["base"] == "self_managing") & (indices["figure"] == "churn_rate")]
    assert on_self.empty  # churn depends on the layers only there: it does not vary
    paired = store.contrasts()
    assert set(paired["base"]) == {"self_managing - hierarchy"}
    assert paired["approval_layers"].notna().all()  # the reference's own levels kept


def test_a_grid_contrast_pairs_each_level_of_the_reference_own_parameter(tmp_path):
    layers = {
        "name": "approval_layers",
        "bases": ["hierarchy"],
        "levels": {1: {"structure.layers[2].mandate": None}, 2: {}},
    }
    mandate = {
        "name": "mandate",
        "path": "structure.teams.employee_mandate",
        "values": [250, 1000, 4000],
    }
    path = tiny_experiment(tmp_path, parameters=[layers, mandate], figures=FIGURES)
    paired = orgsim.sweep.run(path, tmp_path / "store", runner=quick_runner).contrasts()
    assert len(paired) == 2 * 3 * len(FIGURES)
    satisfaction = paired[paired["figure"] == FIGURE]
    assert (satisfaction["difference"] == 0).all()  # quick_runner: the mandate alone sets it
    assert (satisfaction["n"] == 2).all()

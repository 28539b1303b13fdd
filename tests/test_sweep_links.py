"""Linked settings: a path that follows the parameters, checked before any run."""

from __future__ import annotations

import pytest
from sweep_stand_ins import SCENARIOS, tiny_experiment

from orgsim.cli import main
from orgsim.sweep.design import load_experiment
from orgsim.sweep.points import plan

MANDATE = {"name": "mandate", "path": "structure.teams.employee_mandate", "range": [500, 8000]}
LEAD = {
    "name": "lead_mandate",
    "path": "structure.layers[0].mandate",
    "expression": "max(3 * mandate, 5000)",
}


def linked(tmp_path, **link):
    return tiny_experiment(
        tmp_path,
        bases=[str(SCENARIOS / "hierarchy.yaml")],
        parameters=[MANDATE],
        links=[LEAD | link],
        sampler={"method": "lhs", "samples": 6},
        replications=1,
    )


def test_a_linked_path_follows_its_parameter_at_every_point(tmp_path):
    path = linked(tmp_path)
    tasks = plan(load_experiment(path), path)
    assert len(tasks) == 6
    for task in tasks:
        mandate = task.scenario.structure.teams.employee_mandate
        assert task.params["mandate"] == pytest.approx(mandate)
        lead = task.scenario.structure.layers[0].mandate
        assert lead == pytest.approx(max(3 * mandate, 5000))
        assert task.params["lead_mandate"] == pytest.approx(lead)


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        ("__import__('os').system('true')", "only numbers, parameter names"),
        ("10 * trust", "trust not numeric parameters (they are: mandate)"),
        ("mandate +", "is not arithmetic"),
        ("mandate / 0", "division by zero"),
    ],
)
def test_a_bad_link_is_one_clear_line_before_any_run(tmp_path, capsys, expression, said):
    out = tmp_path / "store"
    assert main(["sweep", str(linked(tmp_path, expression=expression)), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert said in error
    assert not out.exists()

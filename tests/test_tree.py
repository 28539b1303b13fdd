"""An explicit organisation tree (``structure.units``): resolved, built, run, refused when bad."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from strategies import HIERARCHY, SCENARIOS, raw_scenario
from test_cli import run_cli

from orgsim import OrgModel, load_scenario, simulate
from orgsim.scenario.loading import ScenarioError

UNEVEN = SCENARIOS / "uneven.yaml"


def uneven_raw() -> dict[str, Any]:
    return raw_scenario(UNEVEN)


def units_of(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return raw["structure"]["units"]


def unit(raw: dict[str, Any], unit_id: str) -> dict[str, Any]:
    return next(u for u in units_of(raw) if u["id"] == unit_id)


# --- the shorthand and a tree resolve alike -------------------------------------------------


def test_the_shorthand_resolves_to_the_tree_of_its_layers() -> None:
    tree = load_scenario(HIERARCHY).tree
    assert tree.roles == ("team_lead", "department_manager", "director", "deal_committee")
    assert [len(team.route) for team in tree.teams] == [4] * 8
    lead, department = tree.teams[5].route[:2]
    assert tree.points[lead].id == "team_lead-5"
    assert tree.points[department].id == "department_manager-1"  # team 5 // span 4
    assert tree.points[lead].parent == department
    assert tree.headcount == 8 * 6 + 8 + 2 + 1 + 5


def test_the_same_organisation_as_units_runs_exactly_as_the_shorthand(tmp_path: Path) -> None:
    """hierarchy.yaml written out unit by unit gives the very same run, seed for seed."""
    raw = raw_scenario(HIERARCHY)
    structure = raw["structure"]
    teams, layers = structure.pop("teams"), structure.pop("layers")
    units, below = [], [f"team-{t}" for t in range(teams["count"])]
    nodes: list[list[str]] = []
    for layer in layers:
        count = -(-len(below) // layer["span"])
        nodes.append([f"{layer['name']}-{n}" for n in range(count)])
        below = nodes[-1]
    for level, layer in enumerate(layers):
        settings = {k: v for k, v in layer.items() if k != "span"}
        for n, node in enumerate(nodes[level]):
            above = (
                nodes[level + 1][n // layers[level + 1]["span"]]
                if level + 1 < len(layers)
                else None
            )
            kind = "committee" if layer.get("members", 1) > 1 else "approver"
            units.append({**settings, "id": node, "kind": kind, "parent": above})
    shared = {k: v for k, v in teams.items() if k != "count"}
    units += [
        {**shared, "id": f"team-{t}", "kind": "team", "parent": nodes[0][t // layers[0]["span"]]}
        for t in range(teams["count"])
    ]
    structure["units"] = units
    path = tmp_path / "hierarchy_as_units.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    ours = simulate(path, seed=3, days=20).summary
    theirs = simulate(HIERARCHY, seed=3, days=20).summary
    for key in ("requests_created", "response_time_mean_h", "decision_accuracy", "churn_rate"):
        assert ours[key] == theirs[key], key


# --- an uneven tree ------------------------------------------------------------------------


def test_each_team_climbs_its_own_chain_of_parents() -> None:
    tree = load_scenario(UNEVEN).tree
    routes = {team.id: [tree.points[p].id for p in team.route] for team in tree.teams}
    assert routes["sales-3"] == ["sales_manager", "director", "committee"]
    assert routes["enterprise_desk"] == ["key_accounts", "director", "committee"]
    assert routes["support_desk"] == ["director", "committee"]
    assert tree.roles == ("department_manager", "director", "deal_committee")


def test_defaults_fill_what_a_unit_leaves_out_and_a_unit_s_own_value_wins() -> None:
    tree = load_scenario(UNEVEN).tree
    teams = {team.id: team for team in tree.teams}
    assert teams["support_desk"].spec.employee_mandate == 500  # from defaults.team
    assert teams["sales-1"].spec.employee_mandate == 5000  # its own
    assert teams["support_desk"].spec.size == 3
    assert teams["sales-2"].spec.size == 7


def test_decisions_are_counted_by_role_and_signed_by_people_of_that_role() -> None:
    model = OrgModel(UNEVEN, rng=2, overrides={"run.days": 30})
    model.run()
    log = model.log.frame()
    assert list(log["level_name"].cat.categories) == [
        "employee", "team", "department_manager", "director", "deal_committee",
    ]  # fmt: skip
    directors = {m.unique_id for m in model.org.managers if m.layer == 3}
    signed = set(log.loc[log["level_name"] == "director", "decider_id"])
    assert signed
    assert signed <= directors


def test_each_team_serves_its_own_customers_at_its_own_rate() -> None:
    """Requests per team follow customers x rate: each count inside its 99.9% Poisson interval.

    No customer leaves here, so that every request drawn is created.
    """
    days = {"run.days": 60, "satisfaction.churn.probability": 0.0}
    model = OrgModel(UNEVEN, rng=4, overrides=days)
    model.run()
    log = model.log.frame()
    team_of = np.array([e.team.name for e in model.accounts.contacts])
    assert (team_of == "enterprise_desk").sum() == 6
    assert (team_of == "support_desk").sum() == 60
    created = log.groupby(team_of[log["customer_id"].to_numpy()]).size()
    tree = model.spec.tree
    for team in ("enterprise_desk", "support_desk", "sales-1"):
        plan = next(t for t in tree.teams if t.id == team)
        expected = plan.customers * plan.requests_per_customer_per_day * 60
        assert abs(created[team] - expected) < 3.29 * math.sqrt(expected), team


def test_a_tree_value_is_overridden_by_the_unit_s_id() -> None:
    scenario = load_scenario(UNEVEN, ["structure.units[key_accounts].mandate=70000"])
    key_accounts = next(p for p in scenario.tree.points if p.id == "key_accounts")
    assert key_accounts.spec.mandate == 70000
    with pytest.raises(ScenarioError, match="no item has id 'nobody'"):
        load_scenario(UNEVEN, ["structure.units[nobody].mandate=1"])


# --- bad trees: refused before any run, the unit at fault named -----------------------------


def _parentless(raw: dict[str, Any]) -> None:
    unit(raw, "director")["parent"] = None


def _cycle(raw: dict[str, Any]) -> None:
    unit(raw, "committee")["parent"] = "sales_manager"


def _unknown_parent(raw: dict[str, Any]) -> None:
    unit(raw, "support_desk")["parent"] = "ceo_office"


def _duplicate(raw: dict[str, Any]) -> None:
    unit(raw, "key_accounts")["id"] = "sales_manager"
    unit(raw, "enterprise_desk")["parent"] = "sales_manager"


def _undecidable(raw: dict[str, Any]) -> None:
    unit(raw, "committee")["mandate"] = 100000
    for kind in raw["demand"]["kinds"]:
        kind["value"] = {"dist": "uniform", "low": 0, "high": 150000}


def _empty_approver(raw: dict[str, Any]) -> None:
    units_of(raw).append({"id": "idle_manager", "kind": "approver", "parent": "director"})


def _team_under_team(raw: dict[str, Any]) -> None:
    unit(raw, "support_desk")["parent"] = "enterprise_desk"


def _both(raw: dict[str, Any]) -> None:
    raw["structure"]["teams"] = raw_scenario(HIERARCHY)["structure"]["teams"]


BAD_TREES = {
    "several roots": (_parentless, ["'committee'", "'director'", "2 units have no parent"]),
    "cycle": (_cycle, ["committee -> sales_manager -> director -> committee", "cycle"]),
    "unknown parent": (_unknown_parent, ["'support_desk'", "'ceo_office'", "is no unit's id"]),
    "duplicate id": (_duplicate, ["'sales_manager'", "used twice"]),
    "undecidable": (_undecidable, ["team 'sales-1'", "150000", "could never be decided"]),
    "approver with no one below": (_empty_approver, ["'idle_manager'", "no team below it"]),
    "team under a team": (_team_under_team, ["'support_desk'", "is a team"]),
    "teams and units": (_both, ["either teams", "not both"]),
}


@pytest.mark.parametrize("case", BAD_TREES.values(), ids=BAD_TREES.keys())
def test_a_bad_tree_exits_2_naming_the_unit_before_anything_is_written(
    tmp_path: Path, case: tuple[Any, list[str]]
) -> None:
    spoil, expected = case
    raw = copy.deepcopy(uneven_raw())
    spoil(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _out, err = run_cli(["run", str(path), "--out", str(out_dir)])
    assert code == 2
    assert str(path) in err
    assert "Traceback" not in err
    for part in expected:
        assert part in err
    assert not out_dir.exists()


def test_defaults_refuse_a_setting_the_kind_does_not_have() -> None:
    raw = uneven_raw()
    raw["structure"]["defaults"]["approver"]["size"] = 4
    with pytest.raises(ScenarioError, match=r"defaults\.approver\.size: not a shared setting"):
        load_scenario(raw)

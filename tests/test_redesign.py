"""What-if redesigns: each change checked on the tree it makes; the command writes a file."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
from strategies import HIERARCHY, SCENARIOS
from test_cli import run_cli

from orgsim import load_scenario, simulate
from orgsim.scenario import redesign as rd
from orgsim.scenario.explicit import as_mapping, units_of, with_units
from orgsim.scenario.tree import Tree

UNEVEN = SCENARIOS / "uneven.yaml"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))


def spans(tree: Tree) -> dict[str, int]:
    """People reporting directly to each point, by id."""
    counted = Counter[str]()
    for point in tree.points:
        if point.parent is not None:
            counted[tree.points[point.parent].id] += point.spec.members
    for team in tree.teams:
        if team.parent is not None:
            counted[tree.points[team.parent].id] += team.spec.size
    return {point.id: counted[point.id] for point in tree.points}


def employees(tree: Tree) -> int:
    return sum(team.spec.size for team in tree.teams)


def managers(tree: Tree) -> int:
    return sum(point.spec.members for point in tree.points)


def route_ids(tree: Tree) -> dict[str, list[str]]:
    return {team.id: [tree.points[p].id for p in team.route] for team in tree.teams}


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_scenario_written_as_explicit_units_runs_exactly_as_its_file(path: Path) -> None:
    scenario = load_scenario(path)
    explicit = load_scenario(with_units(as_mapping(scenario), units_of(scenario)))
    assert explicit.structure.units is not None
    days = scenario.run.warmup_days + 5  # five measured days, whatever the warm-up
    ours, theirs = (
        simulate(explicit, seed=5, days=days).summary,
        simulate(scenario, seed=5, days=days).summary,
    )
    for key in ("requests_created", "response_time_mean_h", "decision_accuracy", "trust_mean"):
        assert ours[key] == theirs[key] or (math.isnan(ours[key]) and math.isnan(theirs[key])), key


def test_taking_out_a_layer_keeps_everyone_else_shortens_routes_and_sums_spans() -> None:
    before = load_scenario(HIERARCHY)
    after = rd.redesign(before, [rd.remove_layer("department_manager")])
    old, new = before.tree, after.tree
    assert employees(new) == employees(old)
    assert managers(new) == managers(old) - 2  # the two department managers go
    old_routes, new_routes = route_ids(old), route_ids(new)
    for team, route in new_routes.items():
        assert len(route) == len(old_routes[team]) - 1
        assert route == [p for p in old_routes[team] if not p.startswith("department_manager")]
    old_spans, new_spans = spans(old), spans(new)
    assert new_spans["director-0"] == old_spans["director-0"] - 2 + sum(
        old_spans[f"department_manager-{n}"] for n in range(2)
    )
    assert new_spans["director-0"] == 8
    assert "take out department_manager" in after.description


def test_taking_out_one_approver_moves_its_reports_to_its_parent() -> None:
    after = rd.redesign(load_scenario(UNEVEN), [rd.remove_unit("key_accounts")])
    routes = route_ids(after.tree)
    assert routes["enterprise_desk"] == ["director", "committee"]
    assert routes["sales-1"] == ["sales_manager", "director", "committee"]
    assert managers(after.tree) == managers(load_scenario(UNEVEN).tree) - 1


def test_the_top_cannot_be_taken_out_when_it_leaves_several_tops() -> None:
    base = rd.redesign(load_scenario(UNEVEN), [rd.set_mandates("director", None)])
    with pytest.raises(rd.RedesignError, match="it is the top"):
        rd.redesign(base, [rd.remove_unit("director"), rd.remove_unit("committee")])


def test_mandates_are_set_for_one_role_and_scaled_for_all_unlimited_staying_so() -> None:
    base = load_scenario(HIERARCHY)
    raised = rd.redesign(base, [rd.set_mandates("department_manager", 50000)])
    by_role = {p.spec.name: p.spec.mandate for p in raised.tree.points}
    assert by_role["department_manager"] == 50000
    assert by_role["team_lead"] == 5000
    scaled = rd.redesign(base, [rd.scale_mandates(None, 2)])
    by_role = {p.spec.name: p.spec.mandate for p in scaled.tree.points}
    assert by_role == {
        "team_lead": 10000, "department_manager": 50000, "director": 200000, "deal_committee": None,
    }  # fmt: skip
    employee = rd.redesign(base, [rd.remove_layer("team_lead"), rd.mandate_change("employee=5000")])
    assert {team.spec.employee_mandate for team in employee.tree.teams} == {5000}


def test_approvers_turned_coaches_leave_the_route_and_coach_the_same_teams() -> None:
    before = load_scenario(HIERARCHY)
    after = rd.redesign(before, [rd.to_coaches("team_lead")])
    assert managers(after.tree) == managers(before.tree)
    for team in after.tree.teams:
        assert [after.tree.points[c].id for c in team.coaches] == [f"team_lead-{team.id[5:]}"]
        assert len(team.route) == 3
    assert "team_lead as coaches" in after.description


def test_teams_split_into_cells_keep_people_customers_and_parent() -> None:
    before = load_scenario(UNEVEN)
    after = rd.redesign(before, [rd.split_teams(3)])
    teams = {t.id: t for t in after.tree.teams}
    assert max(t.spec.size for t in after.tree.teams) <= 3
    assert employees(after.tree) == employees(before.tree)
    assert after.tree.customers == before.tree.customers
    sales = [t for t in after.tree.teams if t.id.startswith("sales-1_cell")]
    assert [t.spec.size for t in sales] == [3, 2, 2]  # 7 people in three cells
    assert sum(t.customers for t in sales) == 25
    assert {after.tree.points[t.parent].id for t in sales} == {"sales_manager"}
    assert teams["support_desk"].spec.size == 3  # small enough: left as it was


def test_small_teams_of_one_parent_merge_keeping_people_and_demand() -> None:
    before = rd.redesign(load_scenario(UNEVEN), [rd.split_teams(2)])
    after = rd.redesign(before, [rd.merge_teams(4)])
    assert employees(after.tree) == employees(before.tree)
    assert after.tree.customers == before.tree.customers

    def demand(tree: Tree) -> float:
        return sum(t.customers * t.requests_per_customer_per_day for t in tree.teams)

    assert demand(after.tree) == pytest.approx(demand(before.tree))
    by_parent: dict[int | None, list[int]] = {}
    for team in after.tree.teams:
        by_parent.setdefault(team.parent, []).append(team.spec.size)
    for sizes in by_parent.values():  # a parent with fewer than 4 people keeps one team
        assert len(sizes) == 1 or min(sizes) >= 4, sizes
    assert len(after.tree.teams) < len(before.tree.teams)
    parents = {after.tree.points[t.parent].id for t in after.tree.teams if t.id.startswith("sales")}
    assert parents == {"sales_manager"}


def test_a_deal_committee_on_top_decides_above_its_threshold() -> None:
    before = load_scenario(UNEVEN)
    after = rd.redesign(before, [rd.deal_committee(500_000)])
    top = next(p for p in after.tree.points if p.parent is None)
    assert top.id == "deal_committee"
    assert top.spec.members == 5
    assert top.spec.mandate is None
    old_top = next(p for p in after.tree.points if p.id == "committee")
    assert old_top.spec.mandate == 500_000
    assert managers(after.tree) == managers(before.tree) + 5
    for team, route in route_ids(after.tree).items():
        assert route == [*route_ids(before.tree)[team], "deal_committee"]


# --- the command -------------------------------------------------------------------------


def test_the_command_writes_a_scenario_that_runs_and_says_what_changed(tmp_path: Path) -> None:
    out = tmp_path / "flatter.yaml"
    code, text, err = run_cli(
        ["redesign", str(HIERARCHY), "--remove-layer", "department_manager", "--out", str(out)]
    )
    assert code == 0, err
    assert "managers: 16 -> 14 (-2)" in text
    written = load_scenario(out)
    assert written.name == "flatter"
    assert written.tree.roles == ("team_lead", "director", "deal_committee")
    direct = rd.redesign(load_scenario(HIERARCHY), [rd.remove_layer("department_manager")])
    ours, theirs = simulate(out, seed=2, days=15).summary, simulate(direct, seed=2, days=15).summary
    for key in ("requests_created", "response_time_mean_h", "decision_accuracy", "managers"):
        assert ours[key] == theirs[key], key


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--remove-layer", "vice_president"], "no unit has role 'vice_president'"),
        (["--mandate", "director=lots"], "expected ROLE=VALUE"),
        (["--remove-layer", "deal_committee"], "could never be decided"),
        ([], "no change given"),
    ],
)
def test_a_bad_redesign_exits_2_and_writes_nothing(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    out = tmp_path / "new.yaml"
    code, _, err = run_cli(["redesign", str(HIERARCHY), *args, "--out", str(out)])
    assert code == 2
    assert expected in err
    assert not out.exists()


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "new.yaml"
    out.write_text("mine", encoding="utf-8")
    args = ["redesign", str(HIERARCHY), "--split-teams", "3", "--out", str(out)]
    code, _, err = run_cli(args)
    assert code == 2
    assert "exists" in err
    assert out.read_text(encoding="utf-8") == "mine"
    assert run_cli([*args, "--force"])[0] == 0


def test_compare_runs_a_base_beside_its_redesigns_in_one_report(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ["compare", str(HIERARCHY), "--replications", "2", "--days", "15", "--out", str(out)]
    args += ["--redesign", "remove-layer=department_manager"]
    args += ["--redesign", "remove-layer=team_lead+mandate=employee=5000"]
    code, text, err = run_cli(args)
    assert code == 0, err
    assert "hierarchy vs no department_manager vs no team_lead, employee 5000" in text
    summary = (out / "summary.csv").read_text(encoding="utf-8")
    assert "no department_manager" in summary
    report = (out / "report.md").read_text(encoding="utf-8").replace("\\_", "_")
    assert "--redesign remove-layer=department_manager" in report  # how to run it again


def test_compare_refuses_a_redesign_it_cannot_make_before_any_run(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ["compare", str(HIERARCHY), "--redesign", "remove-layer=ceo", "--out", str(out)]
    code, _, err = run_cli(args)
    assert code == 2
    assert "no unit has role 'ceo'" in err
    assert not out.exists()

"""A scenario is a value: its resolved tree is a cache, never part of it, never stale."""

from strategies import HIERARCHY, SELF_MANAGING

from orgsim.scenario.loading import load_scenario


def test_equal_scenarios_stay_equal_once_one_has_resolved_its_tree():
    resolved, fresh = load_scenario(HIERARCHY), load_scenario(HIERARCHY)
    assert resolved.tree.points  # resolves and caches it
    assert resolved == fresh


def test_a_copy_with_another_structure_resolves_its_own_tree():
    hierarchy = load_scenario(HIERARCHY)
    teams = load_scenario(SELF_MANAGING)
    assert hierarchy.tree.points  # cached before the copy
    copy = hierarchy.model_copy(update={"structure": teams.structure})
    assert [p.id for p in copy.tree.points] == [p.id for p in teams.tree.points]
    assert len(copy.tree.points) != len(hierarchy.tree.points)

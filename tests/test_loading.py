"""Loading scenario files: inheritance, overrides, and one clear message for each bad input."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from strategies import (
    BAD_FILES,
    BAD_INPUTS,
    HIERARCHY,
    SELF_MANAGING,
    Bad,
    expected_parts,
    raw_scenario,
    with_values,
    write_bad,
    write_yaml,
)

from orgsim.scenario.distributions import Deterministic, Exponential
from orgsim.scenario.loading import ScenarioError, load_scenario
from orgsim.scenario.schema import Scenario


def load_bad(tmp_path: Path, bad: Bad) -> str:
    """Load ``bad`` and return the message of the ScenarioError it must raise."""
    path = write_bad(tmp_path, bad)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, list(bad.overrides))
    return str(caught.value)


def write_child(directory: Path, body: dict[str, Any], parent: Path = HIERARCHY) -> Path:
    """A scenario file that extends ``parent`` and changes ``body``."""
    return write_yaml(directory / "child.yaml", {"extends": str(parent), **body})


# --- bad input: one clear message each ------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_names_file_field_and_value(tmp_path: Path, bad: Bad) -> None:
    message = load_bad(tmp_path, bad)
    assert str(tmp_path / "scenario.yaml") in message or "--set" in message
    for part in expected_parts(bad, tmp_path):
        assert part in message
    assert "Traceback" not in message


@pytest.mark.parametrize("bad", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_message_is_one_line(tmp_path: Path, bad: Bad) -> None:
    message = load_bad(tmp_path, bad)
    assert message.startswith(str(tmp_path))
    assert len(message.splitlines()) <= 2  # the second only names the file that extends


def test_unknown_key_message_lists_allowed_keys_of_its_section(tmp_path: Path) -> None:
    path = write_child(tmp_path, {"structure": {"teams": {"sise": 5}}})
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    line = next(line for line in str(caught.value).splitlines() if "sise" in line)
    assert "structure.teams.sise: unknown key; allowed here:" in line
    allowed = line.split("allowed here: ")[1].split(" (found")[0].split(", ")
    assert {"count", "size", "employee_mandate", "decision", "pooled"} <= set(allowed)
    assert allowed == sorted(allowed)
    assert "(found 5)" in line


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write_child(
        tmp_path,
        {"demand": {"requests_per_customer_per_day": -1, "colour": "red"}, "run": {"days": "x"}},
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: 3 problem(s)")
    for field in ("demand.requests_per_customer_per_day", "demand.colour", "run.days"):
        assert f"  {field}: " in message


def test_cross_field_check_does_not_dump_the_whole_section(tmp_path: Path) -> None:
    bad = BAD_INPUTS["mandates_shrink_up_the_route"]
    message = load_bad(tmp_path, bad)
    assert "  structure: layer 'department_manager'" in message
    assert "Value error" not in message
    assert "found {" not in message


def test_distribution_tags_are_not_shown_as_keys(tmp_path: Path) -> None:
    message = load_bad(tmp_path, BAD_INPUTS["unknown_key_in_distribution"])
    assert "review_time_h.exponential" not in message


def test_huge_self_referencing_value_gives_a_short_message() -> None:
    loop: list[Any] = []
    loop.append(loop)
    raw = with_values(raw_scenario(HIERARCHY), {"description": [list(range(10**5)), loop]})
    with pytest.raises(ScenarioError) as caught:
        load_scenario(raw)
    assert len(str(caught.value)) < 300
    assert "description" in str(caught.value)


def test_deeply_nested_yaml_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(ScenarioError, match="nested too deeply"):
        load_scenario(path)


def test_file_name_with_a_nul_byte_is_a_clean_error() -> None:
    with pytest.raises(ScenarioError, match="not a usable file name"):
        load_scenario("scenario\x00.yaml")


def test_a_directory_is_no_scenario(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"cannot be read"):
        load_scenario(tmp_path)


@pytest.mark.parametrize(
    "overrides",
    [[1], {1: 30}, {"run.days": 5}, ["structure.layers[0].mandate=10"]],
    ids=["non-string item", "non-string key", "days below warm-up", "shrinking mandate"],
)
def test_bad_overrides_from_python(overrides: Any) -> None:
    with pytest.raises(ScenarioError):
        load_scenario(HIERARCHY, overrides)


# --- extends ------------------------------------------------------------------------------


def test_shipped_scenarios_load() -> None:
    hierarchy, self_managing = load_scenario(HIERARCHY), load_scenario(SELF_MANAGING)
    assert hierarchy.name == "hierarchy"
    assert self_managing.name == "self_managing"
    # both inherit their customers from base/customers.yaml
    assert hierarchy.demand == self_managing.demand
    assert hierarchy.structure != self_managing.structure


def test_extends_merges_mappings_and_replaces_lists(tmp_path: Path) -> None:
    kind = {"name": "only", "share": 1, "work_h": 1, "expected_response_h": 8}
    path = write_child(
        tmp_path, {"structure": {"teams": {"count": 3}}, "demand": {"kinds": [kind]}}
    )
    parent, child = load_scenario(HIERARCHY), load_scenario(path)
    assert child.structure.teams.count == 3
    assert child.structure.teams.size == parent.structure.teams.size  # merged, not replaced
    assert child.structure.layers == parent.structure.layers
    assert [k.name for k in child.demand.kinds] == ["only"]  # a list is replaced whole
    assert child.demand.customers_per_team == parent.demand.customers_per_team


def test_extends_is_relative_to_the_file_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_yaml(tmp_path / "parent.yaml", raw_scenario(HIERARCHY) | {"name": "parent"})
    child = write_yaml(tmp_path / "sub" / "child.yaml", {"extends": "../parent.yaml"})
    grandchild = write_yaml(
        tmp_path / "sub" / "grandchild.yaml", {"extends": "child.yaml", "name": "grandchild"}
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    parent = load_scenario(tmp_path / "parent.yaml")
    # the parent was found from the file's folder; a file without a name has its own stem
    assert load_scenario(child).structure == parent.structure
    assert load_scenario(child).name == "child"
    assert load_scenario(grandchild).name == "grandchild"


def test_extends_can_null_a_value(tmp_path: Path) -> None:
    body = {"structure": {"teams": {"employee_mandate": None}, "layers": []}}
    scenario = load_scenario(write_child(tmp_path, body))
    assert scenario.structure.teams.employee_mandate is None
    assert scenario.structure.layers == []


# --- overrides ----------------------------------------------------------------------------


def test_override_from_mapping_and_from_strings_agree() -> None:
    from_mapping = load_scenario(HIERARCHY, {"run.days": 30, "structure.layers[1].mandate": 9000})
    from_strings = load_scenario(HIERARCHY, ["run.days=30", "structure.layers[1].mandate = 9000"])
    from_one_string = load_scenario(HIERARCHY, "run.days=30")
    assert from_mapping.run.days == 30
    assert from_mapping.structure.layers[1].mandate == 9000
    assert from_mapping == from_strings
    assert from_one_string.run.days == 30
    assert from_mapping.digest() != load_scenario(HIERARCHY).digest()


@pytest.mark.parametrize(
    ("assignment", "field", "expected"),
    [
        ("structure.layers[2].mandate=null", lambda s: s.structure.layers[2].mandate, None),
        ("structure.layers[-1].members=7", lambda s: s.structure.layers[3].members, 7),
        ("culture.trust.blame=false", lambda s: s.culture.trust.blame, False),
        ("culture.trust.blame=yes", lambda s: s.culture.trust.blame, True),
        ("name='007'", lambda s: s.name, "007"),
        (
            "structure.layers[0].review=sequential",
            lambda s: s.structure.layers[0].review,
            "sequential",
        ),
        (
            "structure.handoff_time_h={dist: exponential, mean: 2}",
            lambda s: s.structure.handoff_time_h,
            Exponential(mean=2),
        ),
        (
            "structure.handoff_time_h=3",
            lambda s: s.structure.handoff_time_h,
            Deterministic(value=3),
        ),
        (
            "structure.teams.lateral_handoff.enabled=true",
            lambda s: s.structure.teams.lateral_handoff.enabled,
            True,
        ),
        ("run.days=0x1E", lambda s: s.run.days, 30.0),
    ],
)
def test_override_values_are_read_as_yaml(assignment: str, field: Any, expected: Any) -> None:
    assert field(load_scenario(HIERARCHY, [assignment])) == expected


def test_null_mandate_is_unlimited() -> None:
    scenario = load_scenario(
        HIERARCHY, ["structure.teams.employee_mandate=null", "structure.layers=[]"]
    )
    assert scenario.structure.route_limit() == math.inf


def test_a_bare_number_is_a_deterministic_distribution() -> None:
    scenario = load_scenario(HIERARCHY, {"demand.kinds[0].work_h": 2})
    work = scenario.demand.kinds[0].work_h
    assert work == Deterministic(value=2)
    assert work.mean == work.upper_bound == 2
    assert load_scenario(HIERARCHY).structure.layers[0].skill == Deterministic(value=0.8)


def test_overrides_do_not_change_the_callers_mapping() -> None:
    raw = raw_scenario(HIERARCHY)
    before = yaml.safe_dump(raw)
    changed = load_scenario(raw, {"structure.teams.count": 3, "structure.layers[0].span": 2})
    assert changed.structure.teams.count == 3
    assert yaml.safe_dump(raw) == before
    assert load_scenario(raw).structure.teams.count == 8


def test_override_of_a_yaml_alias_changes_one_place_only(tmp_path: Path) -> None:
    text = HIERARCHY.read_text().replace(
        "review_time_h: {dist: exponential, mean: 0.5}",
        "review_time_h: &review {dist: exponential, mean: 0.5}",
        1,
    )
    text = text.replace(
        "review_time_h: {dist: exponential, mean: 0.75}", "review_time_h: *review", 1
    )
    path = tmp_path / "aliased.yaml"
    path.write_text(text.replace("extends: base/", f"extends: {HIERARCHY.parent}/base/"))
    plain = load_scenario(path)
    assert plain.structure.layers[1].review_time_h == Exponential(mean=0.5)
    changed = load_scenario(path, ["structure.layers[1].review_time_h.mean=2"])
    assert changed.structure.layers[1].review_time_h == Exponential(mean=2)
    assert changed.structure.layers[0].review_time_h == Exponential(mean=0.5)


def test_a_validated_scenario_takes_overrides() -> None:
    scenario = load_scenario(HIERARCHY)
    assert load_scenario(scenario) == scenario
    longer = load_scenario(scenario, {"run.days": 120})
    assert longer.run.days == 120
    assert longer.model_copy(update={"run": scenario.run}) == scenario


def test_a_validated_scenario_with_infinite_values_round_trips() -> None:
    raw = with_values(raw_scenario(HIERARCHY), {"structure.layers[3].mandate": math.inf})
    scenario = load_scenario(raw)
    assert isinstance(scenario, Scenario)
    again = load_scenario(scenario, {"run.days": 30})
    assert again.structure.layers[3].mandate == math.inf


_ACCEPTED_NONSENSE = {
    "nan_cap": {"demand.kinds[3].value.cap": math.nan},
    "negative_cap": {"demand.kinds[3].value.cap": -5},
    "skill_above_one": {"structure.teams.skill": 5},
    "initial_trust_above_one": {"culture.trust.initial": {"dist": "uniform", "low": 0, "high": 3}},
    "infinite_run": {"run.days": math.inf},
}


@pytest.mark.parametrize("changes", _ACCEPTED_NONSENSE.values(), ids=_ACCEPTED_NONSENSE.keys())
def test_nonsense_values_are_rejected(changes: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError):
        load_scenario(with_values(raw_scenario(HIERARCHY), changes))


def test_a_validated_scenario_without_overrides_is_not_validated_again() -> None:
    scenario = load_scenario(HIERARCHY)
    assert load_scenario(scenario) is scenario
    assert load_scenario(scenario, {}) is scenario
    assert load_scenario(scenario, {"run.days": 30}) is not scenario


def test_a_file_without_a_name_is_named_after_its_file(tmp_path: Path) -> None:
    child = write_child(tmp_path, {"run": {"days": 20}})
    assert load_scenario(child).name == "child"  # not its parent's "hierarchy"
    assert load_scenario(HIERARCHY).name == "hierarchy"


def test_a_file_changes_single_values_of_its_parent_with_overrides(tmp_path: Path) -> None:
    parent = load_scenario(HIERARCHY)
    child = write_child(
        tmp_path, {"overrides": {"structure.layers[1].mandate": 60000, "run.days": 20}}
    )
    scenario = load_scenario(child)
    assert scenario.structure.layers[1].mandate == 60000
    assert scenario.run.days == 20
    # every other layer is as the parent has it: no need to retype the list
    assert scenario.structure.layers[0] == parent.structure.layers[0]
    assert scenario.structure.layers[2:] == parent.structure.layers[2:]


def test_a_files_overrides_apply_after_its_own_values(tmp_path: Path) -> None:
    child = write_child(tmp_path, {"run": {"days": 30}, "overrides": {"run.days": 20}})
    assert load_scenario(child).run.days == 20


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ([1], "overrides: expected a mapping of dotted paths"),
        ({"structure.layers[99].mandate": 1}, "no such item"),
    ],
)
def test_bad_overrides_in_a_file_name_the_file(
    tmp_path: Path, overrides: Any, expected: str
) -> None:
    child = write_child(tmp_path, {"overrides": overrides})
    with pytest.raises(ScenarioError, match=expected) as caught:
        load_scenario(child)
    assert str(child) in str(caught.value)

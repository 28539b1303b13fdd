"""Overrides shown where the scenarios are described, one scenario changed alone, named
variants of a scenario without files, and settings lined up by meaning."""

from __future__ import annotations

from pathlib import Path

import pytest
from strategies import HIERARCHY, SELF_MANAGING

from orgsim.cli import main
from orgsim.compare import api, settings
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario

QUICK = ["--replications", "2", "--days", "12", "--workers", "1"]


def test_overrides_appear_in_the_header_the_settings_and_the_descriptions(tmp_path, capsys):
    out = tmp_path / "cmp"
    argv = ["compare", str(HIERARCHY), str(SELF_MANAGING), *QUICK, "--out", str(out)]
    assert main([*argv, "--set", "culture.trust.blame=false"]) == 0
    printed = capsys.readouterr().out
    assert "changed in every scenario: culture.trust.blame=false" in printed.replace("\n", " ")
    html = (out / "report.html").read_text()
    assert 'id="overrides"' in html
    assert "changed in every scenario: culture.trust.blame=false" in html
    assert "Changed here from its file: culture.trust.blame=false." in html
    assert "false (changed)" in html  # the settings table's cell
    markdown = (out / "report.md").read_text()
    assert "Changed here from its file: culture.trust.blame=false." in markdown


def test_set_for_changes_one_scenario_only(tmp_path, capsys):
    out = tmp_path / "cmp"
    argv = ["compare", str(HIERARCHY), str(SELF_MANAGING), *QUICK, "--out", str(out)]
    assert main([*argv, "--set-for", "self_managing", "culture.trust.initial=0.2"]) == 0
    head = capsys.readouterr().out.split("means,")[0].replace("\n", " ")
    assert "changed: self_managing: culture.trust.initial=0.2" in head
    result = api.compare(
        [HIERARCHY, SELF_MANAGING], replications=2, days=12, workers=1,
        overrides_for={"self_managing": ["culture.trust.initial=0.2"]},
    )  # fmt: skip
    hierarchy, teams = result.scenarios
    assert teams.culture.trust.initial.value == 0.2
    assert hierarchy == load_scenario(HIERARCHY, {"run.days": 12})
    assert result.changed("hierarchy") == []


def test_set_for_an_unknown_name_is_refused_before_any_run(tmp_path, capsys):
    out = tmp_path / "cmp"
    argv = ["compare", str(HIERARCHY), *QUICK, "--out", str(out)]
    assert main([*argv, "--set-for", "nobody", "culture.trust.blame=false"]) == 2
    error = capsys.readouterr().err
    assert "--set-for nobody: no compared scenario is named so (the names: hierarchy)" in error
    assert not out.exists()


def test_variants_compare_a_scenario_with_named_copies_of_itself(tmp_path, capsys):
    out = tmp_path / "cmp"
    argv = ["compare", str(HIERARCHY), *QUICK, "--out", str(out)]
    variants = ["--variant", "lean:structure.teams.employee_mandate=2500",
                "--variant", "lean:culture.trust.blame=false",
                "--variant", "flatter:structure.layers[0].mandate=25000"]  # fmt: skip
    assert main([*argv, *variants]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Bottom line:")
    assert "\nhierarchy vs lean vs flatter: 12 working days" in printed
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".yaml") == []
    result = api.compare(
        [HIERARCHY], replications=2, days=12, workers=1,
        variants={"lean": {"structure.teams.employee_mandate": 2500, "culture.trust.blame": False}},
    )  # fmt: skip
    base, lean = result.scenarios
    assert lean.name == "lean"
    assert lean.structure.teams.employee_mandate == 2500
    assert not lean.culture.trust.blame
    assert lean.model_copy(update={"name": base.name, "structure": base.structure,
                                   "culture": base.culture}) == base  # fmt: skip


def test_a_bad_variant_names_itself():
    with pytest.raises(ScenarioError, match=r"(?s)--variant flatter: .*mandates must not shrink"):
        api.load_all([HIERARCHY], variants={"flatter": ["structure.layers[1].mandate=null"]})
    with pytest.raises(SystemExit) as stop:  # argparse's own exit, one line on stderr
        main(["compare", str(HIERARCHY), "--variant", "no-colon"])
    assert stop.value.code == 2


def test_layers_are_lined_up_by_name_not_by_position(tmp_path: Path):
    """Without its department managers, the hierarchy's director is its layers[1]: lined
    up by position it would be compared with the department manager."""
    flat = load_scenario(HIERARCHY, {"name": "no_middle"})
    raw = flat.model_dump(mode="json")
    del raw["structure"]["layers"][1]
    raw["structure"]["layers"][0]["span"] = 4  # the director's span is 2 (of team leads)
    flat = load_scenario(raw)
    table = settings.side_by_side([load_scenario(HIERARCHY), flat])
    director = table.loc["structure.layers[director].mandate"]
    assert director["hierarchy"] == director["no_middle"] == "100000.0"
    assert not director["differs"]
    assert table.loc["structure.layers[department_manager].mandate", "no_middle"] == ""
    assert "structure.layers[1].mandate" not in table.index
    differs = table["differs"].to_numpy()
    assert differs[: differs.sum()].all()  # the differing rows come first


def test_layers_named_differently_are_lined_up_by_role_and_rank():
    teams = load_scenario(SELF_MANAGING.with_name("self_managing_coached.yaml"))  # has coaches
    hierarchy = load_scenario(HIERARCHY)
    table = settings.side_by_side([hierarchy, teams])
    assert table.loc["structure.layers[approver 1].name"].tolist()[:2] == [
        "team_lead", "leadership_circle"
    ]  # fmt: skip
    assert table.loc["structure.layers[coach].role", "self_managing_coached"] == "coach"
    assert settings.matched_by_role([hierarchy, teams])
    assert not settings.matched_by_role([hierarchy, hierarchy.model_copy(update={"name": "x"})])

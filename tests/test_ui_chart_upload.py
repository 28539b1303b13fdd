"""Org charts uploaded in the browser: imported as ``orgsim import-org`` does, or refused
with its message (rows and lines at fault), naming the upload, never the server's folders."""

import io
from pathlib import Path

import pandas as pd
import pytest

from orgsim.cli import main
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.ui.chart_upload import MAX_CHART_UPLOAD_BYTES, is_chart, load_chart_upload
from orgsim.ui.settings import SideSettings, build

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
CHART = SCENARIOS / "examples" / "acme_chart.csv"


def test_an_uploaded_chart_makes_the_scenario_import_org_writes(tmp_path):
    path, scenario, summary = load_chart_upload("acme_chart.csv", CHART.read_bytes(), SCENARIOS)
    assert main(["import-org", str(CHART), "--out", str(tmp_path / "acme_chart.yaml")]) == 0
    assert scenario == load_scenario(tmp_path / "acme_chart.yaml")
    assert scenario.tree.headcount == 611
    assert "health flags" in summary
    assert path.suffix == ".yaml"


def test_an_xlsx_chart_is_read_too():
    buffer = io.BytesIO()
    pd.read_csv(CHART, dtype=str).to_excel(buffer, index=False)
    _, scenario, _ = load_chart_upload("our org.xlsx", buffer.getvalue(), SCENARIOS)
    assert scenario.tree.headcount == 611


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id,manager_id\nboss,\nann,ghost\n", "up.csv: line 3: manager id 'ghost' is no row's id"),
        (b"id,manager_id\na,\nb,\n", "up.csv: lines 2, 3: 2 people have no manager"),
        (b"", "up.csv: the file is empty"),
        (b"id,manager_id\na,b\nb,a\n", "up.csv"),
    ],
)
def test_a_bad_chart_is_refused_with_the_rows_at_fault_and_no_server_path(content, expected):
    with pytest.raises(ScenarioError) as refused:
        load_chart_upload("up.csv", content, SCENARIOS)
    message = str(refused.value)
    assert message.startswith(expected)
    assert "orgsim-upload" not in message
    assert "/tmp" not in message


def test_a_chart_too_large_or_named_to_escape_is_kept_harmless():
    with pytest.raises(ScenarioError, match="larger than"):
        load_chart_upload("big.csv", b"#" * (MAX_CHART_UPLOAD_BYTES + 1), SCENARIOS)
    path, _, _ = load_chart_upload("../../etc/acme.csv", CHART.read_bytes(), SCENARIOS)
    assert path.name == "acme.yaml"
    assert "etc" not in path.parts
    assert is_chart("A.CSV")
    assert is_chart("b.xlsx")
    assert not is_chart("c.yaml")


def test_a_trees_role_taken_out_in_the_page_is_orgsim_redesign_remove_layer():
    path, scenario, _ = load_chart_upload("acme_chart.csv", CHART.read_bytes(), SCENARIOS)
    index = scenario.tree.roles.index("level_2")
    after = build(SideSettings(path).with_layer_kept(index, False))
    managers = [sum(p.spec.members for p in s.tree.points) for s in (scenario, after)]
    roles = [p.spec.name for p in scenario.tree.points]
    assert managers[1] == managers[0] - roles.count("level_2")
    assert after.tree.headcount == scenario.tree.headcount - roles.count("level_2")
    assert "level_2" not in after.tree.roles
    assert after.name == "acme_chart_no_level_2"


def test_a_trees_mandates_are_set_by_role_as_orgsim_redesign_mandate_sets_them():
    from orgsim.scenario.redesign import redesign, set_mandates

    example = SCENARIOS / "examples" / "acme.yaml"
    settings = SideSettings(example).with_role_mandate("employee", 2000)
    settings = settings.with_role_mandate("level_1", 8000)
    scenario = build(settings)
    expected = redesign(
        load_scenario(example),
        [set_mandates("employee", 2000), set_mandates("level_1", 8000)],
        name="acme",
    )
    assert scenario == expected
    assert {team.spec.employee_mandate for team in scenario.tree.teams} == {2000}
    with pytest.raises(ScenarioError, match="below team"):
        build(SideSettings(example).with_role_mandate("level_1", 10))

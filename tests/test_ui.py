"""The browser UI's parts that need no browser: lockstep runs, drawings, settings, files."""

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from orgsim.cli import main
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.redesign import redesign, remove_layer
from orgsim.sim.organisation import DecisionPoint
from orgsim.ui import charts, orgchart
from orgsim.ui.session import Lockstep, clock_text
from orgsim.ui.settings import SideSettings, build, load_upload, parse_mandate, to_yaml

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"


@pytest.fixture(scope="module")
def pair():
    lockstep = Lockstep(load_scenario(HIERARCHY), load_scenario(SELF_MANAGING), seed=4)
    for _ in range(30):
        lockstep.advance(1.0)
    return lockstep


def test_both_sides_advance_together_and_sample_once_a_frame(pair):
    assert pair.frame == 30
    for side in pair.sides:
        assert side.model.clock_h == pytest.approx(30.0)
        assert side.series["day"][-1] == pytest.approx(30 / 8)
        assert len(side.series["backlog"]) == 31  # the start, then one point a frame
        assert side.series["backlog"][-1] == side.model.life.counts.in_flight


def test_both_sides_face_the_same_customers(pair):
    created = [side.model.life.counts.created for side in pair.sides]
    dropped = [side.model.life.counts.dropped for side in pair.sides]
    # the same requests arrive; only those of customers already gone are dropped
    assert created[0] + dropped[0] == created[1] + dropped[1]


def test_the_rolling_response_time_is_that_of_the_last_days_answers(pair):
    for side in pair.sides:
        log = side.model.log.frame()
        answered = log[log["outcome"] == "resolved"]
        recent = answered[answered["delivered_h"] > side.model.clock_h - 8]["response_h"]
        assert len(recent) > 10
        assert side.series["response_mean_h"][-1] == pytest.approx(recent.mean())
        assert side.series["response_p90_h"][-1] == pytest.approx(np.percentile(recent, 90))
        levels = np.bincount(log["level"], minlength=len(side.decided_by_level))
        assert side.decided_by_level.tolist() == levels.tolist()


def test_the_two_organisations_escalate_to_different_levels(pair):
    hierarchy, self_managing = (side.decided_by_level for side in pair.sides)
    assert hierarchy[1] == 0  # no team step...
    assert hierarchy[2] > 0  # ...team leads decide
    assert self_managing[1] > 0  # the team decides together


def test_the_clock_reads_in_working_days_and_hours():
    assert clock_text(0.0, 8) == "day 1, 0:00 h"
    assert clock_text(8.0, 8) == "day 2, 0:00 h"
    assert clock_text(21.5, 8) == "day 3, 5:30 h"
    assert clock_text(7.9999, 8) == "day 1, 8:00 h"


def test_the_org_chart_is_a_fixed_tree_of_the_reporting_lines(pair):
    side = pair.sides[0]
    layers = [layer.name for layer in side.scenario.structure.layers]
    chart = orgchart.layout(side.model.org, side.model.accounts, layers)
    points = {
        p.name: p for t in side.model.org.teams for p in t.route if isinstance(p, DecisionPoint)
    }
    assert len(chart.nodes) == len(points) == 8 + 2 + 1 + 1
    assert len(chart.employees) == 48
    assert sum(team.accounts.size for team in chart.teams) == 200
    # a parent sits above its teams; the top node over all of them
    top = max(chart.nodes, key=lambda n: n.layer)
    assert sorted(top.teams) == list(range(8))
    assert all(n.y < m.y for n in chart.nodes for m in chart.nodes if n.layer > m.layer)
    again = orgchart.layout(side.model.org, side.model.accounts, layers)
    assert orgchart.render(again, side.model.accounts, 1) == orgchart.render(
        chart, side.model.accounts, 1
    )


def test_the_org_chart_colours_queues_and_customers(pair):
    side = pair.sides[0]
    layers = [layer.name for layer in side.scenario.structure.layers]
    chart = orgchart.layout(side.model.org, side.model.accounts, layers)
    svg = orgchart.render(chart, side.model.accounts, 7)
    assert 'data-frame="7"' in svg
    queues = [e.station.present for e in side.model.org.employees]
    for length in set(queues):
        assert f'fill="{orgchart.queue_colour(length)}"' in svg
    waiting = [sum(m.station.present for m in n.people) for n in chart.nodes]
    counts = re.findall(r'class="n"[^>]*>(\d+)</text>', svg)
    assert sorted(int(c) for c in counts) == sorted(w for w in waiting if w)
    side.model.accounts.active[0] = 0  # a customer leaves: greyed
    assert orgchart.CHURNED in orgchart.render(chart, side.model.accounts, 8)
    side.model.accounts.active[0] = 1


def test_queue_and_satisfaction_colours_run_from_calm_to_alarm():
    fills = [orgchart.queue_colour(n) for n in (0, 1, 2, 3, 4, 7, 8, 50)]
    assert fills == ["#d9ead3", "#ffe599", "#f6b26b", "#f6b26b", "#e06666", "#e06666",
                     "#990000", "#990000"]  # fmt: skip
    assert orgchart.satisfaction_colour(0.0) == "hsl(0,70%,45%)"
    assert orgchart.satisfaction_colour(1.0) == "hsl(120,70%,45%)"


def test_a_500_person_org_chart_draws_in_milliseconds():
    big = load_scenario(HIERARCHY, {"structure.teams.count": 50, "structure.teams.size": 10})
    side = Lockstep(big, big, seed=1).sides[0]
    layers = [layer.name for layer in big.structure.layers]
    import time

    for members in (True, False):
        chart = orgchart.layout(side.model.org, side.model.accounts, layers, members=members)
        assert len(chart.employees) == (500 if members else 0)
        start = time.perf_counter()
        for frame in range(10):
            orgchart.render(chart, side.model.accounts, frame)
        assert (time.perf_counter() - start) / 10 < 0.05


def test_line_charts_scale_to_nice_axes_and_break_at_gaps():
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 1, 7, 12, 260)] == [1, 0.5, 1, 10, 20, 500]
    svg = charts.line_chart(
        "t", [charts.Line("a", "#4C72B0", [0, 1, 2, 3], [1.0, math.nan, 2.0, 3.0])]
    )
    assert svg.count("<polyline") == 2  # the gap splits the line


def test_settings_change_values_take_layers_out_and_say_what_is_wrong():
    settings = SideSettings(HIERARCHY).with_layer_mandate(2, 200000).with_layer_kept(0, False)
    settings = settings.with_change("culture.trust.blame", False)
    scenario = build(settings, {"demand.requests_per_customer_per_day": 0.5})
    assert scenario.tree.roles == ("department_manager", "director", "deal_committee")
    [director] = [p for p in scenario.tree.points if p.spec.name == "director"]
    assert director.spec.mandate == 200000
    assert scenario.culture.trust.blame is False
    assert scenario.demand.requests_per_customer_per_day == 0.5
    with pytest.raises(ScenarioError, match="mandates must not shrink"):
        build(SideSettings(HIERARCHY).with_layer_mandate(1, 100))
    with pytest.raises(ScenarioError, match=r"initial trust is a probability.*up to 1.5"):
        build(SideSettings(HIERARCHY).with_change("culture.trust.initial", 1.5))
    with pytest.raises(ScenarioError, match="keep at least one layer"):
        build(SideSettings(HIERARCHY, dropped_layers=frozenset(range(4))))


def test_a_layer_taken_out_is_what_orgsim_redesign_makes_fewer_managers_wider_spans():
    """Issue 21: unticking a layer added managers (each remaining layer kept its span)."""
    before = build(SideSettings(HIERARCHY))
    after = build(SideSettings(HIERARCHY).with_layer_kept(1, False))  # department_manager
    redesigned = redesign(
        before, [remove_layer("department_manager")], name="hierarchy_no_department_manager"
    )
    assert after == redesigned  # named for what changed
    managers = [sum(p.spec.members for p in s.tree.points) for s in (before, after)]
    assert managers == [16, 14]
    pair = Lockstep(after, before, seed=1)
    charts = [
        orgchart.layout(side.model.org, side.model.accounts, list(side.scenario.tree.roles))
        for side in pair.sides
    ]
    assert [sum(len(n.people) for n in c.nodes) for c in charts] == [14, 16]
    assert [c.widest_span for c in charts] == [8, 6]  # the director: eight team leads


def test_mandates_are_typed_as_amounts_or_unlimited():
    assert parse_mandate("5,000", "m") == 5000
    assert parse_mandate(" unlimited ", "m") is None
    assert parse_mandate("", "m") is None
    with pytest.raises(ScenarioError, match="m: expected an amount"):
        parse_mandate("lots", "m")


def test_exported_settings_run_with_orgsim_run(tmp_path, capsys):
    settings = SideSettings(SELF_MANAGING).with_change("structure.teams.team_mandate", 150000)
    scenario = build(settings, {"demand.requests_per_customer_per_day": 0.3})
    exported = tmp_path / "exported.yaml"
    exported.write_text(to_yaml(scenario))
    assert load_scenario(exported) == scenario.model_copy(update={"name": "self_managing_edited"})
    assert main(["run", str(exported), "--days", "3", "--set", "run.warmup_days=1", "--json"]) == 0
    assert '"requests_created"' in capsys.readouterr().out


def test_an_exported_scenario_compares_with_its_source(tmp_path, capsys):
    settings = SideSettings(SELF_MANAGING).with_change("culture.trust.blame", True)
    exported = tmp_path / "exported.yaml"
    exported.write_text(to_yaml(build(settings)))
    out = tmp_path / "cmp"
    argv = ["compare", str(SELF_MANAGING), str(exported), "--replications", "2", "--days", "12"]
    assert main([*argv, "--workers", "1", "--out", str(out)]) == 0
    assert "self_managing vs self_managing_edited" in capsys.readouterr().out


def test_an_upload_extends_the_scenario_folder_and_errors_name_the_file():
    text = b"extends: hierarchy.yaml\nname: flat\nstructure: {teams: {employee_mandate: 5000}}\n"
    path, scenario = load_upload("flat.yaml", text, SCENARIOS)
    assert path.name == "flat.yaml"
    assert scenario.structure.teams.employee_mandate == 5000
    with pytest.raises(ScenarioError) as error:
        load_upload("../../etc/broken.yaml", b"name: [", SCENARIOS)
    message = str(error.value)
    assert message.startswith("broken.yaml: broken YAML at line 1")
    assert "orgsim-upload" not in message


def test_a_scenario_name_is_shown_as_text_not_markup():
    from orgsim.ui.app import _headline
    from orgsim.ui.session import Side

    scenario = load_scenario(HIERARCHY, {"name": "<b>bold</b>"})
    side = Side(scenario, seed=1)
    assert _headline(side).startswith("&lt;b&gt;bold&lt;/b&gt;: no answers yet")
    svg = orgchart.render(
        orgchart.layout(side.model.org, side.model.accounts, ["<i>x</i>", "a", "b", "c"]),
        side.model.accounts,
        0,
    )
    assert "<i>" not in svg
    assert "&lt;i&gt;x&lt;/i&gt;" in svg


def test_the_headline_counts_one_customer_lost_in_the_singular():
    from orgsim.ui.app import _headline
    from orgsim.ui.session import Side

    side = Side(load_scenario(HIERARCHY), seed=1)
    texts = []
    for churned in (0, 1, 2):
        side.model.life.counts.churned = churned
        texts.append(_headline(side))
    assert texts[0].endswith("0 customers lost")
    assert texts[1].endswith("1 customer lost")
    assert texts[2].endswith("2 customers lost")


def test_a_squat_chart_labels_fewer_values_so_that_none_overlap():
    line = charts.Line("a", "#000", [0, 1, 2], [0.0, 3.0, 7.0])
    for height, steps in ((charts.HEIGHT, 4), (86.0, 2), (60.0, 1)):
        svg = charts.line_chart("t", [line], None, height)
        values = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
        assert len(values) == steps + 1
        ys = [float(y) for y in re.findall(r'<text x="37.0" y="([\d.]+)" text-anchor="end">', svg)]
        assert min(b - a for a, b in itertools.pairwise(sorted(ys))) >= 9  # the type's height
    bars = charts.bar_chart("t", [("a", "#000", [("x", 400.0)])], 86.0)
    assert len(re.findall(r'text-anchor="end">[^<]+</text>', bars)) == 2  # 0 and the top

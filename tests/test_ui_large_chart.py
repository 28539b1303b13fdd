"""The org chart of a 611-person uneven organisation: boxes with head counts, legible."""

import itertools
import re
from pathlib import Path

import pytest

from orgsim.scenario.loading import load_scenario
from orgsim.scenario.redesign import redesign, remove_layer
from orgsim.ui import orgchart, treelayout
from orgsim.ui.session import Lockstep

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "acme.yaml"


@pytest.fixture(scope="module")
def acme():
    scenario = load_scenario(EXAMPLE)
    flatter = redesign(scenario, [remove_layer("level_2")], name="acme_flatter")
    pair = Lockstep(scenario, flatter, seed=3)
    for _ in range(12):
        pair.advance(4.0)
    return pair


def chart_of(side, **options):
    return orgchart.layout(side.model.org, side.model.accounts, list(side.scenario.tree.roles),
                           **options)  # fmt: skip


def rectangles(chart):
    """Every box drawn: (x, y, width, height) of approvers and teams."""
    row = chart.font * 1.5
    nodes = [(n.x, n.y, n.width, row) for n in chart.nodes]
    return nodes + [(t.x, t.y, t.width, row) for t in chart.teams]


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_six_hundred_people_are_drawn_as_teams_with_head_counts_none_overlapping(acme):
    side = acme.sides[0]
    assert side.scenario.tree.headcount == 611
    chart = chart_of(side)
    assert not chart.members  # above MEMBERS_UP_TO: head counts, not a cell per person
    assert chart.width == orgchart.WIDTH  # wraps rather than shrinking the type
    svg = orgchart.render(chart, side.model.accounts, 0)
    sizes = [int(size) for size in re.findall(r'<g class="team" data-size="(\d+)"', svg)]
    assert len(sizes) == len(side.scenario.tree.teams)
    assert sum(sizes) == len(side.model.org.employees)
    approvers = re.findall(r'<g class="approver">', svg)
    assert len(approvers) == len(chart.nodes) == len(side.scenario.tree.points)
    boxes = rectangles(chart)
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), f"boxes {a} and {b} overlap"
    assert all(x >= 0 and x + w <= chart.width + 0.1 for x, _, w, _ in boxes)
    # each box's label fits in it: the role's name or the head count
    assert all(n.width >= len(n.label) * chart.font * 0.6 for n in chart.nodes)


def test_every_box_sits_below_the_one_it_reports_to(acme):
    side = acme.sides[0]
    chart = chart_of(side)
    by_team_layer = {(t, n.layer): n for n in chart.nodes for t in n.teams}
    for node in chart.nodes:
        above = [by_team_layer.get((node.teams[0], layer)) for layer in range(node.layer + 1, 9)]
        parent = next((p for p in above if p is not None), None)
        assert parent is None or parent.y < node.y
    lowest = {t: min(n.layer for n in chart.nodes if t in n.teams) for t in range(len(chart.teams))}
    for team in chart.teams:
        manager = by_team_layer[(team.team.index, lowest[team.team.index])]
        assert manager.y <= team.y
        assert manager.x < team.x


def test_a_team_shows_each_person_when_asked(acme):
    side = acme.sides[0]
    chart = chart_of(side, members=True)
    assert len(chart.employees) == len(side.model.org.employees)
    team_of = {id(e): t for t in chart.teams for e in t.team.members}
    for x, y, employee in chart.employees:
        team = team_of[id(employee)]
        assert team.x <= x
        assert x + chart.employee_cell <= team.x + team.width + 0.01
        assert y >= team.y
    boxes = [(t.x, t.y, t.width, orgchart._team_body(t, chart)) for t in chart.teams]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b)


def test_the_redesign_beside_it_has_fewer_managers_and_wider_spans(acme):
    base, flatter = (chart_of(side) for side in acme.sides)
    assert len(flatter.nodes) < len(base.nodes)
    assert flatter.widest_span > base.widest_span
    assert sum(t.accounts.size for t in flatter.teams) == sum(t.accounts.size for t in base.teams)


def test_customers_bands_add_up_to_each_teams_customers(acme):
    side = acme.sides[0]
    chart = chart_of(side)
    side.model.accounts.active[int(chart.teams[0].accounts[0])] = 0
    svg = orgchart.render(chart, side.model.accounts, 1)
    widths = [float(w) for w in re.findall(r"h(\d+\.\d+)v", svg)]
    total = sum(t.width for t in chart.teams if t.accounts.size)
    assert sum(widths) == pytest.approx(total, rel=1e-3)
    assert orgchart.CHURNED in svg
    side.model.accounts.active[int(chart.teams[0].accounts[0])] = 1


def test_a_flow_wraps_within_its_width_and_a_stack_indents():
    spacing = treelayout.Spacing(gap=2, row=10, indent=8)
    leaves = [treelayout.Box(i, 30, 10) for i in range(4)]
    managers = [treelayout.Box(f"m{i}", 20, 10, [leaf, treelayout.Box(f"x{i}", 30, 10)])
                for i, leaf in enumerate(leaves)]  # fmt: skip
    top = treelayout.Box("top", 20, 10, managers)
    width, height, lines = treelayout.place([top], 100, spacing)
    assert width <= 100
    columns = {m.x for m in managers}
    assert len(columns) == 2  # two stacks a line
    for manager in managers:
        assert all(c.x == manager.x + 8 and c.y > manager.y for c in manager.children)
    assert height == max(b.y + b.height for m in managers for b in m.children) - top.y
    assert lines


def test_a_short_block_slips_under_a_short_neighbour_rather_than_below_the_tallest():
    spacing = treelayout.Spacing(gap=2, row=10, indent=8)
    short, tall, after = (treelayout.Box(n, 50, h) for n, h in (("a", 10), ("b", 100), ("c", 10)))
    width, height, _ = treelayout.place([short, tall, after], 110, spacing)
    assert (short.x, short.y) == (0, 0)
    assert tall.x > short.x
    assert tall.y == 0
    assert (after.x, after.y) == (0, 20)  # under the short one, not under the tall one
    assert height == 100
    assert width <= 110


def test_a_team_clicked_open_shows_its_people_the_others_stay_counts(acme):
    side = acme.sides[0]
    opened = chart_of(side, expanded=frozenset({3}))
    assert [e for _, _, e in opened.employees] == side.model.org.teams[3].members
    boxes = {t.team.index: t for t in opened.teams}
    assert boxes[3].members
    assert not any(t.members for i, t in boxes.items() if i != 3)
    assert boxes[3].width > boxes[4].width  # room for its people
    svg = orgchart.render(opened, side.model.accounts, 0)
    assert 'data-team="3"' in svg
    assert f'data-people-shown="{len(side.model.org.teams[3].members)}"' in svg
    for a, b in itertools.combinations(rectangles(opened), 2):
        assert not overlap(a, b)

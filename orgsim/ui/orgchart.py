"""An organisation drawn as an org chart in SVG: layers on top, teams, customers below.

The layout is a tree computed once per model from who reports to whom (the teams'
routes and coaches), so nothing moves from frame to frame; each frame only recolours
it. Built as a string rather than with matplotlib or a graph layout: a few thousand
``<rect>`` cost milliseconds, where a spring layout of a thousand nodes takes seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

from orgsim.sim.agents import Accounts, Employee, Manager
from orgsim.sim.organisation import DecisionPoint, Organisation, Team

WIDTH = 640.0
LAYER_ROW = 44.0
MARGIN = 6.0
QUEUE_COLOURS = ((0, "#d9ead3"), (1, "#ffe599"), (2, "#f6b26b"), (4, "#e06666"), (8, "#990000"))
"""Fill by queue length: the colour of the highest threshold reached."""
CHURNED = "#c8c8c8"
COACH = "#cfe2f3"


def queue_colour(length: int) -> str:
    """Pale green for an empty queue, through yellow and orange, to dark red from 8."""
    colour = QUEUE_COLOURS[0][1]
    for threshold, fill in QUEUE_COLOURS:
        if length >= threshold:
            colour = fill
    return colour


def satisfaction_colour(satisfaction: float) -> str:
    """Red (0) through yellow (0.5) to green (1); the chart rounds to steps of 0.05."""
    hue = 120 * min(1.0, max(0.0, satisfaction))
    return f"hsl({hue:.0f},70%,45%)"


@dataclass(eq=False)
class Node:
    """One box of a layer: a decision point's members, or a team's coaches."""

    layer: int
    label: str
    people: list[Manager]
    approves: bool
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    teams: list[int] = field(default_factory=list)


@dataclass
class Layout:
    """Where everything is; fixed for the life of a model."""

    height: float
    nodes: list[Node]
    employees: list[tuple[float, float, Employee]]
    customers: list[tuple[float, float, int]]
    employee_cell: float
    customer_cell: float
    static: str
    widest_span: int = 0


def layout(org: Organisation, accounts: Accounts, layer_names: list[str]) -> Layout:
    """Place the layers, teams and customers of ``org`` as a tree, top layer first."""
    teams = org.teams
    slot = (WIDTH - 2 * MARGIN) / len(teams)
    centres = [MARGIN + slot * (t + 0.5) for t in range(len(teams))]
    nodes = _nodes(teams)
    top = 14.0
    for node in nodes:
        node.y = top + (len(layer_names) - 1 - node.layer) * LAYER_ROW
        node.x = sum(centres[t] for t in node.teams) / len(node.teams)
        node.width = min(slot * len(node.teams) * 0.9, 26.0 + 12.0 * len(node.people))
    teams_y = top + len(layer_names) * LAYER_ROW
    size = max(len(team.members) for team in teams)
    # about 3:2 wide, but no narrower than 4 px a cell
    columns = max(1, min(math.ceil(math.sqrt(size * 1.5)), int(slot * 0.9 // 4)))
    employee_cell = min(slot * 0.9 / columns, 16.0)
    employees = [
        (centres[t] - columns * employee_cell / 2 + (i % columns) * employee_cell,
         teams_y + (i // columns) * employee_cell, employee)
        for t, team in enumerate(teams)
        for i, employee in enumerate(team.members)
    ]  # fmt: skip
    customers_y = teams_y + math.ceil(size / columns) * employee_cell + 16.0
    customers, customer_cell, rows = _customers(teams, accounts, centres, slot, customers_y)
    legend_y = customers_y + rows * customer_cell + 8.0
    height = legend_y + 14.0
    static = _static(nodes, centres, layer_names, teams_y, customers_y) + _legend(legend_y)
    widest = max(_spans(nodes, teams), default=0)
    return Layout(height, nodes, employees, customers, employee_cell, customer_cell, static, widest)


def _next_below(by_team_layer: dict[tuple[int, int], Node], team: int, layer: int) -> Node | None:
    """The box just below ``layer`` on ``team``'s chain, if any.

    On an uneven tree a chain may skip a layer (a director above a desk without team
    leads), so the search goes down until it finds one.
    """
    for lower in range(layer - 1, -1, -1):
        if (team, lower) in by_team_layer:
            return by_team_layer[(team, lower)]
    return None


def _spans(nodes: list[Node], teams: list[Team]) -> list[int]:
    """People reporting directly to each box: the boxes just below it, else its teams."""
    by_team_layer = {(t, n.layer): n for n in nodes for t in n.teams}
    spans = []
    for node in nodes:
        below = [_next_below(by_team_layer, t, node.layer) for t in node.teams]
        children = [child for child in dict.fromkeys(below) if child is not None]
        direct = [t for t, child in zip(node.teams, below, strict=True) if child is None]
        spans.append(
            sum(len(c.people) for c in children) + sum(len(teams[t].members) for t in direct)
        )
    return spans


def _nodes(teams: list[Team]) -> list[Node]:
    """The boxes of every layer, each knowing the teams below it (from routes and coaches)."""
    found: dict[tuple[int, int], Node] = {}
    for team in teams:
        points = [p for p in team.route if isinstance(p, DecisionPoint)]
        groups = [(p.level, p.name, p.members, True) for p in points]
        by_level: dict[int, list[Manager]] = {}
        for coach in team.coaches:
            by_level.setdefault(coach.layer, []).append(coach)
        groups += [(level, "coach", people, False) for level, people in by_level.items()]
        for level, label, people, approves in groups:
            key = (level, people[0].unique_id)
            node = found.setdefault(key, Node(level - 2, label, people, approves))
            node.teams.append(team.index)
    return sorted(found.values(), key=lambda n: (n.layer, n.teams[0]))


def _customers(
    teams: list[Team], accounts: Accounts, centres: list[float], slot: float, y: float
) -> tuple[list[tuple[float, float, int]], float, int]:
    """Each team's customers as a small grid under the team: (x, y, account)."""
    per_team: dict[int, list[int]] = {}
    for account, contact in enumerate(accounts.contacts):
        per_team.setdefault(contact.team.index, []).append(account)  # type: ignore[attr-defined]
    most = max(len(a) for a in per_team.values())
    cell = max(2.0, min(10.0, slot * 0.9 / 5))
    columns = max(1, int(slot * 0.9 // cell))
    cells = [
        (centres[t] - columns * cell / 2 + (i % columns) * cell, y + (i // columns) * cell, a)
        for t in range(len(teams))
        for i, a in enumerate(per_team.get(t, []))
    ]
    return cells, cell, math.ceil(most / columns)


def _static(
    nodes: list[Node], centres: list[float], layer_names: list[str], teams_y: float, below: float
) -> str:
    """What never changes: reporting lines, layer names and the band captions."""
    lines = []
    by_team_layer = {(t, n.layer): n for n in nodes for t in n.teams}
    for node in nodes:
        # in the teams' order (a dict, not a set), so that every drawing is the same
        under = [_next_below(by_team_layer, t, node.layer) for t in node.teams]
        children = [child for child in dict.fromkeys(under) if child is not None]
        lines += [_line(node.x, node.y + 22, c.x, c.y) for c in children]
        # teams with no box between them and this one (the lowest layer; uneven trees)
        direct = [t for t, child in zip(node.teams, under, strict=True) if child is None]
        lines += [_line(node.x, node.y + 22, centres[t], teams_y - 12) for t in direct]
    labels = [
        f'<text x="2" y="{10 + (len(layer_names) - 1 - i) * LAYER_ROW:.0f}" '
        f'class="lbl">{escape(name)}</text>'
        for i, name in enumerate(layer_names)
    ]
    labels.append(f'<text x="2" y="{teams_y - 3:.0f}" class="lbl">teams (queue per person)</text>')
    labels.append(
        f'<text x="2" y="{below - 3:.0f}" class="lbl">customers (satisfaction; grey: left)</text>'
    )
    return '<g stroke="#999" stroke-width="0.6">' + "".join(lines) + "</g>" + "".join(labels)


def _legend(y: float) -> str:
    """The colour keys: queue lengths, and satisfaction from red to green."""
    parts = [f'<text x="2" y="{y + 9:.0f}" class="lbl">queue:</text>']
    labels = ("0", "1", "2-3", "4-7", "8+")
    for i, ((_, fill), label) in enumerate(zip(QUEUE_COLOURS, labels, strict=True)):
        x = 40 + i * 42
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{fill}"/>'
            f'<text x="{x + 13}" y="{y + 9:.0f}" class="lbl">{label}</text>'
        )
    parts.append(f'<text x="270" y="{y + 9:.0f}" class="lbl">satisfaction:</text>')
    parts += [
        f'<rect x="{340 + i * 8}" y="{y}" width="8" height="10" '
        f'fill="{satisfaction_colour(i / 10)}"/>'
        for i in range(11)
    ]
    parts.append(f'<text x="432" y="{y + 9:.0f}" class="lbl">0 to 1; grey: left</text>')
    return "".join(parts)


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def render(chart: Layout, accounts: Accounts, frame: int) -> str:
    """The org chart now: queues, escalations waiting at managers, customers' moods."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {chart.height:.0f}" '
        f'class="orgchart" data-frame="{frame}" width="100%" '
        f'data-managers="{sum(len(node.people) for node in chart.nodes)}" '
        f'data-widest-span="{chart.widest_span}">'
        "<style>.lbl{font:11px sans-serif;fill:#555}.n{font:10px sans-serif}</style>",
        chart.static,
    ]
    parts += [_node(node) for node in chart.nodes]
    people = [(x, y, queue_colour(_queue(employee))) for x, y, employee in chart.employees]
    parts.append(_cells(people, chart.employee_cell - 1))
    satisfaction, active = accounts.satisfaction, accounts.active
    customers = [
        (x, y, satisfaction_colour(round(satisfaction[a] * 20) / 20) if active[a] else CHURNED)
        for x, y, a in chart.customers
    ]
    parts.append(_cells(customers, chart.customer_cell - (0.5 if chart.customer_cell < 4 else 1)))
    parts.append("</svg>")
    return "".join(parts)


def _cells(cells: list[tuple[float, float, str]], size: float) -> str:
    """Squares of one size, drawn as one ``<path>`` per colour.

    A few elements for the browser to lay out instead of one per person: for 500
    employees and 1,250 customers, about 40 elements instead of 1,800, and 73 kB of
    SVG a frame instead of 153 kB.
    """
    by_fill: dict[str, list[str]] = {}
    for x, y, fill in cells:
        by_fill.setdefault(fill, []).append(f"M{x:.1f} {y:.1f}h{size:.1f}v{size:.1f}h-{size:.1f}z")
    return "".join(f'<path fill="{fill}" d="{"".join(d)}"/>' for fill, d in by_fill.items())


def _queue(employee: Employee) -> int:
    """Requests at this person's desk; a pooled team's queue is shared out among its people."""
    pooled = employee.team.pooled
    if pooled is not None:
        return pooled.present // pooled.servers
    return employee.station.present


def _node(node: Node) -> str:
    """A box per node: a cell per member coloured by their queue, the node's count, a bar."""
    left = node.x - node.width / 2
    if not node.approves:
        return (
            f'<rect x="{left:.1f}" y="{node.y:.1f}" width="{node.width:.1f}" height="16" rx="3" '
            f'fill="{COACH}" stroke="#6d9eeb"/>'
        )
    queues = [m.station.present if m.station is not None else 0 for m in node.people]
    waiting = sum(queues)
    cell = node.width / len(node.people)
    cells = "".join(
        f'<rect x="{left + i * cell:.1f}" y="{node.y:.1f}" width="{cell - 0.5:.1f}" height="16" '
        f'fill="{queue_colour(q)}"/>'
        for i, q in enumerate(queues)
    )
    outline = "#c00" if waiting else "#666"
    bar = min(node.width, 2.0 * waiting)
    return (
        f'{cells}<rect x="{left:.1f}" y="{node.y:.1f}" width="{node.width:.1f}" height="16" '
        f'fill="none" stroke="{outline}" stroke-width="{1.6 if waiting else 0.6}"/>'
        f'<rect x="{left:.1f}" y="{node.y + 18:.1f}" width="{bar:.1f}" height="4" fill="#c00"/>'
        + (
            f'<text x="{node.x:.1f}" y="{node.y + 12:.1f}" text-anchor="middle" class="n">'
            f"{waiting}</text>"
            if waiting and node.width >= 12
            else ""
        )
    )

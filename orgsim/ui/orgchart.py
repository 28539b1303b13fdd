"""An organisation drawn as an org chart in SVG: approvers, teams, customers' bands.

The layout is a tree computed once per model from who reports to whom (:mod:`.orgtree`),
placed by :mod:`.treelayout` so that several hundred people stay
legible; nothing moves from frame to frame, each frame only recolours it. Teams are
drawn person by person, or as boxes with their head counts (the default above
:data:`MEMBERS_UP_TO` employees), a band of customers under each. Built as a string
rather than with matplotlib or a graph layout: a few thousand ``<rect>`` cost
milliseconds, where a spring layout of a thousand nodes takes seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np

from orgsim.sim.agents import Accounts, Employee
from orgsim.sim.organisation import Organisation, Team
from orgsim.ui import treelayout
from orgsim.ui.orgtree import (
    LABEL_CHARS,
    Node,
    Sizes,
    TeamBox,
    boxes_of,
    nodes_of,
    set_position,
    spans,
)

WIDTH = 420.0
"""Width the chart is laid out in, in SVG units drawn as pixels (narrower if its column
is): a column of a 1280-pixel screen beside the sidebar, so the type keeps its size."""
FONT = 11.0
"""Size of the chart's type in SVG units; boxes and rows are sized from it."""
MEMBERS_UP_TO = 120
"""Teams are drawn person by person up to this many employees, as head counts above."""
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


@dataclass
class Layout:
    """Where everything is; fixed for the life of a model.

    ``employees`` holds a cell per person when teams are drawn person by person
    (``members``), and is empty when they are drawn as head counts.
    """

    width: float
    height: float
    nodes: list[Node]
    teams: list[TeamBox]
    employees: list[tuple[float, float, Employee]]
    employee_cell: float
    static: str
    font: float = FONT
    members: bool = True
    widest_span: int = 0


def layout(
    org: Organisation,
    accounts: Accounts,
    layer_names: list[str],
    *,
    members: bool | None = None,
    width: float = WIDTH,
    font: float = FONT,
    expanded: frozenset[int] = frozenset(),
) -> Layout:
    """Place the approvers and teams of ``org`` as a tree of boxes, within ``width``.

    Args:
        org: the organisation.
        accounts: its customers, drawn as a band under their team.
        layer_names: the roles, by level (the boxes' labels).
        members: teams person by person (True) or as head counts (False); None: person
            by person up to :data:`MEMBERS_UP_TO` employees.
        width: the width to lay the chart out in; a wider chart wraps.
        font: the type size; every box and gap is sized from it.
        expanded: indices of teams drawn person by person whatever ``members`` says
            (a trainer clicked them).
    """
    teams = org.teams
    if members is None:
        members = len(org.employees) <= MEMBERS_UP_TO
    nodes = nodes_of(teams)
    for node in nodes:
        node.label = layer_names[node.layer] if node.approves else "coach"
    sizes = Sizes(font)
    shown = frozenset(t.index for t in teams) if members else expanded
    boxes = boxes_of(nodes, teams, accounts, sizes, len(layer_names), shown)
    spacing = treelayout.Spacing(font * 0.4, font * 1.2, font * 1.2, stack_leaves=not members)
    legend_h = font * 3.2
    drawn_w, drawn_h, lines = treelayout.place(boxes.roots, width, spacing)
    top = font * 0.3
    for box in boxes.all:
        box.y += top
        set_position(box)
    employees = [
        (t.x + sizes.pad + (i % sizes.columns) * sizes.cell,
         t.y + sizes.row + (i // sizes.columns) * sizes.cell, employee)
        for t in boxes.teams
        if t.members
        for i, employee in enumerate(t.team.members)
    ]  # fmt: skip
    chart_w = max(width, drawn_w)
    height = top + drawn_h + font * 0.8 + legend_h
    static = _static(lines, top) + _legend(top + drawn_h + font * 0.8, font)
    widest = max(spans(nodes, teams), default=0)
    return Layout(chart_w, height, nodes, boxes.teams, employees, sizes.cell, static, font,
                  members, widest)  # fmt: skip


def _static(lines: list[tuple[float, float, float, float]], top: float) -> str:
    """What never changes: the reporting lines."""
    drawn = "".join(_line(x1, y1 + top, x2, y2 + top) for x1, y1, x2, y2 in lines)
    return f'<g stroke="#999" stroke-width="0.8">{drawn}</g>'


def _legend(y: float, font: float) -> str:
    """The colour keys: queue lengths, and customers' satisfaction from red to green."""
    size, step = font * 0.9, font * 3.2
    parts = [f'<text x="2" y="{y + size:.1f}" class="lbl">queue:</text>']
    labels = ("0", "1", "2-3", "4-7", "8+")
    for i, ((_, fill), label) in enumerate(zip(QUEUE_COLOURS, labels, strict=True)):
        x = font * 4 + i * step
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{size:.1f}" height="{size:.1f}" fill="{fill}"/>'
            f'<text x="{x + size * 1.2:.1f}" y="{y + size:.1f}" class="lbl">{label}</text>'
        )
    y += font * 1.5
    parts.append(f'<text x="2" y="{y + size:.1f}" class="lbl">customers: 0</text>')
    x = font * 7.2
    parts += [
        f'<rect x="{x + i * size * 0.7:.1f}" y="{y:.1f}" width="{size * 0.7:.1f}" '
        f'height="{size:.1f}" fill="{satisfaction_colour(i / 10)}"/>'
        for i in range(11)
    ]
    parts.append(
        f'<text x="{x + size * 8:.1f}" y="{y + size:.1f}" class="lbl">1 satisfied; grey: '
        "left</text>"
    )
    return "".join(parts)


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def render(chart: Layout, accounts: Accounts, frame: int) -> str:
    """The org chart now: queues, escalations waiting at managers, customers' moods."""
    font = chart.font
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:.0f} '
        f'{chart.height:.0f}" class="orgchart" data-frame="{frame}" '
        f'width="{chart.width:.0f}" style="max-width:100%;height:auto" '
        f'data-managers="{sum(len(node.people) for node in chart.nodes)}" '
        f'data-widest-span="{chart.widest_span}" data-teams="{len(chart.teams)}" '
        f'data-people-shown="{len(chart.employees)}">'
        f"<style>.lbl{{font:{font:.1f}px sans-serif;fill:#444}}"
        f".n{{font:bold {font:.1f}px sans-serif;fill:#c00}}"
        f".c{{font:{font:.1f}px sans-serif;fill:#222}}.team{{cursor:pointer}}</style>",
        chart.static,
    ]
    parts += [_node(node, font) for node in chart.nodes]
    parts += [_team(team, chart) for team in chart.teams]
    people = [(x, y, queue_colour(_queue(employee))) for x, y, employee in chart.employees]
    parts.append(_cells(people, chart.employee_cell - 1))
    parts.append(_bands(chart, accounts))
    parts.append("</svg>")
    return "".join(parts)


def _team(box: TeamBox, chart: Layout) -> str:
    """A team's box: its head count, coloured by the queue per person when collapsed."""
    team, font = box.team, chart.font
    size = len(team.members)
    fill = "#fff" if box.members else queue_colour(_team_queue(team) // max(1, size))
    row = font * 1.5
    return (
        f'<g class="team" data-size="{size}" data-team="{team.index}"><title>team '
        f"{escape(team.name)}: {size} people, {len(box.accounts)} customers (a click "
        f"{'folds' if box.members else 'shows'} its people)</title>"
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
        f'height="{_team_body(box, chart):.1f}" fill="{fill}" stroke="#888" stroke-width="0.6"/>'
        f'<text x="{box.x + box.width / 2:.1f}" y="{box.y + row * 0.72:.1f}" '
        f'text-anchor="middle" class="c">{size}</text></g>'
    )


def _team_body(box: TeamBox, chart: Layout) -> float:
    """Height of a team's box without its customers' band."""
    font = chart.font
    if not box.members:
        return font * 1.5
    rows = math.ceil(len(box.team.members) / 6)
    return font * 1.5 + rows * chart.employee_cell + font * 0.2


def _team_queue(team: Team) -> int:
    return sum(_queue(employee) for employee in team.members)


def _bands(chart: Layout, accounts: Accounts) -> str:
    """Each team's customers as a band under it, a colour's width its share of them.

    By satisfaction from red to green, then those who left, in grey.
    """
    satisfaction = np.frombuffer(accounts.satisfaction, dtype=np.float64)
    active = np.frombuffer(accounts.active, dtype=np.uint8).astype(bool)
    cells: list[tuple[float, float, float, str]] = []
    height = chart.font * 0.5
    for box in chart.teams:
        if not box.accounts.size:
            continue
        mine = box.accounts
        here = active[mine]
        steps = np.bincount(np.rint(satisfaction[mine][here] * 20).astype(np.int64), minlength=21)
        counts = [(satisfaction_colour(s / 20), int(n)) for s, n in enumerate(steps[:21]) if n]
        counts.append((CHURNED, int((~here).sum())))
        x, y, unit = box.x, box.y + _team_body(box, chart) + 1, box.width / mine.size
        for fill, n in counts:
            if n:
                cells.append((x, y, n * unit, fill))
                x += n * unit
    by_fill: dict[str, list[str]] = {}
    for x, y, w, fill in cells:
        by_fill.setdefault(fill, []).append(f"M{x:.1f} {y:.1f}h{w:.2f}v{height:.1f}h-{w:.2f}z")
    return "".join(f'<path fill="{fill}" d="{"".join(d)}"/>' for fill, d in by_fill.items())


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


def _queues(node: Node) -> list[int]:
    return [m.station.present if m.station is not None else 0 for m in node.people]


def _waiting(node: Node) -> int:
    return sum(_queues(node))


def _node(node: Node, font: float) -> str:
    """A box per node: its role, a cell per member by their queue, escalations waiting."""
    height = font * 1.5
    left, top = node.x, node.y
    label = node.label if len(node.label) <= LABEL_CHARS else node.label[: LABEL_CHARS - 1] + "…"
    title = f"<title>{escape(node.label)}: {len(node.people)} people</title>"
    # white on the two darkest fills of a single approver's queue
    dark = len(node.people) == 1 and node.approves and _waiting(node) >= QUEUE_COLOURS[3][0]
    text = (
        f'<text x="{left + font * 0.3:.1f}" y="{top + height * 0.72:.1f}" class="c"'
        f"{' style="fill:#fff"' if dark else ''}>{escape(label)}</text>"
    )
    if not node.approves:
        return (
            f'<g class="coach">{title}<rect x="{left:.1f}" y="{top:.1f}" '
            f'width="{node.width:.1f}" height="{height:.1f}" rx="3" fill="{COACH}" '
            f'stroke="#6d9eeb"/>{text}</g>'
        )
    queues = _queues(node)
    waiting = sum(queues)
    cell = node.width / len(node.people)
    cells = "".join(
        f'<rect x="{left + i * cell:.1f}" y="{top:.1f}" width="{cell - 0.5:.1f}" '
        f'height="{height:.1f}" fill="{queue_colour(q)}"/>'
        for i, q in enumerate(queues)
    )
    outline = "#c00" if waiting else "#666"
    count = (
        f'<text x="{left + node.width - font * 0.3:.1f}" y="{top + height * 0.72:.1f}" '
        f'text-anchor="end" class="n"{' style="fill:#fff"' if dark else ""}>{waiting}</text>'
        if waiting
        else ""
    )
    return (
        f'<g class="approver">{title}{cells}<rect x="{left:.1f}" y="{top:.1f}" '
        f'width="{node.width:.1f}" height="{height:.1f}" fill="none" stroke="{outline}" '
        f'stroke-width="{1.6 if waiting else 0.6}"/>{text}{count}</g>'
    )

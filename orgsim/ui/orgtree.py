"""Who reports to whom in an org chart, as boxes: approvers, coaches and teams.

From the teams' routes and coaches (:mod:`orgsim.sim.organisation`), the boxes of every
level, each knowing the boxes just below it, and their sizes from the type size; where
they go is :mod:`.treelayout`'s, what they look like :mod:`.orgchart`'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from orgsim.sim.agents import Accounts, Manager
from orgsim.sim.organisation import DecisionPoint, Team
from orgsim.ui import treelayout

LABEL_CHARS = 18
"""Longest role name written in a box; longer ones are cut, whole in the tooltip."""


@dataclass(eq=False)
class Node:
    """One approver, committee or group of coaches: its members and the teams below it."""

    layer: int
    label: str
    people: list[Manager]
    approves: bool
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    teams: list[int] = field(default_factory=list)


@dataclass(eq=False)
class TeamBox:
    """One team: a box with its head count (or a cell per person), its customers below."""

    team: Team
    accounts: np.ndarray
    members: bool = False
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0


@dataclass(frozen=True)
class Sizes:
    """Box sizes from the type size: a row of text, a person's cell, a team's width."""

    font: float

    @property
    def row(self) -> float:
        """Height of a box: a line of text."""
        return self.font * 1.5

    @property
    def cell(self) -> float:
        """Side of a person's square."""
        return self.font * 0.8

    @property
    def pad(self) -> float:
        """Margin inside a team's box."""
        return self.font * 0.2

    @property
    def columns(self) -> int:
        """People a row in a team's box."""
        return 6

    def team_width(self, members: bool) -> float:
        """Width of a team's box: its people's cells, or its head count."""
        return self.columns * self.cell + 2 * self.pad if members else self.font * 3.2

    @property
    def band(self) -> float:
        """Height of the customers' band under a team."""
        return self.font * 0.5

    def team_height(self, size: int, members: bool) -> float:
        """Height of a team of ``size``, with its people's cells and its customers' band."""
        people = math.ceil(size / self.columns) * self.cell + self.pad if members else 0.0
        return self.row + people + self.band + 2

    def node_width(self, label: str, people: int) -> float:
        """Width of an approver's box: its role's name, or a cell per member."""
        text = min(len(label), LABEL_CHARS) * self.font * 0.62
        return max(text + self.font * 2.2, people * self.font * 0.9)


@dataclass
class Boxes:
    """The boxes of a chart: its roots (the tops), all of them, and its teams'."""

    roots: list[treelayout.Box]
    all: list[treelayout.Box]
    teams: list[TeamBox]


def boxes_of(
    nodes: list[Node],
    teams: list[Team],
    accounts: Accounts,
    sizes: Sizes,
    levels: int,
    shown: frozenset[int],
) -> Boxes:
    """The tree of boxes: each node above the nodes and teams just below it."""
    by_team_layer = {(t, n.layer): n for n in nodes for t in n.teams}
    box_of = {
        id(n): treelayout.Box(n, sizes.node_width(n.label, len(n.people)), sizes.row) for n in nodes
    }
    per_team = accounts_per_team(teams, accounts)
    team_boxes = [TeamBox(team, per_team[team.index], team.index in shown) for team in teams]
    roots = []
    for node in nodes:
        above = next_above(by_team_layer, node.teams[0], node.layer, levels)
        (roots if above is None else box_of[id(above)].children).append(box_of[id(node)])
    team_of = []
    for team_box in team_boxes:
        team = team_box.team
        people = len(team.members)
        width, height = (
            sizes.team_width(team_box.members),
            sizes.team_height(people, team_box.members),
        )
        box = treelayout.Box(team_box, width, height)
        team_of.append(box)
        parent = next_above(by_team_layer, team.index, -1, levels)
        (roots if parent is None else box_of[id(parent)].children).append(box)
    return Boxes(roots, [*box_of.values(), *team_of], team_boxes)


def set_position(box: treelayout.Box) -> None:
    """Copy a placed box's corner (and width) to the node or team it stands for."""
    thing = box.key
    if isinstance(thing, Node | TeamBox):
        thing.x, thing.y, thing.width = box.x, box.y, box.width


def accounts_per_team(teams: list[Team], accounts: Accounts) -> dict[int, np.ndarray]:
    """Each team's customers (their indices in ``accounts``)."""
    per_team: dict[int, list[int]] = {team.index: [] for team in teams}
    for account, contact in enumerate(accounts.contacts):
        per_team[contact.team.index].append(account)  # type: ignore[attr-defined]
    return {t: np.array(a, dtype=np.int64) for t, a in per_team.items()}


def next_above(
    by_team_layer: dict[tuple[int, int], Node], team: int, layer: int, levels: int
) -> Node | None:
    """The box just above ``layer`` (of ``levels``) on ``team``'s chain, if any.

    On an uneven tree a chain may skip a level, so the search goes up until it finds one.
    """
    for upper in range(layer + 1, levels):
        if (team, upper) in by_team_layer:
            return by_team_layer[(team, upper)]
    return None


def next_below(by_team_layer: dict[tuple[int, int], Node], team: int, layer: int) -> Node | None:
    """The box just below ``layer`` on ``team``'s chain, if any.

    On an uneven tree a chain may skip a layer (a director above a desk without team
    leads), so the search goes down until it finds one.
    """
    for lower in range(layer - 1, -1, -1):
        if (team, lower) in by_team_layer:
            return by_team_layer[(team, lower)]
    return None


def spans(nodes: list[Node], teams: list[Team]) -> list[int]:
    """People reporting directly to each box: the boxes just below it, else its teams."""
    by_team_layer = {(t, n.layer): n for n in nodes for t in n.teams}
    spans = []
    for node in nodes:
        below = [next_below(by_team_layer, t, node.layer) for t in node.teams]
        children = [child for child in dict.fromkeys(below) if child is not None]
        direct = [t for t, child in zip(node.teams, below, strict=True) if child is None]
        spans.append(
            sum(len(c.people) for c in children) + sum(len(teams[t].members) for t in direct)
        )
    return spans


def nodes_of(teams: list[Team]) -> list[Node]:
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

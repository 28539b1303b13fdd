"""The shape of an organisation: people, managers, teams, depth and spans of control.

Read off the resolved tree (:mod:`orgsim.scenario.tree`), for the summaries of a redesign
and of an imported chart. A span is counted in people, as HR systems count it: a
manager's direct reports are the members of the teams and of the units just below.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from orgsim.scenario.tree import Tree


@dataclass(frozen=True)
class Shape:
    """What a chart shows at a glance."""

    employees: int
    managers: int
    team_sizes: tuple[int, ...]
    spans: tuple[int, ...]
    depth: int

    @classmethod
    def of(cls, tree: Tree) -> Shape:
        """The shape of ``tree``; ``depth`` counts levels of people, employees included."""
        reports = Counter[int]()
        for point in tree.points:
            if point.parent is not None:
                reports[point.parent] += point.spec.members
        for team in tree.teams:
            if team.parent is not None:
                reports[team.parent] += team.spec.size
        return cls(
            employees=sum(team.spec.size for team in tree.teams),
            managers=sum(point.spec.members for point in tree.points),
            team_sizes=tuple(team.spec.size for team in tree.teams),
            spans=tuple(reports[i] for i in range(len(tree.points))),
            depth=1 + max(len(team.route) + len(team.coaches) for team in tree.teams),
        )

    @property
    def people(self) -> int:
        """Employees and managers."""
        return self.employees + self.managers

    def lines(self) -> list[str]:
        """The shape in a few lines of text."""
        lines = [
            f"people: {self.people:,} ({self.employees:,} in {len(self.team_sizes):,} teams, "
            f"{self.managers:,} managers, {self.managers / self.people:.0%})",
            f"depth: {self.depth} levels of people",
            f"team sizes: {_spread(self.team_sizes)}",
        ]
        if self.spans:
            lines.append(f"spans of control: {_spread(self.spans)}")
        return lines


def compared(before: Shape, after: Shape) -> list[str]:
    """What a redesign changed, figure by figure."""
    rows = [
        ("people", before.people, after.people),
        ("managers", before.managers, after.managers),
        ("teams", len(before.team_sizes), len(after.team_sizes)),
        ("depth (levels)", before.depth, after.depth),
        ("widest span", max(before.spans, default=0), max(after.spans, default=0)),
    ]
    return [f"{name}: {old:,} -> {new:,} ({new - old:+,})" for name, old, new in rows]


def _spread(values: tuple[int, ...]) -> str:
    """``min / median / max`` and the distribution of small whole numbers."""
    counts = sorted(Counter(values).items())
    shown = ", ".join(f"{value}: {n}" for value, n in counts[:12])
    more = ", ..." if len(counts) > 12 else ""
    return (
        f"min {min(values)}, median {statistics.median(values):g}, max {max(values)} "
        f"(size: count {shown}{more})"
    )


NARROW_SPAN = 2
"""A manager with this many direct reports or fewer is flagged (too narrow a span)."""

WIDE_SPAN = 16
"""A manager with this many direct reports or more is flagged (too wide a span)."""


def health_flags(tree: Tree, max_depth: int = 6) -> list[str]:
    """The flags org-design tools show statically.

    Narrow and wide spans, chains deeper than ``max_depth`` levels of people, and
    compression (a manager whose own manager has no other report).
    """
    shape = Shape.of(tree)
    ids = [point.id for point in tree.points]
    narrow = [i for i, span in enumerate(shape.spans) if span <= NARROW_SPAN]
    wide = [i for i, span in enumerate(shape.spans) if span >= WIDE_SPAN]
    alone = {
        point.parent
        for point in tree.points
        if point.parent is not None and shape.spans[point.parent] == point.spec.members
    }
    compressed = [i for i, point in enumerate(tree.points) if point.parent in alone]
    deep = [team.id for team in tree.teams if 1 + len(team.route) + len(team.coaches) > max_depth]
    flags = [
        (narrow, f"managers with {NARROW_SPAN} or fewer direct reports"),
        (wide, f"managers with {WIDE_SPAN} or more direct reports"),
        (compressed, "managers whose own manager has no other report (compression)"),
    ]
    lines = [
        f"{what} ({len(found)}): {_names([ids[i] for i in found])}"
        for found, what in flags
        if found
    ]
    if deep:
        lines.append(
            f"teams below chains deeper than {max_depth} levels ({len(deep)}): {_names(deep)}"
        )
    return lines


def _names(ids: list[str]) -> str:
    return ", ".join(ids[:6]) + (", ..." if len(ids) > 6 else "")

"""One resolved tree for every structure: the shorthand and an explicit ``units`` list alike.

:func:`resolve` turns ``teams`` + ``layers`` (identical teams under layers of equal span)
or ``structure.units`` (an uneven tree) into the same frozen description: every team with
its own settings, customers and route of decision points up its chain of parents, and
every decision point (or group of coaches) in the order the model builds them. The
simulation builds from this alone, so both descriptions run through one builder.

Roles, not depths, name the levels of an uneven tree: a "layer" of the request log and
of the reports is a role (``department_manager``), ordered by the greatest height above
a team at which it sits. On an uneven tree a depth mixes people of different jobs (a
director one step above a small team, a department manager one step above a large
one), while a role is what a strategist asks about ("how much reaches the directors?").
In the shorthand, roles are the layers' names, so nothing changes there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from orgsim.scenario import limits
from orgsim.scenario.spec import mandate_limit
from orgsim.scenario.units import (
    LEVELS_BELOW_LAYERS,
    LateralHandoff,
    Layer,
    ReviewUnit,
    Teams,
    TeamUnit,
)


@dataclass(frozen=True)
class PointPlan:
    """A decision point (one approver or a committee) or a group of coaches.

    Attributes:
        id: the unit's id (``layer-n`` in the shorthand).
        level: index of its role in :attr:`Tree.roles`.
        spec: its settings.
        parent: the index of its parent point in :attr:`Tree.points`, or None.
    """

    id: str
    level: int
    spec: Layer
    parent: int | None

    @property
    def coach(self) -> bool:
        """Whether it coaches rather than decides."""
        return self.spec.role == "coach"


@dataclass(frozen=True)
class TeamPlan:
    """One team with its own settings, its customers, and its chain of points.

    Attributes:
        id: the team's id (``team-t`` in the shorthand).
        spec: its settings (size, mandates, decision rule, skill, ...).
        customers: accounts it serves.
        requests_per_customer_per_day: its customers' Poisson rate.
        route: indices in :attr:`Tree.points` of the deciding points above it, bottom-up.
        coaches: indices of the coach groups above it.
        parent: index of the point it reports to directly, or None.
    """

    id: str
    spec: Teams
    customers: int
    requests_per_customer_per_day: float
    route: tuple[int, ...]
    coaches: tuple[int, ...]
    parent: int | None = None

    def route_limit(self, points: Sequence[PointPlan]) -> float:
        """Largest value anyone on this team's route may decide."""
        own = [mandate_limit(self.spec.employee_mandate)]
        if self.spec.decision != "individual":
            own.append(mandate_limit(self.spec.team_mandate))
        return max(own + [mandate_limit(points[p].spec.mandate) for p in self.route])


@dataclass(frozen=True)
class Tree:
    """A resolved organisation: teams in order, points in build order, roles by height."""

    teams: tuple[TeamPlan, ...]
    points: tuple[PointPlan, ...]
    roles: tuple[str, ...]

    @property
    def headcount(self) -> int:
        """Employees and managers."""
        employees = sum(team.spec.size for team in self.teams)
        return employees + sum(point.spec.members for point in self.points)

    @property
    def customers(self) -> int:
        """Accounts served at the start."""
        return sum(team.customers for team in self.teams)

    @property
    def mean_request_rate(self) -> float:
        """Requests per customer and day, over all customers (the rate itself if all share it)."""
        rates = {team.requests_per_customer_per_day for team in self.teams}
        if len(rates) == 1:
            return rates.pop()
        return sum(t.customers * t.requests_per_customer_per_day for t in self.teams) / (
            self.customers
        )

    @property
    def lateral_handoff(self) -> LateralHandoff:
        """Lateral hand-offs, one setting for the organisation (every team has the same)."""
        return self.teams[0].spec.lateral_handoff

    @property
    def longest_route(self) -> int:
        """Most decision points on one team's route."""
        return max(len(team.route) for team in self.teams)


def from_layers(teams: Teams, layers: Sequence[Layer], customers: int, rate: float) -> Tree:
    """The tree of ``count`` identical teams under ``layers``: team t reports to node t // span.

    Node n of a layer reports to node n // span of the layer above, as its units do.
    """
    counts, below = [], teams.count
    for layer in layers:
        below = -(-below // layer.span)  # ceil(below / span)
        counts.append(below)
    starts = [sum(counts[:level]) for level in range(len(layers) + 1)]
    points = [
        PointPlan(
            f"{layer.name}-{n}",
            level,
            layer,
            starts[level + 1] + n // layers[level + 1].span if level + 1 < len(layers) else None,
        )
        for level, layer in enumerate(layers)
        for n in range(counts[level])
    ]
    plans = []
    for t in range(teams.count):
        node, route, coaches, chain = t, [], [], []
        for level, layer in enumerate(layers):
            node //= layer.span
            chain.append(starts[level] + node)
            (coaches if layer.role == "coach" else route).append(chain[-1])
        plan = TeamPlan(f"team-{t}", teams, customers, rate, tuple(route), tuple(coaches))
        plans.append(replace(plan, parent=chain[0] if chain else None))
    return Tree(tuple(plans), tuple(points), tuple(layer.name for layer in layers))


class TreeError(ValueError):
    """A tree that cannot be an organisation; the message names the unit at fault."""


def from_units(
    units: Sequence[TeamUnit | ReviewUnit],
    customers: int | None,
    rate: float,
    several_tops: bool = False,
) -> Tree:
    """The tree ``structure.units`` lists, checked: one root, no cycle, known parents.

    Args:
        units: the units as validated, defaults filled in.
        customers: ``demand.customers_per_team``, for teams that do not say (None: none).
        rate: ``demand.requests_per_customer_per_day``, for teams that do not say.
        several_tops: allow more than one unit without a parent.

    Raises:
        TreeError: naming the unit at fault.
    """
    teams = sum(unit.count for unit in units if isinstance(unit, TeamUnit))
    if teams > limits.MAX_TEAMS:
        raise TreeError(f"units: {teams:,} teams with their counts, at most {limits.MAX_TEAMS:,}")
    by_id = _unique(units)
    if not several_tops:
        _one_root(units)
    for unit in units:
        if unit.parent is not None and unit.parent not in by_id:
            raise TreeError(f"unit {unit.id!r}: its parent {unit.parent!r} is no unit's id")
        if unit.parent is not None and by_id[unit.parent].kind == "team":
            raise TreeError(f"unit {unit.id!r}: its parent {unit.parent!r} is a team")
    chains = {unit.id: _chain(unit, by_id) for unit in units}
    reviewers = [u for u in units if isinstance(u, ReviewUnit)]
    _everyone_has_reports(reviewers, units, chains)
    roles = _roles(units, chains, by_id)
    order = sorted(reviewers, key=lambda u: roles.index(u.name))  # stable: file order in a role
    index = {u.id: i for i, u in enumerate(order)}
    points = tuple(
        PointPlan(u.id, roles.index(u.name), u, index.get(u.parent or "")) for u in order
    )
    plans = tuple(
        plan
        for unit in units
        if isinstance(unit, TeamUnit)
        for plan in _team_plans(unit, chains[unit.id], by_id, index, customers, rate)
    )
    lateral = {plan.spec.lateral_handoff for plan in plans}
    if len(lateral) > 1:
        raise TreeError(
            "units: lateral_handoff differs between teams; it is one setting for the "
            "organisation (put it in defaults.team)"
        )
    return Tree(plans, points, tuple(roles))


def _unique(units: Sequence[TeamUnit | ReviewUnit]) -> dict[str, TeamUnit | ReviewUnit]:
    by_id: dict[str, TeamUnit | ReviewUnit] = {}
    for unit in units:
        if unit.id in by_id:
            raise TreeError(f"unit {unit.id!r}: the id is used twice; ids must be unique")
        by_id[unit.id] = unit
    copies = {c for u in units if isinstance(u, TeamUnit) for c in _copy_ids(u) if c != u.id}
    if clash := sorted(copies & set(by_id)):
        raise TreeError(f"unit {clash[0]!r}: the id is also a copy of a team with count > 1")
    return by_id


def _one_root(units: Sequence[TeamUnit | ReviewUnit]) -> None:
    roots = [unit.id for unit in units if unit.parent is None]
    if len(roots) > 1:
        shown = ", ".join(repr(r) for r in roots[:5]) + (", ..." if len(roots) > 5 else "")
        raise TreeError(
            f"units {shown}: {len(roots)} units have no parent; a tree has one top "
            "(give all but one a parent, or set structure.several_tops: true)"
        )


def _chain(unit: TeamUnit | ReviewUnit, by_id: dict[str, TeamUnit | ReviewUnit]) -> list[str]:
    """Ids of ``unit``'s ancestors, its parent first; a cycle or an over-deep chain is an error.

    A tree without a root has a cycle, which this finds and names.
    """
    chain: list[str] = []
    seen = {unit.id}
    parent = unit.parent
    while parent is not None:
        if parent in seen:
            loop = [unit.id, *chain]
            loop = [*loop[loop.index(parent) :], parent]
            raise TreeError(
                f"units {' -> '.join(loop)} form a cycle: a unit cannot be above itself"
            )
        if len(chain) == limits.MAX_LAYERS:
            raise TreeError(
                f"unit {unit.id!r}: more than {limits.MAX_LAYERS} units above it; "
                "no organisation is that deep"
            )
        seen.add(parent)
        chain.append(parent)
        parent = by_id[parent].parent
    return chain


def _everyone_has_reports(
    reviewers: Sequence[ReviewUnit],
    units: Sequence[TeamUnit | ReviewUnit],
    chains: dict[str, list[str]],
) -> None:
    """An approver, committee or coach with no team anywhere below it decides nothing."""
    above_a_team = {p for u in units if isinstance(u, TeamUnit) for p in chains[u.id]}
    for unit in reviewers:
        if unit.id not in above_a_team:
            raise TreeError(
                f"unit {unit.id!r}: a {unit.kind} with no team below it (no one reports "
                "to it, directly or through others): remove it or give it reports"
            )


def _roles(
    units: Sequence[TeamUnit | ReviewUnit],
    chains: dict[str, list[str]],
    by_id: dict[str, TeamUnit | ReviewUnit],
) -> list[str]:
    """Roles ordered by the greatest height above a team at which each sits, then file order.

    The greatest height, since a director with a desk reporting straight to them still
    sits above the department managers of the other teams.
    """
    height: dict[str, int] = {}
    for unit in units:
        if isinstance(unit, TeamUnit):
            for h, point in enumerate(chains[unit.id], start=1):
                role = by_id[point].name  # type: ignore[union-attr]
                height[role] = max(height.get(role, h), h)
    roles = list(dict.fromkeys(u.name for u in units if isinstance(u, ReviewUnit)))
    if reserved := [role for role in roles if role in LEVELS_BELOW_LAYERS]:
        raise TreeError(f"role {reserved[0]!r} is reserved for a level below the managers")
    if len(roles) > limits.MAX_LAYERS:
        raise TreeError(f"units: {len(roles)} roles, at most {limits.MAX_LAYERS} are allowed")
    return sorted(roles, key=lambda role: height[role])


def _team_plans(
    unit: TeamUnit,
    chain: list[str],
    by_id: dict[str, TeamUnit | ReviewUnit],
    index: dict[str, int],
    customers: int | None,
    rate: float,
) -> list[TeamPlan]:
    """The team (or its ``count`` copies), with its route and coaches, mandates checked."""
    served = unit.customers if unit.customers is not None else customers
    if served is None:
        raise TreeError(
            f"unit {unit.id!r}: how many customers? set its customers, or "
            "demand.customers_per_team for every team"
        )
    route = tuple(index[p] for p in chain if by_id[p].kind != "coach")
    coaches = tuple(index[p] for p in chain if by_id[p].kind == "coach")
    _mandates_grow(unit, [p for p in chain if by_id[p].kind != "coach"], by_id)
    own_rate = unit.requests_per_customer_per_day or rate
    parent = index[chain[0]] if chain else None
    return [TeamPlan(i, unit, served, own_rate, route, coaches, parent) for i in _copy_ids(unit)]


def _copy_ids(unit: TeamUnit) -> list[str]:
    """A team unit's id, or its copies' ids ``id-1``, ``id-2``, ... when ``count`` > 1."""
    return [unit.id] if unit.count == 1 else [f"{unit.id}-{i}" for i in range(1, unit.count + 1)]


def _mandates_grow(
    unit: TeamUnit, route: list[str], by_id: dict[str, TeamUnit | ReviewUnit]
) -> None:
    """Mandates must not shrink going up a team's route (as in the shorthand)."""
    below_label, below = f"team {unit.id!r} employee_mandate", mandate_limit(unit.employee_mandate)
    steps = [(f"team {unit.id!r} team_mandate", unit.team_mandate)]
    steps = steps if unit.decision != "individual" else []
    steps += [(f"unit {p!r} mandate", by_id[p].mandate) for p in route]  # type: ignore[union-attr]
    for label, mandate in steps:
        if mandate_limit(mandate) < below:
            raise TreeError(
                f"{label} is {mandate}, below {below_label} ({below:g}) on the route of team "
                f"{unit.id!r}: mandates must not shrink going up the escalation route"
            )
        below_label, below = label, mandate_limit(mandate)

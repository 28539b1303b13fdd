"""Building the organisation a scenario describes: teams, layers and decision points.

The structure is data: one builder reads any scenario (a pyramid, self-managing
teams with a leadership circle, cells, a network, an uneven tree of units) into the
same few objects, from the tree :mod:`orgsim.scenario.tree` resolves: each team climbs
its own chain of decision points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import mesa
import numpy as np

from orgsim.scenario.distributions import Distribution, Sampler
from orgsim.scenario.schema import LEVELS_BELOW_LAYERS, Layer, Scenario, Teams
from orgsim.scenario.spec import mandate_limit
from orgsim.scenario.tree import TeamPlan, Tree
from orgsim.sim.agents import Employee, Manager
from orgsim.sim.decisions import Rule
from orgsim.sim.stations import Station

EMPLOYEE_LEVEL = 0
TEAM_LEVEL = 1
FIRST_LAYER_LEVEL = len(LEVELS_BELOW_LAYERS)
"""Levels of a decision in the request log: 0 employee, 1 team, 2 + i the i-th layer."""


@dataclass(eq=False, slots=True)
class DecisionPoint:
    """A node that reviews escalated proposals: one manager, or a committee.

    ``chair`` signs the decision in the log. ``team`` tells it from a
    :class:`TeamDecision` without an ``isinstance`` call on the hot path.
    """

    name: str
    level: int
    mandate: float
    members: list[Manager]
    rule: Rule
    sequential: bool
    chair: Manager = field(init=False)
    single: bool = field(init=False)
    team: ClassVar[bool] = False

    def __post_init__(self) -> None:
        self.chair = self.members[0]
        self.single = len(self.members) == 1


@dataclass(eq=False, slots=True)
class TeamDecision:
    """A team's collective decision: the proposer and colleagues vote (advice or consensus)."""

    name: str
    mandate: float
    advisors: int
    rule: Rule
    consult: Sampler
    consult_stretch: float
    level: int = TEAM_LEVEL
    sequential: bool = False
    single: bool = False
    team: ClassVar[bool] = True


@dataclass(eq=False, slots=True)
class Team:
    """An account team (cell, circle): its people, customers, and the route escalations take."""

    index: int
    name: str = ""
    customers: int = 0
    requests_per_customer_per_day: float = 0.0
    members: list[Employee] = field(default_factory=list)
    pooled: Station | None = None
    route: list[DecisionPoint | TeamDecision] = field(default_factory=list)
    coaches: list[Manager] = field(default_factory=list)

    def stages_for(self, value: float) -> int:
        """How many points of the route a proposal of this value passes.

        It climbs to the lowest point whose mandate covers the value; each point on
        the way reviews it too (series screening).
        """
        for passed, point in enumerate(self.route, start=1):
            if value <= point.mandate:
                return passed
        return len(self.route)


@dataclass(eq=False)
class Organisation:
    """Everything the request life needs to know about who is where."""

    teams: list[Team]
    employees: list[Employee]
    managers: list[Manager]
    levels: list[str]
    alike: list[tuple[Layer, list[Manager]]] = field(default_factory=list)
    """Managers by role and absence and meeting settings, in the order built: a layer of
    the shorthand is one group, units of one role with the same settings one too."""
    pools: list[Station] = field(default_factory=list)
    """Queues of mechanisms' own people (dispatchers, closers), if they have any."""

    @property
    def stations(self) -> list[Station]:
        """Every queue of the organisation, employees' first, mechanisms' pools last."""
        desks = [team.pooled for team in self.teams if team.pooled is not None]
        desks += [e.station for e in self.employees if e.team.pooled is None]
        return desks + [m.station for m in self.managers if m.station is not None] + self.pools


def build(
    model: mesa.Model, scenario: Scenario, work: np.random.Generator, people: np.random.Generator
) -> Organisation:
    """Create the agents and decision points of ``scenario``'s resolved tree in ``model``.

    Teams first, then the points role by role, as the shorthand always built them: the
    random draws (traits, review times) come in the same order, from one sampler per
    role and distribution, and teams alike share one team decision.

    Args:
        model: the model the agents belong to (it owns the event loop).
        scenario: the validated scenario.
        work: stream for review and consult times.
        people: stream for individual traits (skill, initial trust).
    """
    tree = scenario.tree
    trusts = scenario.culture.trust.initial.sampler(people)
    skills = _Samplers(people)
    together: dict[tuple[object, ...], TeamDecision] = {}  # alike teams share one
    teams = []
    for index, plan in enumerate(tree.teams):
        decision = None
        if plan.spec.decision != "individual":
            key = alike(*(getattr(plan.spec, name) for name in _TEAM_SETTINGS))
            if key not in together:
                together[key] = _team_decision(plan.spec, work)
            decision = together[key]
        traits = (skills.get(("team", plan.spec.skill), plan.spec.skill), trusts)
        teams.append(_build_team(model, index, plan, traits, decision))
    built = _build_points(model, tree, work, skills)
    for team, plan in zip(teams, tree.teams, strict=True):
        team.route += [built[p] for p in plan.route]
        team.coaches += [coach for c in plan.coaches for coach in built[c]]
    managers = [m for node in built for m in (node if isinstance(node, list) else node.members)]
    levels = [*LEVELS_BELOW_LAYERS, *tree.roles]
    employees = [employee for team in teams for employee in team.members]
    return Organisation(teams, employees, managers, levels, _alike(tree, built))


def alike(*values: object) -> tuple[object, ...]:
    """A key equal for equal settings.

    A value that cannot be hashed (a distribution of listed values) stands in by its
    ``repr``, which a frozen model writes field by field.
    """
    return tuple(v if _hashes(v) else repr(v) for v in values)


def _hashes(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_TEAM_SETTINGS = tuple(name for name in Teams.model_fields if name != "count")
"""What makes two teams alike, whichever way the file wrote them."""


class _Samplers:
    """One sampler per key, made on first use: alike units draw from one sampler."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.made: dict[object, Sampler] = {}

    def get(self, key: tuple[object, ...], dist: Distribution, scale: float = 1.0) -> Sampler:
        key = alike(*key)
        if key not in self.made:
            self.made[key] = dist.sampler(self.rng, scale=scale)
        return self.made[key]


def _alike(
    tree: Tree, built: list[DecisionPoint | list[Manager]]
) -> list[tuple[Layer, list[Manager]]]:
    """Managers grouped as :attr:`Organisation.alike` says."""
    groups: dict[tuple[object, ...], tuple[Layer, list[Manager]]] = {}
    for point, node in zip(tree.points, built, strict=True):
        spec = point.spec
        key = alike(point.level, spec.absence, spec.availability, spec.meeting_block_h)
        groups.setdefault(key, (spec, []))[1].extend(
            node if isinstance(node, list) else node.members
        )
    return list(groups.values())


def _build_points(
    model: mesa.Model, tree: Tree, work: np.random.Generator, skills: _Samplers
) -> list[DecisionPoint | list[Manager]]:
    """Every decision point (or group of coaches), in the tree's order."""
    reviews = _Samplers(work)
    built = []
    for point in tree.points:
        spec, level = point.spec, FIRST_LAYER_LEVEL + point.level
        share = _stretched_share(spec)
        review = reviews.get((level, spec.review_time_h, share), spec.review_time_h, 1 / share)
        skill = skills.get((level, spec.skill), spec.skill)
        built.append(_build_node(model, spec, level, point.id, skill, review))
    return built


def _build_team(
    model: mesa.Model,
    index: int,
    plan: TeamPlan,
    traits: tuple[Sampler, Sampler],
    together: TeamDecision | None,
) -> Team:
    spec = plan.spec
    team = Team(index, plan.id, plan.customers, plan.requests_per_customer_per_day)
    if spec.pooled:
        team.pooled = Station(model.loop, f"team-{index}", servers=spec.size)
    skills, trusts = traits
    for _ in range(spec.size):
        desk = team.pooled or Station(model.loop, "employee")
        employee = Employee(
            model, team, desk, mandate_limit(spec.employee_mandate), skills(), trusts()
        )
        if team.pooled is None:
            desk.name = f"employee-{employee.unique_id}"
        team.members.append(employee)
    if together is not None:
        team.route.append(together)
    return team


def _team_decision(spec: Teams, work: np.random.Generator) -> TeamDecision:
    if spec.decision == "consensus":
        advisors, rule = spec.size - 1, Rule.named("all", spec.size)
    else:
        advisors, rule = spec.advisors, Rule.named("majority", spec.advisors + 1)
    return TeamDecision(
        name="team",
        mandate=mandate_limit(spec.team_mandate),
        advisors=advisors,
        rule=rule,
        consult=spec.consult_time_h.sampler(work),
        consult_stretch=1.0 + spec.coordination_cost * (spec.size - 1),
    )


def _build_node(
    model: mesa.Model, layer: Layer, level: int, name: str, skills: Sampler, review: Sampler
) -> DecisionPoint | list[Manager]:
    """One node of a layer: a decision point of approvers, or a list of coaches."""
    if layer.role == "coach":
        return [Manager(model, level, "coach", skills()) for _ in range(layer.members)]
    members = [
        Manager(model, level, "approver", skills(), review, _stretched_share(layer))
        for _ in range(layer.members)
    ]
    return DecisionPoint(
        name=name,
        level=level,
        mandate=mandate_limit(layer.mandate),
        members=members,
        rule=Rule.named(layer.rule, layer.members, layer.k),
        sequential=layer.review == "sequential",
    )


def _stretched_share(layer: Layer) -> float:
    """The share of time that slows each review: all of it unless meetings come in blocks."""
    return layer.availability if layer.meeting_block_h is None else 1.0

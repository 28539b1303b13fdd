"""Building the organisation a scenario describes: teams, layers and decision points.

The structure is data: one builder reads any scenario (a pyramid, self-managing
teams with a leadership circle, cells, a network) into the same few objects. The
tree is built bottom-up: each node of a layer takes ``span`` units of the level
below (teams for the first layer), so team ``t`` reports to node ``t // span`` of
the first layer, and so on up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import mesa
import numpy as np

from orgsim.scenario.distributions import Sampler
from orgsim.scenario.schema import LEVELS_BELOW_LAYERS, Layer, Scenario, Teams
from orgsim.scenario.spec import mandate_limit
from orgsim.sim.agents import Employee, Manager
from orgsim.sim.decisions import Rule
from orgsim.sim.stations import Station

EMPLOYEE_LEVEL = 0
TEAM_LEVEL = 1
FIRST_LAYER_LEVEL = len(LEVELS_BELOW_LAYERS)
"""Levels of a decision in the request log: 0 employee, 1 team, 2 + i the i-th layer."""


@dataclass(eq=False)
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
    team: ClassVar[bool] = False

    def __post_init__(self) -> None:
        self.chair = self.members[0]
        self.single = len(self.members) == 1


@dataclass(eq=False)
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


@dataclass(eq=False)
class Team:
    """An account team (cell, circle): its people, and the route escalations take."""

    index: int
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

    @property
    def stations(self) -> list[Station]:
        """Every queue of the organisation, employees' first."""
        desks = [team.pooled for team in self.teams if team.pooled is not None]
        desks += [e.station for e in self.employees if e.team.pooled is None]
        return desks + [m.station for m in self.managers if m.station is not None]


def build(
    model: mesa.Model, scenario: Scenario, work: np.random.Generator, people: np.random.Generator
) -> Organisation:
    """Create the agents and decision points of ``scenario`` in ``model``.

    Args:
        model: the model the agents belong to (it owns the event loop).
        scenario: the validated scenario.
        work: stream for review and consult times.
        people: stream for individual traits (skill, initial trust).
    """
    spec = scenario.structure
    traits = (spec.teams.skill.sampler(people), scenario.culture.trust.initial.sampler(people))
    together = _team_decision(spec.teams, work) if spec.teams.decision != "individual" else None
    teams = [_build_team(model, t, spec.teams, traits, together) for t in range(spec.teams.count)]
    managers: list[Manager] = []
    below = len(teams)
    parents = list(range(len(teams)))  # node index, in the layer just built, of each team
    for index, layer in enumerate(spec.layers):
        nodes = math.ceil(below / layer.span)
        parents = [parent // layer.span for parent in parents]
        level = FIRST_LAYER_LEVEL + index
        skills = layer.skill.sampler(people)
        review = layer.review_time_h.sampler(work, scale=1 / _stretched_share(layer))
        built = [_build_node(model, layer, level, n, skills, review) for n in range(nodes)]
        for node in built:
            managers += node if isinstance(node, list) else node.members
        for team, parent in zip(teams, parents, strict=True):
            node = built[parent]
            if isinstance(node, DecisionPoint):
                team.route.append(node)
            else:
                team.coaches += node
        below = nodes
    levels = [*LEVELS_BELOW_LAYERS, *(layer.name for layer in spec.layers)]
    employees = [employee for team in teams for employee in team.members]
    return Organisation(teams, employees, managers, levels)


def _build_team(
    model: mesa.Model,
    index: int,
    spec: Teams,
    traits: tuple[Sampler, Sampler],
    together: TeamDecision | None,
) -> Team:
    team = Team(index)
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
    model: mesa.Model, layer: Layer, level: int, number: int, skills: Sampler, review: Sampler
) -> DecisionPoint | list[Manager]:
    """One node of a layer: a decision point of approvers, or a list of coaches."""
    if layer.role == "coach":
        return [Manager(model, level, "coach", skills()) for _ in range(layer.members)]
    members = [
        Manager(model, level, "approver", skills(), review, _stretched_share(layer))
        for _ in range(layer.members)
    ]
    return DecisionPoint(
        name=f"{layer.name}-{number}",
        level=level,
        mandate=mandate_limit(layer.mandate),
        members=members,
        rule=Rule.named(layer.rule, layer.members, layer.k),
        sequential=layer.review == "sequential",
    )


def _stretched_share(layer: Layer) -> float:
    """The share of time that slows each review: all of it unless meetings come in blocks."""
    return layer.availability if layer.meeting_block_h is None else 1.0

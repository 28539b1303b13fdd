"""Barriers to innovation (seeds 000, 002): employees' ideas must be decided before they help.

Seed 000: hierarchical leadership "slows down growth and innovation"; innovation
"comes from customer-facing employees" in cooperative structures. Seed 002 lists
"barriers to renewal" among the side effects of vertical order. Following Sah &
Stiglitz (1986), an idea is a project to screen: in a hierarchy it climbs the
approval chain like any proposal of its value, and every layer may reject it; in a
self-managing organisation the team decides. Screening keeps bad ideas out and
good ones too (Burns & Stalker 1961 on mechanistic against organic structures).
An adopted idea changes its team's future work time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from orgsim.scenario.distributions import Exponential, integer_sampler, uniform_sampler
from orgsim.sim.requests import Request

if TYPE_CHECKING:
    import numpy as np

    from orgsim.scenario.mechanisms import Ideas
    from orgsim.sim.agents import Employee
    from orgsim.sim.engine import EventLoop

IDEA_ACCOUNT = -1
"""The account number of an idea: it is nobody's request and never reaches a customer."""

WORK_FACTOR_RANGE = (1e-6, 1e6)
"""How far adopted ideas can change a team's work time: a millionfold either way. Ideas
compound; unbounded, a thousand bad ones at ``speedup`` 0.99 made the factor infinite,
and a request of no work took infinity times zero, NaN, hours, which stalled the event
heap. No idea takes a team beyond this range."""


class IdeaFlow:
    """Employees' ideas: their arrivals, their fate, and their effect on each team's work.

    Args:
        spec: the scenario's ``ideas`` group.
        loop: the event loop.
        employees: who has ideas, each alike.
        teams: number of teams (each keeps its own work factor).
        rng: the ideas' own stream (spawned, so that no other stream shifts).
        hours_per_day: converts the spec's daily rate.
        propose: hands a written-up idea to the decision route.
    """

    def __init__(
        self,
        spec: Ideas,
        loop: EventLoop,
        employees: list[Employee],
        teams: int,
        rng: np.random.Generator,
        hours_per_day: float,
        propose: Callable[[Request], None],
    ) -> None:
        self.spec = spec
        self.loop = loop
        self.employees = employees
        per_h = spec.per_employee_per_day * len(employees) / hours_per_day
        self._gap = Exponential(mean=1 / per_h).sampler(rng)
        self._who = integer_sampler(rng, len(employees))
        self._truth = uniform_sampler(rng)
        self.propose = propose
        self.work_factor = [1.0] * teams
        self.proposed = self.adopted = self.bad_adopted = 0
        self._adoption_h = 0.0

    def start(self) -> None:
        """Schedule the first idea."""
        self.loop.schedule(self.loop.now + self._gap(), self._arrive)

    def _arrive(self, _: object = None) -> None:
        self.loop.schedule(self.loop.now + self._gap(), self._arrive)
        employee = self.employees[self._who()]
        good = self._truth() < self.spec.good_share
        idea = Request(
            -1 - self.proposed, IDEA_ACCOUNT, employee, -1, self.spec.value, good,
            self.spec.write_up_h, math.inf, self.loop.now,
        )  # fmt: skip
        self.proposed += 1
        self.propose(idea)

    def decided(self, idea: Request) -> None:
        """An idea's verdict has come back: if adopted, its team works differently from now."""
        if not idea.accepted:
            return
        self.adopted += 1
        self.bad_adopted += not idea.good
        self._adoption_h += self.loop.now - idea.created_h
        change = -self.spec.speedup if idea.good else self.spec.speedup
        team = idea.employee.team.index
        lowest, highest = WORK_FACTOR_RANGE
        self.work_factor[team] = min(max(self.work_factor[team] * (1.0 + change), lowest), highest)

    def adoption_mean_h(self) -> float:
        """Mean hours from an idea to its adoption (NaN if none was adopted)."""
        return self._adoption_h / self.adopted if self.adopted else math.nan

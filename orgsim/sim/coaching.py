"""Coaching: managers in the role of coach raise their people's skill and trust in rounds.

Coaching is not free: each session takes the coach's and the employee's hours, a
coach holds as many sessions a round as its time allows (its span is an outcome of
its hours), and nobody is lifted above what the coach knows.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from orgsim.sim import culture
from orgsim.sim.booking import occupy
from orgsim.sim.stations import Station

if TYPE_CHECKING:
    from orgsim.scenario.behaviour import Coaching
    from orgsim.sim.agents import Employee, Manager
    from orgsim.sim.booking import Timesheet
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.organisation import Team

ACTIVITY = "coaching"
"""The timesheet's name for the employees' hours in coaching sessions."""


class CoachingRounds:
    """A coaching round every ``interval_days``: each coach sees its people in turn.

    Args:
        spec: the scenario's ``culture.coaching`` group.
        loop: the event loop.
        teams: the organisation's teams; those with coaches are coached.
        timesheet: where the employees' session hours are counted.
        hours_per_day: converts the spec's days.
    """

    def __init__(
        self,
        spec: Coaching,
        loop: EventLoop,
        teams: list[Team],
        timesheet: Timesheet,
        hours_per_day: float,
    ) -> None:
        self.spec = spec
        self.loop = loop
        self.timesheet = timesheet
        self.interval_h = spec.interval_days * hours_per_day
        self.caseloads = _caseloads(teams)
        self._desks = [Station(loop, f"coach-{coach.unique_id}") for coach, _ in self.caseloads]
        self._turn = [0] * len(self.caseloads)
        fits = spec.coach_share * self.interval_h / spec.session_h if spec.session_h else math.inf
        # a session of a few femtohours fits without end: as many as there are people
        self.sessions_per_round = math.floor(fits + 1e-9) if math.isfinite(fits) else math.inf
        self.sessions = 0

    def start(self) -> None:
        """Schedule the first round."""
        self.loop.schedule(self.loop.now + self.interval_h, self._round)

    def _round(self, _: object = None) -> None:
        for index, (coach, people) in enumerate(self.caseloads):
            count = int(min(len(people), self.sessions_per_round))
            first = self._turn[index]
            seen = [people[(first + i) % len(people)] for i in range(count)]
            self._turn[index] = (first + count) % len(people)
            self._hold(coach, self._desks[index], seen)
        self.loop.schedule(self.loop.now + self.interval_h, self._round)

    def _hold(self, coach: Manager, desk: Station, people: list[Employee]) -> None:
        """Sessions with ``people``: their hours booked, their gaps closed to the coach's skill."""
        hours = self.spec.session_h
        if hours > 0:
            for person in people:
                self.timesheet.book(person.station, hours, ACTIVITY)
                occupy(desk, hours)
        self.sessions += len(people)
        culture.coach(people, self.spec, min(self.spec.skill_ceiling, coach.skill))


def _caseloads(teams: list[Team]) -> list[tuple[Manager, list[Employee]]]:
    """Each coach and its people: a team's members dealt in turn to the team's coaches."""
    people: dict[int, list[Employee]] = {}
    coaches: dict[int, Manager] = {}
    for team in teams:
        for position, member in enumerate(team.members):
            if team.coaches:
                coach = team.coaches[position % len(team.coaches)]
                coaches[coach.unique_id] = coach
                people.setdefault(coach.unique_id, []).append(member)
    return [(coaches[key], people[key]) for key in coaches]

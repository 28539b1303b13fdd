"""Debate and retrospectives (seed 004): teams meet, learn from their errors, make agreements.

Seed 004 asks teams to "introduce the debate" around their KPIs and to start from
"afspraak is afspraak" (an agreement is an agreement). A team that reviews its own
errors learns from them: double-loop learning and team reflexivity (Argyris & Schön
1978; West 1996, "Reflexivity and work group effectiveness") raise its members'
judgement with the errors discussed, at the price of the meeting's time. Agreements
made there settle who does what, so fewer requests change hands inside the team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgsim.scenario.mechanisms import Retrospectives
    from orgsim.sim.booking import Timesheet
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.organisation import Team


class TeamRetrospectives:
    """Counts each team's wrong answers and holds its meetings at an interval.

    Args:
        spec: the scenario's ``retrospectives`` group.
        loop: the event loop.
        teams: the organisation's teams.
        hours_per_day: converts the spec's days.
        timesheet: where the members' meeting hours are booked and counted.
    """

    def __init__(
        self,
        spec: Retrospectives,
        loop: EventLoop,
        teams: list[Team],
        hours_per_day: float,
        timesheet: Timesheet,
    ) -> None:
        self.spec = spec
        self.loop = loop
        self.teams = teams
        self.errors = [0] * len(teams)
        self.agreement = [0.0] * len(teams)
        self.interval_h = spec.interval_days * hours_per_day
        self.discussed = 0
        self.timesheet = timesheet

    def start(self) -> None:
        """Schedule the first meetings."""
        self.loop.schedule(self.loop.now + self.interval_h, self._meet)

    def record(self, team: int, response_h: float, right: bool, satisfaction: float) -> None:
        """One answer of ``team``: a wrong one is an error to discuss."""
        if not right:
            self.errors[team] += 1

    def _meet(self, _: object = None) -> None:
        for team in self.teams:
            self._learn(team, self.errors[team.index])
            for member in team.members:
                self.timesheet.book(member.station, self.spec.meeting_h, "retrospectives")
        self.errors = [0] * len(self.teams)
        self.loop.schedule(self.loop.now + self.interval_h, self._meet)

    def _learn(self, team: Team, errors: int) -> None:
        """Each error discussed closes a share of every member's gap to the ceiling."""
        self.discussed += errors
        keep = (1.0 - self.spec.learning_per_error) ** errors
        ceiling = self.spec.skill_ceiling
        for member in team.members:
            if member.skill < ceiling:
                member.skill = ceiling - (ceiling - member.skill) * keep
        gain = self.spec.agreement_gain
        self.agreement[team.index] += gain * (1.0 - self.agreement[team.index])

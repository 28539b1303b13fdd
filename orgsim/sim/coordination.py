"""Coordination by communication channels (Brooks 1975; Dunbar 1993): time out of work.

Each member of a team of n keeps up with its n - 1 colleagues; at every interval it
books that share of the interval's hours at its desk, where the slot waits behind
(and holds up) customers' requests like any job. A large cell therefore has less of
its people's time for customers, and its queues, and so its answers, grow faster than
its size: the cost of a cell beyond some size is an outcome, not a cap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgsim.scenario.costs import Coordination
    from orgsim.sim.booking import Timesheet
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.organisation import Team

ACTIVITY = "coordination"
"""The timesheet's name for hours spent keeping a team coordinated."""


class TeamCoordination:
    """Books every team member's coordination hours at each interval.

    Args:
        spec: the scenario's ``coordination`` group.
        loop: the event loop.
        teams: the organisation's teams.
        timesheet: where the hours are counted.
        hours_per_day: converts the spec's days.
    """

    def __init__(
        self,
        spec: Coordination,
        loop: EventLoop,
        teams: list[Team],
        timesheet: Timesheet,
        hours_per_day: float,
    ) -> None:
        self.loop = loop
        self.interval_h = spec.interval_days * hours_per_day
        self.timesheet = timesheet
        self._slots = [
            (team, spec.share(len(team.members)) * self.interval_h)
            for team in teams
            if len(team.members) > 1
        ]

    def start(self) -> None:
        """Book the first slots at once: each interval begins with its coordination."""
        self._book()

    def _book(self, _: object = None) -> None:
        for team, hours in self._slots:
            for member in team.members:
                self.timesheet.book(member.station, hours, ACTIVITY)
        self.loop.schedule(self.loop.now + self.interval_h, self._book)

"""Coaching: managers in the role of coach raise their people's skill and trust in rounds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgsim.sim import culture

if TYPE_CHECKING:
    from orgsim.scenario.behaviour import Coaching
    from orgsim.sim.agents import Employee
    from orgsim.sim.engine import EventLoop


class CoachingRounds:
    """A coaching round every ``interval_days`` for every employee whose team has coaches.

    Args:
        spec: the scenario's ``culture.coaching`` group.
        loop: the event loop.
        coached: the employees of teams with coaches.
        hours_per_day: converts the spec's days.
    """

    def __init__(
        self, spec: Coaching, loop: EventLoop, coached: list[Employee], hours_per_day: float
    ) -> None:
        self.spec = spec
        self.loop = loop
        self.coached = coached
        self.interval_h = spec.interval_days * hours_per_day

    def start(self) -> None:
        """Schedule the first round."""
        self.loop.schedule(self.loop.now + self.interval_h, self._round)

    def _round(self, _: object = None) -> None:
        culture.coach(self.coached, self.spec)
        self.loop.schedule(self.loop.now + self.interval_h, self._round)

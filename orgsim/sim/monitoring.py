"""CRM monitoring (seed 004): managers watch team KPIs and step in, instead of approving.

"The manager is no longer nearby, he looks along through CRM ... he trusts the CRM
reports" (seed 004). In Ouchi's (1979) terms this is output control rather than
behaviour control: nobody approves a request before it is answered; at an interval
the CRM shows each team's figures since the last reading, and a team whose accuracy,
response time or customers' satisfaction is under its threshold gets an intervention,
a coaching round or a temporary cut of its mandates. The monitoring adds no step to
any request; recording a request in the CRM costs its employee ``reporting_h``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from orgsim.sim import culture

if TYPE_CHECKING:
    from orgsim.scenario.behaviour import Coaching
    from orgsim.scenario.mechanisms import Monitoring
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.organisation import Team


@dataclass
class Ledger:
    """One team's answers since the last reading, as the CRM records them."""

    answers: int = 0
    right: int = 0
    response_h: float = 0.0
    satisfaction: float = 0.0

    def below_par(self, spec: Monitoring) -> bool:
        """Whether any KPI misses its threshold (a team without answers shows nothing)."""
        if self.answers == 0:
            return False
        late = spec.response_above_h is not None and (
            self.response_h / self.answers > spec.response_above_h
        )
        unhappy = spec.satisfaction_below is not None and (
            self.satisfaction / self.answers < spec.satisfaction_below
        )
        return self.right / self.answers < spec.accuracy_below or late or unhappy


class CrmMonitoring:
    """Records every answer per team, reads the KPIs at an interval, and steps in.

    Args:
        spec: the scenario's ``monitoring`` group.
        coaching: how a coaching round raises skill and trust (``culture.coaching``).
        loop: the event loop.
        teams: the organisation's teams.
        hours_per_day: converts the spec's days.
    """

    def __init__(
        self,
        spec: Monitoring,
        coaching: Coaching,
        loop: EventLoop,
        teams: list[Team],
        hours_per_day: float,
    ) -> None:
        self.spec = spec
        self.coaching = coaching
        self.loop = loop
        self.teams = teams
        self.ledgers = [Ledger() for _ in teams]
        self.interval_h = spec.interval_days * hours_per_day
        self.cut_h = spec.cut_days * hours_per_day
        self.interventions = 0
        self._full: dict[int, list[float]] = {}  # mandates of teams under a cut, to restore

    def start(self) -> None:
        """Schedule the first reading."""
        self.loop.schedule(self.loop.now + self.interval_h, self._read)

    def record(self, team: int, response_h: float, right: bool, satisfaction: float) -> None:
        """One answer of ``team``, as its employee records it in the CRM."""
        ledger = self.ledgers[team]
        ledger.answers += 1
        ledger.right += right
        ledger.response_h += response_h
        ledger.satisfaction += satisfaction

    def _read(self, _: object = None) -> None:
        for team, ledger in zip(self.teams, self.ledgers, strict=True):
            if ledger.below_par(self.spec):
                self.interventions += 1
                self._step_in(team)
        self.ledgers = [Ledger() for _ in self.teams]
        self.loop.schedule(self.loop.now + self.interval_h, self._read)

    def _step_in(self, team: Team) -> None:
        if self.spec.action == "coach":
            culture.coach(team.members, self.coaching)
        elif team.index not in self._full:  # a team already under a cut stays as it is
            self._full[team.index] = [member.mandate for member in team.members]
            kept = self.spec.mandate_kept
            for member in team.members:  # none of an unlimited mandate is none, not NaN
                member.mandate = member.mandate * kept if kept > 0 else 0.0
            self.loop.schedule(self.loop.now + self.cut_h, self._restore, team)

    def _restore(self, team: Team) -> None:
        for member, full in zip(team.members, self._full.pop(team.index), strict=True):
            member.mandate = full

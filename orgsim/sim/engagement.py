"""Apathy (seed 002): engagement falls with slow or rejected escalations, recovers with autonomy.

Seed 002 names apathy among the side effects of vertical order. Autonomy is a core
job characteristic that feeds motivation (Hackman & Oldham 1976, "Motivation through
the design of work"); repeated outcomes beyond one's control breed learned
helplessness (Seligman 1975). Engagement moves by fractional adjustment, the learning
rule trust uses (Denrell & March 2001): toward 0 when a proposal one escalated above
the team comes back rejected or slow, toward 1 when one decides oneself (or one's
team does). Low engagement slows work and blunts judgement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgsim.scenario.mechanisms import Engagement
    from orgsim.sim.agents import Employee


class Apathy:
    """Engagement's learning rule and its effects on an employee's work and judgement."""

    def __init__(self, spec: Engagement) -> None:
        self.spec = spec

    def after_decision(self, employee: Employee, above_team: bool, slow_or_rejected: bool) -> None:
        """Learn from one's proposal's fate: above the team and slow or rejected, or autonomous."""
        if not above_team:
            employee.engagement += self.spec.recovery_rate * (1.0 - employee.engagement)
        elif slow_or_rejected:
            employee.engagement -= self.spec.loss_rate * employee.engagement

    def work_h(self, employee: Employee, work_h: float) -> float:
        """Hours a request takes an employee of this engagement."""
        return work_h * (1.0 + self.spec.slowdown * (1.0 - employee.engagement))

    def skill(self, employee: Employee) -> float:
        """The employee's skill, its edge over a coin flip blunted by disengagement."""
        kept = 1.0 - self.spec.accuracy_loss * (1.0 - employee.engagement)
        return 0.5 + (employee.skill - 0.5) * kept

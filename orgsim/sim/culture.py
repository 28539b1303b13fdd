"""Culture's mechanisms on people: trust learnt from one's own decisions, and coaching."""

from __future__ import annotations

from collections.abc import Iterable

from orgsim.scenario.behaviour import Coaching
from orgsim.sim.agents import Employee


def learn_trust(employee: Employee, rate: float, blamed: bool) -> None:
    """Fractional adjustment toward the outcome of one's own decision (Denrell & March 2001).

    The outcome is 0 when the decision was wrong, came to light and was blamed, else 1.
    Only decisions taken teach anything: escalations bring no feedback (the hot stove).
    """
    outcome = 0.0 if blamed else 1.0
    employee.trust += rate * (outcome - employee.trust)


def coach(people: Iterable[Employee], spec: Coaching, ceiling: float | None = None) -> None:
    """One coaching round: close a share of each gap, to the skill ceiling and to full trust.

    ``ceiling`` (default ``spec.skill_ceiling``) is the most skill the coaching can give:
    a coach teaches what it knows, not more.
    """
    top = spec.skill_ceiling if ceiling is None else ceiling
    for person in people:
        if person.skill < top:
            person.skill += spec.skill_gain * (top - person.skill)
        person.trust += spec.trust_gain * (1.0 - person.trust)

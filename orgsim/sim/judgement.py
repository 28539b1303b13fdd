"""Judgement with two sides: an evaluator's acceptance of good and of bad proposals.

Signal detection theory (Green & Swets 1966, "Signal Detection Theory and
Psychophysics"): an evaluator sees a noisy signal of a proposal's worth and accepts
when it passes a criterion. Its sensitivity d' (how far good and bad proposals lie
apart, in standard deviations of the noise) and its criterion are separate traits.
Skill sets d': a neutral evaluator, criterion in the middle, judges right with the
chance ``right`` it had before, so ``d'/2 = Phi^-1(right)``. Caution moves the
criterion up: the evaluator accepts a good proposal with ``Phi(d'/2 - caution)`` and a
bad one with ``Phi(-d'/2 - caution)``, fewer false accepts bought with more false
rejects. These are the p_good and p_bad of Sah & Stiglitz's (1986) screening, which
need not add up to one.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgsim.scenario.mechanisms import Judgement
    from orgsim.sim.agents import Employee

_NORMAL = NormalDist()


def acceptance(right: float, good: bool, caution: float) -> float:
    """Chance of accepting a proposal for an evaluator who, neutral, judges right with ``right``.

    Caution 0 gives ``right`` for a good proposal and ``1 - right`` for a bad one, exactly.
    """
    if caution == 0:
        return right if good else 1.0 - right
    if right >= 1.0 or right <= 0.0:  # infinite sensitivity: the criterion cannot matter
        return float(good == (right >= 1.0))
    half_sensitivity = _NORMAL.inv_cdf(right)
    return _NORMAL.cdf(half_sensitivity - caution if good else -half_sensitivity - caution)


class Criteria:
    """Each evaluator's caution, from the scenario's judgement group and, for employees, trust."""

    def __init__(self, spec: Judgement) -> None:
        self.spec = spec

    def employee(self, employee: Employee) -> float:
        """An employee's caution: the base, plus blame's share of the trust it lost."""
        return self.spec.employee_caution + self.spec.blame_caution * (1.0 - employee.trust)

    def manager(self) -> float:
        """An approver's caution."""
        return self.spec.manager_caution

"""When a customer leaves: on a threshold, or at a calibrated yearly rate moved by satisfaction.

Each rule is a small strategy with one method, asked after every answer; it draws from
the ``people`` stream only when its answer depends on chance (the threshold rule only
below its threshold, so that a scenario using it draws exactly what it always did).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from orgsim.scenario.behaviour import WORKING_DAYS_PER_YEAR

if TYPE_CHECKING:
    from orgsim.scenario.behaviour import Churn
    from orgsim.scenario.schema import Scenario


class ThresholdChurn:
    """Below ``threshold``, a customer leaves after an answer with ``probability``."""

    def __init__(self, spec: Churn, chance: Callable[[], float]) -> None:
        self.threshold = spec.threshold
        self.probability = spec.probability
        self._chance = chance
        self.can_leave = self.probability > 0  # if not, leaves() need not be asked

    def leaves(self, satisfaction: float) -> bool:
        """Whether the customer, now at ``satisfaction``, leaves."""
        return (
            satisfaction < self.threshold
            and self.probability > 0
            and self._chance() < self.probability
        )

    def __repr__(self) -> str:
        return f"ThresholdChurn(below {self.threshold:g}: {self.probability:g} an answer)"


class CalibratedChurn:
    """A per-answer hazard that gives the yearly base rate at the reference satisfaction.

    The hazard is ``base * exp(sensitivity * (reference - satisfaction))``, at most 1.
    """

    def __init__(
        self, spec: Churn, reference: float, answers_per_year: float, chance: Callable[[], float]
    ) -> None:
        self.base = spec.per_answer(answers_per_year)
        self.reference = reference
        self.sensitivity = spec.sensitivity
        self._chance = chance
        self.can_leave = True  # every answer draws, whatever the hazard

    def hazard(self, satisfaction: float) -> float:
        """The chance of leaving after one answer, at ``satisfaction``."""
        shortfall = self.reference - satisfaction
        return min(1.0, self.base * math.exp(self.sensitivity * shortfall))

    def leaves(self, satisfaction: float) -> bool:
        """Whether the customer, now at ``satisfaction``, leaves."""
        return self._chance() < self.hazard(satisfaction)

    def __repr__(self) -> str:
        return f"CalibratedChurn(base {self.base:.5f} an answer at {self.reference:g})"


def churn_rule(scenario: Scenario, chance: Callable[[], float]) -> ThresholdChurn | CalibratedChurn:
    """The scenario's churn rule, drawing from ``chance``."""
    satisfaction = scenario.satisfaction
    spec = satisfaction.churn
    if spec.yearly_base_rate is None:
        return ThresholdChurn(spec, chance)
    answers = scenario.demand.requests_per_customer_per_day * WORKING_DAYS_PER_YEAR
    return CalibratedChurn(spec, satisfaction.churn_reference, answers, chance)

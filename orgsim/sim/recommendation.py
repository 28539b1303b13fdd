"""An escalation carries the escalator's recommendation, in a dossier that loses or gains.

The escalating employee's own reading travels with the proposal; each approver combines
it with its own by a weighted majority with log-odds weights (Nitzan & Paroush 1982),
the recommendation weighed by the escalator's record. The dossier's information at each
distance from the customer: hand-offs lose a share, review points add analysis
(:class:`orgsim.scenario.decision_mechanisms.Escalation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgsim.scenario.distributions import uniform_sampler
from orgsim.sim.decisions import log_odds, weighted_majority

if TYPE_CHECKING:
    import numpy as np

    from orgsim.scenario.decision_mechanisms import Escalation
    from orgsim.scenario.schema import Scenario
    from orgsim.sim.agents import Employee
    from orgsim.sim.requests import Request


def information_kept(distances: int, kept_per_handoff: float, analysis_gain: float) -> list[float]:
    """Share of the front line's insight an evaluator has at distance 0, 1, ... ``distances - 1``.

    Hand-off k keeps ``kept_per_handoff`` of what the dossier held; between two hand-offs a
    review point closes ``analysis_gain`` of the gap to full information. Without gain
    this is ``kept_per_handoff ** d``, computed as such, as the model always did.
    """
    if analysis_gain == 0:
        return [kept_per_handoff**d for d in range(distances)]
    kept = [1.0, kept_per_handoff]
    while len(kept) < distances:
        analysed = kept[-1] + analysis_gain * (1.0 - kept[-1])
        kept.append(kept_per_handoff * analysed)
    return kept[:distances]


def information_for(scenario: Scenario, escalation: Escalation) -> list[float]:
    """Insight kept at each distance a scenario's escalations can reach.

    ``escalation.handoff_loss`` unset keeps ``structure.information_decay`` per hand-off.
    """
    kept = scenario.structure.information_decay
    if escalation.handoff_loss is not None:
        kept = 1.0 - escalation.handoff_loss
    return information_kept(scenario.tree.longest_route + 2, kept, escalation.analysis_gain)


class Recommendations:
    """Escalators' recommendations, their records, and approvers' weighing of them.

    Args:
        spec: the scenario's escalation group.
        rng: this mechanism's own stream (whether each recommendation says accept).
    """

    def __init__(self, spec: Escalation, rng: np.random.Generator) -> None:
        self.weight = spec.recommendation_weight
        self.prior = spec.record_prior
        self._draw = uniform_sampler(rng)
        self._right: dict[int, int] = {}  # by employee id: recommendations that proved right
        self._cases: dict[int, int] = {}

    def recommend(self, request: Request, acceptance: float) -> None:
        """The escalator's reading: accept with its first-hand ``acceptance`` chance."""
        request.recommends = self._draw() < acceptance

    def record(self, employee: Employee) -> float:
        """Share of ``employee``'s recommendations that proved right, from one half."""
        key = employee.unique_id
        return (self._right.get(key, 0) + self.prior / 2) / (self._cases.get(key, 0) + self.prior)

    def weigh(self, request: Request, approve: bool, right: float) -> bool:
        """An approver's verdict: its own reading (judging right with ``right``) and the advice."""
        if request.recommends is None or request.recommends == approve:
            return approve
        theirs = self.weight * log_odds(self.record(request.employee))
        return weighted_majority(((approve, log_odds(right)), (request.recommends, theirs)))

    def scored(self, request: Request) -> None:
        """Once the answer is out, the escalator's recommendation is scored against the truth."""
        if request.recommends is None:
            return
        key = request.employee.unique_id
        self._cases[key] = self._cases.get(key, 0) + 1
        self._right[key] = self._right.get(key, 0) + (request.recommends == request.good)
        request.recommends = None

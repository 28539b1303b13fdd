"""The decision mechanisms of issue 18 together, as the request life sees them.

A knowledge hierarchy (:mod:`orgsim.sim.knowledge`), the escalator's recommendation
(:mod:`orgsim.sim.recommendation`) and juries that are not ideal
(:mod:`orgsim.sim.juries`) all act on one evaluator's vote and on a stage's verdict.
:class:`Deliberation` is the one object the request life asks, and only when one of
them is on (:func:`deliberation`), so that a scenario without them takes the old path
and draws no number more. Their random numbers come from one child of the ``demand``
stream, split in a fixed order, so they are common to every structure run with a seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgsim.sim.decisions import log_odds, weighted_majority
from orgsim.sim.judgement import acceptance
from orgsim.sim.juries import Jury
from orgsim.sim.knowledge import KnowledgeHierarchy
from orgsim.sim.recommendation import Recommendations

if TYPE_CHECKING:
    import numpy as np

    from orgsim.scenario.schema import Scenario
    from orgsim.sim.agents import Employee, Manager
    from orgsim.sim.organisation import DecisionPoint, Organisation, TeamDecision
    from orgsim.sim.requests import Request


def deliberation(
    scenario: Scenario, org: Organisation, demand: np.random.Generator
) -> Deliberation | None:
    """The mechanisms ``scenario`` switches on, or None (and no stream spawned) if none."""
    knowledge, escalation, juries = scenario.knowledge, scenario.escalation, scenario.juries
    if not (knowledge.enabled or escalation.recommends or not juries.neutral):
        return None
    known, advised, voted = demand.spawn(1)[0].spawn(3)
    kinds = [kind.name for kind in scenario.demand.kinds]
    return Deliberation(
        KnowledgeHierarchy(knowledge, kinds, org, known) if knowledge.enabled else None,
        Recommendations(escalation, advised) if escalation.recommends else None,
        Jury(juries, voted),
        proposer_decides=juries.advice_rule == "proposer",
    )


class Deliberation:
    """One evaluator's vote and one stage's verdict, with the mechanisms that are on."""

    def __init__(
        self,
        knowledge: KnowledgeHierarchy | None,
        recommendations: Recommendations | None,
        jury: Jury,
        proposer_decides: bool,
    ) -> None:
        self.knowledge = knowledge
        self.recommendations = recommendations
        self.jury = jury
        self.proposer_decides = proposer_decides

    def difficulty(self, kind: int) -> float:
        """A new request's difficulty: 0 (anyone can solve it) without the knowledge group."""
        return 0.0 if self.knowledge is None else self.knowledge.difficulty(kind)

    def can_solve(self, person: Employee | Manager, request: Request) -> bool:
        """Whether ``person`` knows how to solve ``request``."""
        return self.knowledge is None or self.knowledge.knows(person, request)

    def right(self, person: Employee | Manager, request: Request, right: float) -> float:
        """Chance ``person`` judges right: ``right`` if it knows the request, else a guess's."""
        if self.knowledge is None or self.knowledge.knows(person, request):
            return right
        return self.knowledge.unknown_right

    def escalated(self, request: Request, acceptance_chance: float) -> None:
        """An escalation leaves the desk: its escalator's recommendation goes with it."""
        if self.recommendations is not None:
            self.recommendations.recommend(request, acceptance_chance)

    @staticmethod
    def stage_started(request: Request) -> None:
        """A new stage: nobody there has yet read the request."""
        request.solved = False
        request.shared = -1.0
        request.readings = []

    def vote(
        self,
        request: Request,
        evaluator: Employee | Manager,
        stage: DecisionPoint | TeamDecision,
        right: float,
        caution: float,
        own: float,
    ) -> bool:
        """One evaluator's vote at ``stage``.

        Args:
            request: the proposal.
            evaluator: who votes.
            stage: where (its number of voters sets loafing; a team or a manager's point).
            right: the evaluator's chance of judging right if it knows the request and gives
                it full care (skill, after the information the dossier kept).
            caution: the evaluator's criterion (:mod:`orgsim.sim.judgement`).
            own: the evaluator's own uniform draw.
        """
        voters = stage.rule.members
        if self.can_solve(evaluator, request):
            request.solved = True
            right = 0.5 + (right - 0.5) * self.jury.care(voters)
        else:
            right = self.knowledge.unknown_right
        draw = self.jury.draw(request, own) if voters > 1 else own
        approve = draw < acceptance(right, request.good, caution)
        if not stage.team and self.recommendations is not None:
            approve = self.recommendations.weigh(request, approve, right)
        if stage.team and self.proposer_decides:
            request.readings.append((approve, log_odds(right)))
        return approve

    def verdict(self, request: Request, rule: bool | None) -> bool | None:
        """A stage's verdict: the rule's, or in the advice process the proposer's weighing."""
        if request.stage.team and self.proposer_decides:
            return weighted_majority(request.readings)  # the proposer's reading comes first
        return rule

    def passes_up(self, request: Request) -> bool:
        """Nobody at this stage knew the request and a point above exists: it goes on up."""
        return (
            self.knowledge is not None
            and not request.solved
            and request.position < len(request.route) - 1
        )

    def answered(self, request: Request, escalated: bool) -> None:
        """An answer is out: the escalator learns from it, and its recommendation is scored."""
        if escalated and self.knowledge is not None and request.solved:
            self.knowledge.learn(request.employee, request)
        if self.recommendations is not None:
            self.recommendations.scored(request)

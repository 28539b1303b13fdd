"""How evaluators judge a proposal, and how their votes make a decision.

Screening follows Sah & Stiglitz (1986), "The Architecture of Economic Systems:
Hierarchies and Polyarchies" (AER 76:4): each evaluator accepts a good proposal with
probability p and a bad one with probability q (q = 1 - p unless the evaluator is
cautious or lenient, :mod:`orgsim.sim.judgement`); a hierarchy (series, rule ``all``)
accepts with p^n, a polyarchy (rule ``any``) with 1 - (1 - p)^n, a committee of n
that needs k approvals with the binomial tail.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from orgsim.sim.judgement import acceptance


def accept_probability(
    skill: float, good: bool, distance: int, decay: float, caution: float = 0.0
) -> float:
    """Chance an evaluator accepts a proposal, from its skill and its distance to the customer.

    ``skill`` is the chance of judging right with full information; each hop away from
    the customer keeps only ``decay`` of the evaluator's edge over a coin flip.
    ``caution`` moves its criterion (:func:`orgsim.sim.judgement.acceptance`).
    """
    return acceptance(0.5 + (skill - 0.5) * decay**distance, good, caution)


SURE = 1e-9
"""How close to 0 or 1 an accuracy may come in :func:`log_odds` (a certain judge weighs ~20.7)."""


def log_odds(accuracy: float) -> float:
    """The weight of a judge of this accuracy in an optimal weighted majority: log(p / (1 - p))."""
    p = min(max(accuracy, SURE), 1.0 - SURE)
    return math.log(p / (1.0 - p))


def weighted_majority(readings: Iterable[tuple[bool, float]]) -> bool:
    """Accept when the weighted readings say so; the first reading breaks a tie.

    Each reading is a vote and its weight (:func:`log_odds` of its accuracy, for the rule
    that maximises the chance of a right decision among independent judges: Nitzan &
    Paroush 1982, "Optimal Decision Rules in Uncertain Dichotomous Choice Situations",
    IER 23:2; Shapley & Grofman 1984).
    """
    readings = list(readings)
    score = sum(weight if vote else -weight for vote, weight in readings)
    return readings[0][0] if score == 0 else score > 0


@dataclass(frozen=True, slots=True)
class Rule:
    """A decision rule over n evaluators: accepted once ``needed`` of them approve.

    ``all`` needs n approvals, ``any`` one, ``majority`` more than half, ``k_of_n`` k.
    :meth:`outcome` tells, after some reviews, whether the decision is already made,
    so that evaluators reviewing in turn stop as soon as the rest cannot change it.
    """

    needed: int
    members: int

    @classmethod
    def named(cls, rule: str, members: int, k: int | None = None) -> Rule:
        """The rule a scenario names, for a node of ``members`` evaluators."""
        needed = {
            "all": members,
            "any": 1,
            "majority": members // 2 + 1,
            "k_of_n": k,
        }[rule]
        if needed is None or not 1 <= needed <= members:
            raise ValueError(f"rule {rule!r} needs 1..{members} approvals, got {needed}")
        return cls(needed, members)

    def outcome(self, approvals: int, reviewed: int) -> bool | None:
        """True (accepted), False (rejected), or None (undecided: ask the next evaluator)."""
        if approvals >= self.needed:
            return True
        if approvals + (self.members - reviewed) < self.needed:
            return False
        return None

    def __repr__(self) -> str:
        return f"Rule({self.needed} of {self.members})"

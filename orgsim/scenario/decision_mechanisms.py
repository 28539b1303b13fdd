"""Parameter groups of the decision mechanisms that let either structure win (issue 18, part A).

A knowledge hierarchy (who can solve what, and who learns from whom), an escalation that
carries the escalator's recommendation through a dossier that loses or gains information,
and collective decisions that are not ideal juries (shared errors, social loafing, the
advice process in which the proposer decides).

Each group is off or neutral by default: a scenario that leaves it out runs exactly as
it did before the group existed (same figures, same random numbers drawn), and its
digest does not change (:meth:`orgsim.scenario.schema.Scenario.digest`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from orgsim.scenario import limits
from orgsim.scenario.distributions import Deterministic, Distribution, Uniform
from orgsim.scenario.spec import Spec
from orgsim.scenario.spec import probability as _probability

MAX_LOAFING = 2.0
"""Largest social-loafing exponent: care of a member of n falls as n^-t (Latané 1981: t < 1)."""


class Knowledge(Spec):
    """A knowledge hierarchy: who cannot solve a request passes it on, and learns from the answer.

    Garicano (2000), "Hierarchies and the Organization of Knowledge in Production" (JPE
    108:5), and Garicano & Rossi-Hansberg (2006, QJE 121:4): each request has a
    difficulty, drawn per kind; each person knows every problem up to their knowledge. An
    employee who cannot solve a request escalates it even within its mandate: up the line
    in a hierarchy, to the team (its consulted colleagues) where the route starts with a
    team decision. A decision point where nobody knows the request passes it on to the
    point above, whatever its mandate; the last point of the route decides all the same,
    judging what it does not know right with ``unknown_right`` (a coin flip by default);
    so does an employee with no route above it. Who knows judges with their skill as
    before. Difficulties come from a stream of their own, drawn for every arrival, so
    every structure run with one seed faces the same difficulties.

    Learning: an employee whose escalated request was solved above learns from the answer
    (knowledge flows down): its knowledge closes ``learning_rate`` of the gap to the
    request's difficulty, never beyond what the solver knew. So a hierarchy can also be a
    school (on-the-job learning from experts, as in Garicano & Rossi-Hansberg 2006, sec. V).
    """

    enabled: bool = Field(default=False, description="Switch the knowledge hierarchy on.")
    difficulty: Distribution = Field(
        default=Uniform(low=0.0, high=1.0),
        description="Difficulty of a request of any kind not named in difficulty_by_kind.",
    )
    difficulty_by_kind: dict[str, Distribution] = Field(
        default_factory=dict, description="Difficulty of each named request kind."
    )
    employees: Distribution = Field(
        default=Deterministic(value=1.0), description="Employees' knowledge at the start."
    )
    layers: list[Distribution] = Field(
        default_factory=lambda: [Deterministic(value=1.0)],
        min_length=1,
        max_length=limits.MAX_LAYERS,
        description="Knowledge of each layer's managers, bottom up; the last repeats above.",
    )
    unknown_right: float = _probability(
        "Chance of judging right a request one does not know (a guess).", 0.5
    )
    learning_rate: float = _probability(
        "Share of the gap to an escalated request's difficulty learnt from its answer.", 0.0
    )


class Escalation(Spec):
    """What an escalation carries: the escalator's recommendation, and a dossier that changes.

    Recommendation: the escalating employee adds its own reading of the proposal (judged
    first-hand, as if deciding alone). Each approver combines its own reading with it by
    weighted majority with log-odds weights, the optimal rule for independent binary
    judges (Nitzan & Paroush 1982, "Optimal Decision Rules in Uncertain Dichotomous
    Choice Situations", IER 23:2; Shapley & Grofman 1984): its own reading weighs
    logit(its accuracy), the recommendation ``recommendation_weight`` x logit(the
    escalator's record). The record is the share of the escalator's past recommendations
    that proved right, started at one half with ``record_prior`` pseudo-cases (Laplace's
    rule at 2). Weight 0 ignores the recommendation, as before.

    Information on the way: the share of the front line's insight an evaluator gets at
    distance d from the customer. Each hand-off keeps ``1 - handoff_loss`` of it; each
    review point passed closes ``analysis_gain`` of the gap to full information before the
    next hand-off (Simon 1947 on organisational attention; Arrow 1974, "The Limits of
    Organization", on codes losing tacit knowledge). Unset, ``handoff_loss`` is
    ``1 - structure.information_decay``: with no gain the old decay ** distance exactly.
    """

    recommendation_weight: float = Field(
        default=0.0,
        ge=0,
        le=10,
        description="Weight of the recommendation's log-odds (1: Bayes-optimal; 0: ignored).",
    )
    record_prior: float = Field(
        default=2.0,
        gt=0,
        le=limits.MAX_PARAMETER,
        description="Pseudo-cases at one half that start every escalator's record.",
    )
    handoff_loss: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Share of insight lost per hand-off; null: 1 - information_decay.",
    )
    analysis_gain: float = _probability(
        "Share of the gap to full information closed at each review point passed.", 0.0
    )

    @property
    def recommends(self) -> bool:
        """Whether approvers weigh the escalator's recommendation."""
        return self.recommendation_weight > 0


class Juries(Spec):
    """Collective decisions that are not ideal juries: shared errors, loafing, the advice process.

    Condorcet's jury theorem needs independent votes of undiminished care. Correlation
    (groupthink, Janis 1972; the latent-signal model of Ladha 1992, "The Condorcet Jury
    Theorem, Free Speech, and Correlated Votes", AJPS 36:3): each member of a team decision
    or a committee follows, with chance ``correlation``, one reading shared by the whole
    group, else its own; the shared reading is as good as the member's own, so the
    members are wrong together. Social loafing (Latané, Williams & Harkins 1979; Karau &
    Williams 1993's meta-analysis; Latané 1981's social impact N^-t): each voter's edge
    over a coin flip is multiplied by n^-``loafing`` in a group of n voters.

    The advice process (Laloux 2014, "Reinventing Organizations"; Bakke 2005, "Joy at
    Work"): with ``advice_rule: proposer`` the proposer consults its ``advisors``
    colleagues, then decides alone, weighing each reading (its own and each advice) by
    log-odds of its accuracy (Nitzan & Paroush 1982), ties its own; ``majority`` is the
    vote of proposer and advisors, as before.
    """

    correlation: float = _probability(
        "Chance each voter follows the group's one shared reading (groupthink).", 0.0
    )
    loafing: float = Field(
        default=0.0,
        ge=0,
        le=MAX_LOAFING,
        description="Exponent t: each voter's edge is multiplied by n^-t in a group of n.",
    )
    advice_rule: Literal["majority", "proposer"] = Field(
        default="majority",
        description="majority: proposer and advisors vote; proposer: the proposer decides.",
    )

    @property
    def neutral(self) -> bool:
        """Ideal juries: independent votes of full care, and the advice process votes."""
        return self.correlation == 0 and self.loafing == 0 and self.advice_rule == "majority"

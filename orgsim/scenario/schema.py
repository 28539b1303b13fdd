"""The typed description of an organisation and its customers: what a scenario file holds.

The sections on people's behaviour (trust, coaching, satisfaction, churn) are in
:mod:`orgsim.scenario.behaviour`, the run's horizon in :mod:`orgsim.scenario.horizon`, and
every bound with its reason in :mod:`orgsim.scenario.limits`. A scenario is checked
once, here, before any model exists (Ciw's ``import_params`` done with types): the model
never re-checks its inputs.
Every model is frozen and rejects unknown keys, so a typo in a file is an error,
not a silently ignored value.

Units are in the names: ``_h`` is working hours, ``_days`` working days; values
(mandates, request values) are in one currency unit of the scenario's choosing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from orgsim.scenario import limits
from orgsim.scenario.behaviour import (
    Churn,
    Coaching,
    Culture,
    ExponentialDecay,
    Logistic,
    Satisfaction,
    Trust,
)
from orgsim.scenario.costs import Coordination, Loss
from orgsim.scenario.decision_mechanisms import Escalation, Juries, Knowledge
from orgsim.scenario.distributions import Deterministic, Distribution
from orgsim.scenario.horizon import Run
from orgsim.scenario.mechanisms import (
    Engagement,
    Ideas,
    Judgement,
    Money,
    Monitoring,
    NewCustomers,
    Retrospectives,
)
from orgsim.scenario.spec import Mandate, Probability, Spec, mandate_limit, within_unit_interval
from orgsim.scenario.spec import probability as _probability

__all__ = [
    "Churn",
    "Coaching",
    "Coordination",
    "Culture",
    "Demand",
    "Engagement",
    "Escalation",
    "ExponentialDecay",
    "Ideas",
    "Judgement",
    "Juries",
    "Knowledge",
    "Layer",
    "Logistic",
    "Money",
    "Monitoring",
    "NewCustomers",
    "Retrospectives",
    "Run",
    "Satisfaction",
    "Scenario",
    "Structure",
    "Teams",
    "Trust",
]


# --- demand -------------------------------------------------------------------------------


class RequestKind(Spec):
    """One kind of customer request (routine service, price change, custom deal, ...)."""

    name: str = Field(min_length=1, description="How reports and the request log name it.")
    share: float = Field(
        gt=0, le=limits.MAX_KIND_SHARE, description="Relative frequency among all requests."
    )
    value: Distribution = Field(
        default=Deterministic(value=0), description="Value at stake; decides who may decide."
    )
    work_h: Distribution = Field(description="Hours the account employee spends working it.")
    good_share: Probability = _probability(
        "Share of requests of this kind that are right to approve (the hidden answer).", 0.8
    )
    expected_response_h: float = Field(
        gt=0,
        le=limits.MAX_PARAMETER,
        description="Response time the customer expects; satisfaction is judged against it.",
    )
    wait_h: Distribution = Field(
        default=Deterministic(value=0),
        description="Hours a request waits before anyone works it, occupying no one: on the "
        "customer, a third party, or a backlog outside the organisation (as a log shows).",
    )
    close_after_h: Distribution = Field(
        default=Deterministic(value=0),
        description="Hours after its creation at which a ticket system closes the case, once "
        "answered (at the answer if that comes later); only the event log shows it.",
    )
    loss: Loss = Field(default=Loss(), description="What a wrong decision of this kind costs.")


class Demand(Spec):
    """Customers and what they ask for; Poisson requests per customer."""

    customers_per_team: int = Field(
        ge=1, le=limits.MAX_CUSTOMERS, description="Accounts served by each team."
    )
    requests_per_customer_per_day: float = Field(
        ge=limits.MIN_REQUEST_RATE,
        le=limits.MAX_REQUEST_RATE,
        description="Poisson rate of each customer's requests.",
    )
    kinds: list[RequestKind] = Field(
        min_length=1, max_length=limits.MAX_KINDS, description="What customers ask for."
    )
    new_customers: NewCustomers = NewCustomers()

    @model_validator(mode="after")
    def _unique_kind_names(self) -> Self:
        names = [kind.name for kind in self.kinds]
        if len(set(names)) != len(names):
            raise ValueError(f"request kind names must be unique, got {names}")
        return self


# --- structure ----------------------------------------------------------------------------

LEVELS_BELOW_LAYERS = ("employee", "team")
"""How the request log names the levels below the layers: no layer may take these names."""

DecisionRule = Literal["all", "any", "majority", "k_of_n"]


class LateralHandoff(Spec):
    """Network order: an overloaded employee hands new work to a less loaded colleague."""

    enabled: bool = Field(default=False, description="Switch lateral hand-offs on.")
    queue_threshold: int = Field(
        default=3,
        ge=1,
        le=limits.MAX_QUEUE_THRESHOLD,
        description="Hand off when this many requests already wait.",
    )
    scope: Literal["team", "organisation"] = Field(
        default="team", description="Colleagues of the own team only, or anyone."
    )
    candidates: int = Field(
        default=2,
        ge=1,
        le=limits.MAX_CANDIDATES,
        description="Colleagues sampled; the least loaded wins.",
    )


class Teams(Spec):
    """The customer-facing teams (account teams, cells, circles), all alike."""

    count: int = Field(ge=1, le=limits.MAX_TEAMS, description="Number of teams.")
    size: int = Field(ge=1, le=limits.MAX_MEMBERS, description="Employees per team.")
    employee_mandate: Mandate = Field(
        description="Largest value one employee may decide alone; null for unlimited."
    )
    team_mandate: Mandate = Field(
        default=0, description="Largest value the team decides collectively (negotiation mandate)."
    )
    decision: Literal["individual", "advice", "consensus"] = Field(
        default="individual",
        description=(
            "individual: no team step; advice: the employee and `advisors` colleagues vote, "
            "majority wins; consensus: the whole team must agree."
        ),
    )
    advisors: int = Field(
        default=2,
        ge=0,
        le=limits.MAX_MEMBERS,
        description="Colleagues consulted in the advice process.",
    )
    consult_time_h: Distribution = Field(
        default=Deterministic(value=0.5), description="Hours one colleague spends advising."
    )
    coordination_cost: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_COORDINATION_COST,
        description="Extra share of consult time per additional team member.",
    )
    pooled: bool = Field(
        default=False, description="One shared queue for the team (M/M/c) instead of one each."
    )
    skill: Distribution = Field(
        default=Deterministic(value=0.8),
        description="Employees' probability of judging a request right with full information.",
    )
    max_size: int | None = Field(
        default=None, ge=1, le=limits.MAX_MEMBERS, description="Cell cap: largest team allowed."
    )
    lateral_handoff: LateralHandoff = LateralHandoff()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        within_unit_interval(self.skill, "skill")
        if self.max_size is not None and self.size > self.max_size:
            raise ValueError(f"size {self.size} exceeds the cell cap max_size {self.max_size}")
        if self.decision == "advice" and self.advisors > self.size - 1:
            raise ValueError(
                f"advisors ({self.advisors}) must be at most size - 1 ({self.size - 1})"
            )
        if self.decision != "individual" and self.pooled:
            raise ValueError("a pooled team has no proposer: use decision: individual")
        return self


class Absence(Spec):
    """Managers' absences: an alternating present/absent process (vulnerability of a chain)."""

    share: Probability = Field(
        default=0.0, ge=0, lt=1, description="Long-run share of working time absent."
    )
    mean_days: float = Field(
        default=2.0,
        ge=0.05,
        le=limits.MAX_ABSENCE_DAYS,
        description="Mean length of one absence.",
    )

    @model_validator(mode="after")
    def _share_tellable(self) -> Self:
        if 0 < self.share < limits.MIN_ABSENCE_SHARE:
            raise ValueError(
                f"share {self.share:g} is above 0 but below {limits.MIN_ABSENCE_SHARE:g}: "
                "use 0 for no absences"
            )
        return self


class Layer(Spec):
    """One layer of managers above the teams: approvers of a hierarchy, or coaches."""

    name: str = Field(min_length=1, description="How reports and the request log name it.")
    role: Literal["approver", "coach"] = Field(
        default="approver", description="approver: reviews escalations; coach: coaches teams."
    )
    span: int = Field(
        ge=1,
        le=limits.MAX_TEAMS,
        description="Units of the level below per node (teams for the first layer).",
    )
    mandate: Mandate = Field(
        default=None, description="Largest value this layer may approve; null for unlimited."
    )
    members: int = Field(
        default=1,
        ge=1,
        le=limits.MAX_MEMBERS,
        description="People in one node (>1: a committee).",
    )
    rule: DecisionRule = Field(default="all", description="Approvals a committee needs.")
    k: int | None = Field(default=None, ge=1, description="Approvals needed with rule k_of_n.")
    review: Literal["parallel", "sequential"] = Field(
        default="parallel", description="A committee's members review at once, or in turn."
    )
    review_time_h: Distribution = Field(
        default=Deterministic(value=1.0), description="Hours of work one review takes."
    )
    availability: float = Field(
        default=1.0,
        ge=limits.MIN_AVAILABILITY,
        le=1,
        description="Share of time for approvals (the rest is meetings).",
    )
    meeting_block_h: Annotated[float, Field(ge=0.05, le=limits.MAX_MEETING_BLOCK_H)] | None = Field(
        default=None,
        description=(
            "Mean length of a meeting block. Unset: the time not available slows every "
            "review down. Set: it comes in blocks during which no review starts."
        ),
    )
    skill: Distribution = Field(
        default=Deterministic(value=0.8),
        description="Probability of judging a proposal right with full information.",
    )
    absence: Absence = Absence()

    @model_validator(mode="after")
    def _rule_fits(self) -> Self:
        within_unit_interval(self.skill, "skill")
        if self.name in LEVELS_BELOW_LAYERS:
            raise ValueError(
                f"name {self.name!r} is reserved for a level below the layers (reserved: "
                f"{', '.join(LEVELS_BELOW_LAYERS)}): the request log could not tell them apart"
            )
        if self.rule == "k_of_n" and self.k is None:
            raise ValueError("rule k_of_n needs k, the number of approvals required")
        if self.k is not None and self.k > self.members:
            raise ValueError(f"k ({self.k}) cannot exceed members ({self.members})")
        if self.meeting_block_h is not None and self.availability == 1:
            raise ValueError("meeting_block_h needs availability below 1: there are no meetings")
        return self


class Rework(Spec):
    """A rejected proposal may be reworked by its employee and submitted again."""

    probability: Probability = _probability("Chance a rejection is reworked.", 0.0)
    max_rounds: int = Field(
        default=1, ge=0, le=limits.MAX_REWORK_ROUNDS, description="Reworks allowed per request."
    )
    work_fraction: float = Field(
        default=0.5,
        gt=0,
        le=limits.MAX_WORK_FRACTION,
        description="Share of the original work.",
    )


class Structure(Spec):
    """Who decides what: teams, the layers above them, and how decisions travel."""

    teams: Teams
    layers: list[Layer] = Field(default_factory=list, max_length=limits.MAX_LAYERS)
    information_decay: Probability = _probability(
        "Share of an evaluator's insight kept per hop away from the customer.", 1.0
    )
    handoff_time_h: Distribution = Field(
        default=Deterministic(value=0.0), description="Delay of one hand-off up or down."
    )
    rework: Rework = Rework()

    @model_validator(mode="after")
    def _layers_consistent(self) -> Self:
        names = [layer.name for layer in self.layers]
        if len(set(names)) != len(names):
            raise ValueError(f"layer names must be unique, got {names}")
        below_label, below = "teams.employee_mandate", mandate_limit(self.teams.employee_mandate)
        for label, mandate in self._route_mandates()[1:]:
            if mandate_limit(mandate) < below:
                raise ValueError(
                    f"{label} is {mandate}, below {below_label} ({below:g}): "
                    "mandates must not shrink going up the escalation route"
                )
            below_label, below = label, mandate_limit(mandate)
        return self

    def _route_mandates(self) -> list[tuple[str, float | None]]:
        """Mandates along the escalation route, from the employee up."""
        route = [("teams.employee_mandate", self.teams.employee_mandate)]
        if self.teams.decision != "individual":
            route.append(("teams.team_mandate", self.teams.team_mandate))
        route += [
            (f"layer {layer.name!r} mandate", layer.mandate)
            for layer in self.layers
            if layer.role == "approver"
        ]
        return route

    def headcount(self) -> int:
        """Employees and managers: every one of them is an agent with a queue."""
        people = below = self.teams.count
        people *= self.teams.size
        for layer in self.layers:
            below = -(-below // layer.span)  # nodes of this layer: ceil(below / span)
            people += below * layer.members
        return people

    def route_limit(self) -> float:
        """Largest value anyone on the escalation route may decide."""
        return max(mandate_limit(mandate) for _, mandate in self._route_mandates())


class Scenario(Spec):
    """A whole scenario: demand, structure, culture, satisfaction and run settings."""

    name: str = Field(min_length=1, description="The scenario's name in reports.")
    description: str = Field(default="", description="What the scenario stands for.")
    demand: Demand
    structure: Structure
    culture: Culture = Culture()
    satisfaction: Satisfaction = Satisfaction()
    coordination: Coordination = Coordination()
    judgement: Judgement = Judgement()
    money: Money = Money()
    monitoring: Monitoring = Monitoring()
    engagement: Engagement = Engagement()
    retrospectives: Retrospectives = Retrospectives()
    ideas: Ideas = Ideas()
    knowledge: Knowledge = Knowledge()
    escalation: Escalation = Escalation()
    juries: Juries = Juries()
    run: Run = Run()

    @model_validator(mode="after")
    def _fits_a_machine(self) -> Self:
        customers = self.structure.teams.count * self.demand.customers_per_team
        if customers > limits.MAX_CUSTOMERS:
            raise ValueError(
                f"teams.count x customers_per_team makes {customers:,} customers, at most "
                f"{limits.MAX_CUSTOMERS:,} are allowed"
            )
        arrivals = self.demand.new_customers.candidates(customers, self.run.days)
        if customers + arrivals > limits.MAX_CUSTOMERS:
            raise ValueError(
                f"demand.new_customers would bring about {arrivals:,.0f} candidate accounts "
                f"over run.days on top of {customers:,} customers (each holds an account "
                f"slot), at most {limits.MAX_CUSTOMERS:,} customers in all are allowed: "
                "lower per_day, referrals_per_customer_per_day or market_size, or run.days"
            )
        people = self.structure.headcount()
        if people > limits.MAX_PEOPLE:
            raise ValueError(
                f"the structure has {people:,} people (employees and managers), at most "
                f"{limits.MAX_PEOPLE:,} are allowed"
            )
        return self

    @model_validator(mode="after")
    def _every_request_decidable(self) -> Self:
        limit = self.structure.route_limit()
        for kind in self.demand.kinds:
            if kind.value.upper_bound > limit:
                raise ValueError(
                    f"request kind {kind.name!r} can be worth up to {kind.value.upper_bound:g} "
                    f"but the largest mandate on the route is {limit:g}: such requests could "
                    "never be decided (raise a mandate, set one to null for unlimited, or cap "
                    "the value distribution with `cap`)"
                )
        return self

    @model_validator(mode="after")
    def _decision_mechanisms_fit(self) -> Self:
        kinds = [kind.name for kind in self.demand.kinds]
        unknown = sorted(set(self.knowledge.difficulty_by_kind) - set(kinds))
        if unknown:
            raise ValueError(
                f"knowledge.difficulty_by_kind names {', '.join(unknown)}, which is no request "
                f"kind (kinds: {', '.join(kinds)})"
            )
        if self.juries.advice_rule == "proposer" and self.structure.teams.decision != "advice":
            raise ValueError(
                "juries.advice_rule proposer needs structure.teams.decision: advice "
                f"(it is {self.structure.teams.decision})"
            )
        return self

    def digest(self) -> str:
        """A short hash of the validated content: equal scenarios, equal digests."""
        dump = self.model_dump(mode="json", exclude=self._mechanisms_at_default())
        canonical = json.dumps(dump, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def _mechanisms_at_default(self) -> dict[str, Any]:
        """Mechanism groups left at their defaults: they leave the digest as it was before them."""
        groups = {
            "judgement": self.judgement == Judgement(),
            "money": self.money == Money(),
            "monitoring": self.monitoring == Monitoring(),
            "engagement": self.engagement == Engagement(),
            "retrospectives": self.retrospectives == Retrospectives(),
            "ideas": self.ideas == Ideas(),
            "knowledge": self.knowledge == Knowledge(),
            "escalation": self.escalation == Escalation(),
            "juries": self.juries == Juries(),
        }
        exclude: dict[str, Any] = {name: True for name, default in groups.items() if default}
        demand: dict[str, Any] = {}
        if self.demand.new_customers == NewCustomers():
            demand["new_customers"] = True
        timed = [(kind.wait_h, kind.close_after_h) for kind in self.demand.kinds]
        if all(pair == (Deterministic(value=0),) * 2 for pair in timed):
            demand["kinds"] = {"__all__": {"wait_h", "close_after_h"}}
        if demand:
            exclude["demand"] = demand
        return exclude

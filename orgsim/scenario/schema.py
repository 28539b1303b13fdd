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
import math
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import Field, PrivateAttr, model_validator

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
from orgsim.scenario.intake import Intake
from orgsim.scenario.mechanisms import (
    Engagement,
    Ideas,
    Judgement,
    Money,
    Monitoring,
    NewCustomers,
    Retrospectives,
)
from orgsim.scenario.spec import Probability, Spec, mandate_limit
from orgsim.scenario.spec import probability as _probability
from orgsim.scenario.tree import Tree, TreeError, from_layers, from_units
from orgsim.scenario.units import (
    LEVELS_BELOW_LAYERS,
    Absence,
    LateralHandoff,
    Layer,
    Teams,
    Unit,
    UnitDefaults,
    with_defaults,
)

__all__ = [
    "LEVELS_BELOW_LAYERS",
    "Absence",
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
    "LateralHandoff",
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

    customers_per_team: int | None = Field(
        default=None,
        ge=1,
        le=limits.MAX_CUSTOMERS,
        description="Accounts served by each team (in a tree: by teams that do not say).",
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
    day_profile: list[Annotated[float, Field(ge=0, le=limits.MAX_PARAMETER)]] = Field(
        default_factory=list,
        max_length=24,
        description="Relative arrival rate in each hour of the working day (one number per "
        "hour, the last for what is left of a day of fractional hours), scaled to keep the "
        "daily rate; empty: a flat day.",
    )

    @model_validator(mode="after")
    def _unique_kind_names(self) -> Self:
        names = [kind.name for kind in self.kinds]
        if len(set(names)) != len(names):
            raise ValueError(f"request kind names must be unique, got {names}")
        return self


# --- structure ----------------------------------------------------------------------------


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
    """Who decides what: teams and the layers above them, or a tree of units; how decisions travel.

    Either ``teams`` (identical teams) with ``layers`` (of equal span), or ``units`` (an
    explicit, possibly uneven tree) with ``defaults`` per kind.
    """

    teams: Teams | None = Field(
        default=None, description="Identical teams (the shorthand); leave out with units."
    )
    layers: list[Layer] = Field(default_factory=list, max_length=limits.MAX_LAYERS)
    units: list[Unit] | None = Field(
        default=None,
        min_length=1,
        max_length=limits.MAX_TEAMS,
        description="The organisation as a tree: teams, approvers, committees, coaches.",
    )
    defaults: UnitDefaults | None = Field(
        default=None, description="Settings every unit of a kind takes unless it sets them."
    )
    several_tops: bool = Field(
        default=False,
        description=(
            "Allow several units without a parent (independent teams or groups, as a "
            "shorthand without layers); off, a second top is an error."
        ),
    )
    information_decay: Probability = _probability(
        "Share of an evaluator's insight kept per hop away from the customer.", 1.0
    )
    handoff_time_h: Distribution = Field(
        default=Deterministic(value=0.0), description="Delay of one hand-off up or down."
    )
    rework: Rework = Rework()
    intake: Intake = Field(
        default=Intake(), description="Dispatchers before the worker, closers after the answer."
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and "defaults" in data:
            data = {**data, "units": with_defaults(data.get("units"), data["defaults"])}
        return data

    @model_validator(mode="after")
    def _teams_or_units(self) -> Self:
        if self.teams is None and self.units is None:
            raise ValueError(
                "structure.teams (with layers) or structure.units (a tree) is required, "
                "found neither"
            )
        if self.teams is not None and self.units is not None:
            raise ValueError("give either teams (with layers) or units (a tree), not both")
        if self.units is not None and self.layers:
            raise ValueError("layers go with teams; in a tree, managers are units")
        if self.defaults is not None and self.units is None:
            raise ValueError("defaults go with units")
        return self

    @model_validator(mode="after")
    def _layers_consistent(self) -> Self:
        if self.teams is None:
            return self
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
        """Employees and managers of the shorthand, counted without building its tree."""
        if self.teams is None:
            return 0
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

    _tree: Tree | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal when every field is: the resolved tree is a cache, not part of the value."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = Spec.__hash__

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, its tree resolved again from its own structure and demand when asked."""
        copy = super().model_copy(update=update, deep=deep)
        copy._tree = None
        return copy

    @property
    def tree(self) -> Tree:
        """The organisation resolved into one tree, whichever way the file describes it."""
        if self._tree is None:
            self._tree = self._resolve()
        return self._tree

    def _resolve(self) -> Tree:
        structure, demand = self.structure, self.demand
        rate = demand.requests_per_customer_per_day
        if structure.units is None:
            return from_layers(structure.teams, structure.layers, demand.customers_per_team, rate)
        try:
            return from_units(
                structure.units, demand.customers_per_team, rate, structure.several_tops
            )
        except TreeError as error:
            raise ValueError(f"structure.units: {error}") from None

    @model_validator(mode="after")
    def _fits_a_machine(self) -> Self:
        if self.structure.teams is not None and self.demand.customers_per_team is None:
            raise ValueError("demand.customers_per_team is needed with teams")
        if self.structure.headcount() > limits.MAX_PEOPLE:
            raise ValueError(
                f"the structure has {self.structure.headcount():,} people (employees and "
                f"managers), at most {limits.MAX_PEOPLE:,} are allowed"
            )
        customers = self.tree.customers
        if customers > limits.MAX_CUSTOMERS:
            raise ValueError(
                f"{self._customers_source()} makes {customers:,} customers, at most "
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
        people = self.tree.headcount
        if people > limits.MAX_PEOPLE:
            raise ValueError(
                f"the structure has {people:,} people (employees and managers), at most "
                f"{limits.MAX_PEOPLE:,} are allowed"
            )
        return self

    @model_validator(mode="after")
    def _every_request_decidable(self) -> Self:
        if self.structure.units is not None:
            self._every_team_decides()
            return self
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

    def _customers_source(self) -> str:
        return (
            "the teams' customers"
            if self.structure.teams is None
            else ("teams.count x customers_per_team")
        )

    def _every_team_decides(self) -> None:
        """In a tree, each team's own route must cover its requests (the unit at fault named)."""
        largest = max(self.demand.kinds, key=lambda kind: kind.value.upper_bound)
        for team in self.tree.teams:
            limit = team.route_limit(self.tree.points)
            if largest.value.upper_bound > limit:
                raise ValueError(
                    f"structure.units: team {team.id!r}: request kind {largest.name!r} can be "
                    f"worth up to {largest.value.upper_bound:g} but the largest mandate on its "
                    f"route is {limit:g}: such requests could never be decided (give a unit "
                    "above it mandate null for unlimited, or cap the value distribution)"
                )

    @model_validator(mode="after")
    def _day_profile_fits_the_day(self) -> Self:
        profile = self.demand.day_profile
        hours = math.ceil(self.run.hours_per_day)
        if profile and len(profile) != hours:
            raise ValueError(
                f"demand.day_profile has {len(profile)} numbers; run.hours_per_day "
                f"{self.run.hours_per_day:g} needs {hours}, one per hour of the working day"
            )
        if profile and not any(profile):
            raise ValueError("demand.day_profile: at least one hour must have a rate above 0")
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
        decisions = sorted({team.spec.decision for team in self.tree.teams})
        if self.juries.advice_rule == "proposer" and decisions != ["advice"]:
            raise ValueError(
                "juries.advice_rule proposer needs structure.teams.decision: advice "
                f"(it is {', '.join(decisions)})"
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
        if not self.demand.day_profile:
            demand["day_profile"] = True
        timed = [(kind.wait_h, kind.close_after_h) for kind in self.demand.kinds]
        if all(pair == (Deterministic(value=0),) * 2 for pair in timed):
            demand["kinds"] = {"__all__": {"wait_h", "close_after_h"}}
        if demand:
            exclude["demand"] = demand
        unused = {"teams", "units", "defaults"}  # a shorthand's digest as before the tree
        exclude["structure"] = {key for key in unused if getattr(self.structure, key) is None}
        if not self.structure.several_tops:
            exclude["structure"].add("several_tops")
        if self.structure.intake == Intake():
            exclude["structure"].add("intake")
        return exclude

"""The units an organisation is made of: teams, layers of managers, and the units of a tree.

A structure is described either by the shorthand of identical ``teams`` under ``layers``
of equal span, or by an explicit tree, ``structure.units``: each unit has an ``id``, a
``parent`` (none for the top) and a ``kind``. A team unit takes every setting of
:class:`Teams` (its ``count`` makes identical copies), an approver, committee or coach
every setting of :class:`Layer` (its ``name`` is the role that reports count decisions
by). ``structure.defaults`` gives values shared by every unit of a kind, so that a chart
of hundreds of people stays a readable file. :mod:`orgsim.scenario.tree` resolves both
descriptions into one tree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from orgsim.scenario import limits
from orgsim.scenario.distributions import Deterministic, Distribution
from orgsim.scenario.spec import Mandate, Probability, Spec, within_unit_interval

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


# --- the units of an explicit tree --------------------------------------------------------

UnitId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
"""A unit's id: a letter or ``_`` first, so that ``units[sales_director]`` reads as an id."""

REVIEW_KINDS = ("approver", "committee", "coach")
UNIT_KINDS = ("team", *REVIEW_KINDS)


class TeamUnit(Teams):
    """A team of the tree: every setting of `teams`, its place, and its customers."""

    kind: Literal["team"] = Field(description="team: people who serve customers.")
    id: UnitId = Field(description="The unit's id, unique in the tree.")
    parent: UnitId | None = Field(default=None, description="The id of the unit it reports to.")
    count: int = Field(
        default=1,
        ge=1,
        le=limits.MAX_TEAMS,
        description="Identical teams this unit stands for (ids id-1, id-2, ... when above 1).",
    )
    customers: int | None = Field(
        default=None,
        ge=1,
        le=limits.MAX_CUSTOMERS,
        description="Accounts this team serves; unset: demand.customers_per_team.",
    )
    requests_per_customer_per_day: float | None = Field(
        default=None,
        ge=limits.MIN_REQUEST_RATE,
        le=limits.MAX_REQUEST_RATE,
        description="Poisson rate of its customers' requests; unset: the demand's.",
    )


class ReviewUnit(Layer):
    """An approver, a committee or a coach of the tree: every setting of a layer.

    ``name`` is the role (``department_manager``): decisions are counted per role in
    reports, so that two directors at different depths of an uneven tree are one row.
    """

    kind: Literal["approver", "committee", "coach"] = Field(
        description=(
            "approver: one manager reviewing escalations; committee: several, with a rule; "
            "coach: coaches the teams below, approves nothing."
        )
    )
    id: UnitId = Field(description="The unit's id, unique in the tree.")
    parent: UnitId | None = Field(default=None, description="The id of the unit it reports to.")
    name: str = Field(
        default="", description="Its role, how reports count its decisions; unset: the kind."
    )
    role: Literal["approver", "coach"] = Field(
        default="approver", description="Follows from the kind; leave it out."
    )
    span: int = Field(
        default=1, ge=1, le=1, description="Not used in a tree: its reports name it as parent."
    )

    @model_validator(mode="before")
    @classmethod
    def _role_from_kind(cls, data: Any) -> Any:
        """``role`` follows from the kind; ``name`` (the role) defaults to the kind."""
        if not isinstance(data, dict) or data.get("kind") not in REVIEW_KINDS:
            return data
        data = dict(data)
        role = "coach" if data["kind"] == "coach" else "approver"
        if data.setdefault("role", role) != role:
            raise ValueError(f"a unit of kind {data['kind']} has role {role}; leave role out")
        if not data.get("name"):
            data["name"] = data["kind"]
        return data

    @model_validator(mode="after")
    def _one_approver(self) -> Self:
        if self.kind == "approver" and self.members != 1:
            raise ValueError(f"an approver is one person: use kind committee for {self.members}")
        return self


Unit = Annotated[TeamUnit | ReviewUnit, Field(discriminator="kind")]
"""One unit of ``structure.units``."""


class UnitDefaults(Spec):
    """Values every unit of a kind takes unless it sets them itself."""

    team: dict[str, Any] = Field(default_factory=dict, description="Settings of every team.")
    approver: dict[str, Any] = Field(default_factory=dict, description="Of every approver.")
    committee: dict[str, Any] = Field(default_factory=dict, description="Of every committee.")
    coach: dict[str, Any] = Field(default_factory=dict, description="Of every coach.")


_OWN_KEYS = ("kind", "id", "parent")


def with_defaults(units: Any, defaults: Any) -> Any:
    """``units`` (as read) with each kind's ``defaults`` filled in where a unit is silent.

    Anything that is not a list of mappings passes unchanged, for the schema to name.
    """
    if not isinstance(defaults, dict) or not isinstance(units, list):
        return units
    for kind, values in defaults.items():
        if kind not in UNIT_KINDS:
            raise ValueError(f"defaults.{kind}: unknown kind; allowed: {', '.join(UNIT_KINDS)}")
        model = TeamUnit if kind == "team" else ReviewUnit
        if not isinstance(values, dict):
            continue  # the schema names it
        for key in values:
            if key in _OWN_KEYS or key not in model.model_fields:
                allowed = sorted(set(model.model_fields) - {*_OWN_KEYS, "count", "span"})
                raise ValueError(
                    f"defaults.{kind}.{key}: not a shared setting of a {kind}; "
                    f"allowed: {', '.join(allowed)}"
                )
    return [
        {**defaults.get(unit.get("kind"), {}), **unit}
        if isinstance(unit, dict) and isinstance(defaults.get(unit.get("kind")), dict)
        else unit
        for unit in units
    ]

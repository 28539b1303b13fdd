"""Parameter groups of the seeds' mechanisms, each in a group of its own.

Judgement, money, new customers, CRM monitoring, engagement (apathy), retrospectives
(debate) and ideas (barriers to innovation).

Each group is off or neutral by default: a scenario that leaves it out runs exactly as
it did before the group existed (same figures, same random numbers drawn), and its
digest does not change (:meth:`orgsim.scenario.schema.Scenario.digest`).
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, NonNegativeFloat, model_validator

from orgsim.scenario import limits
from orgsim.scenario.spec import Spec
from orgsim.scenario.spec import probability as _probability

CAUTION_LIMIT = 3.0
"""Largest criterion shift allowed, in standard deviations of the evaluator's noise."""


def _caution(description: str) -> object:
    return Field(default=0.0, ge=-CAUTION_LIMIT, le=CAUTION_LIMIT, description=description)


class Judgement(Spec):
    """Judgement with two sides: how readily evaluators accept, apart from how well they judge.

    Signal detection (Green & Swets 1966): an evaluator's skill sets its sensitivity d',
    the chance of judging right with a neutral criterion; its caution shifts the criterion,
    so that it accepts a good proposal with ``Phi(d'/2 - caution)`` and a bad one with
    ``Phi(-d'/2 - caution)``. The two no longer add up to one: a cautious evaluator
    rejects more of both, as the screening theory of Sah & Stiglitz (1986) and studies
    of risk-averse managers need. Caution 0 is today's evaluator.

    ``blame_caution`` lets blame make people cautious: an employee's caution grows by
    it per unit of trust lost (``1 - trust``), so that a blame culture, which lowers
    trust, also gives fewer false accepts and more false rejects.
    """

    employee_caution: float = _caution(
        "Criterion shift of employees judging proposals (positive: reject more of both)."
    )
    manager_caution: float = _caution("Criterion shift of approvers (managers, committee members).")
    blame_caution: float = Field(
        default=0.0,
        ge=0,
        le=CAUTION_LIMIT,
        description="Employees' extra caution per unit of trust lost (1 - trust).",
    )

    @property
    def neutral(self) -> bool:
        """Nobody's criterion moves: every evaluator judges as p and 1 - p."""
        return self.employee_caution == self.manager_caution == self.blame_caution == 0


class Money(Spec):
    """What is at stake, in money: request values are the currency the figures use.

    Reported over the measured period (after the warm-up): what wrong decisions cost
    (each request kind's ``loss``), customers lost (``customer_value`` each, or
    ``annual_margin`` times ``lifetime_years``: the margin a customer would still have
    brought), management cost (managers' paid hours at ``manager_hourly_cost``), and
    the cost of deciding: managers' hours and the hours employees spend on anything but
    customers' work (advice, consensus, retrospectives, coaching, coordination) at
    ``employee_hourly_cost``, so that every structure's deciding is priced alike.
    """

    customer_value: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_PARAMETER,
        description="Value lost when one customer leaves (lifetime margin); or give "
        "annual_margin and lifetime_years.",
    )
    annual_margin: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_PARAMETER,
        description="Margin one customer brings a year.",
    )
    lifetime_years: float = Field(
        default=0.0,
        ge=0,
        le=100,
        description="Years a customer is expected to stay (discounted): its value's horizon.",
    )
    manager_hourly_cost: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_PARAMETER,
        description="Cost of one manager's working hour.",
    )
    employee_hourly_cost: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_PARAMETER,
        description="Cost of one employee's working hour.",
    )

    @model_validator(mode="after")
    def _one_customer_value(self) -> Self:
        if self.customer_value > 0 and self.annual_margin * self.lifetime_years > 0:
            raise ValueError(
                "give a customer's value once: customer_value, or annual_margin and lifetime_years"
            )
        return self

    @property
    def lost_customer_value(self) -> float:
        """What one customer who leaves takes with it."""
        return self.customer_value or self.annual_margin * self.lifetime_years


class NewCustomers(Spec):
    """A customer base that lives: new accounts arrive, some brought by referrals.

    New accounts arrive as a Poisson process of ``per_day``; satisfied customers
    (satisfaction at least ``referral_threshold``) each bring more at
    ``referrals_per_customer_per_day``, up to ``market_size`` satisfied customers (word
    of mouth saturates, as in Bass's (1969) diffusion model). Candidate arrivals are
    drawn in advance from the demand stream at the highest rate and thinned (Lewis &
    Shedler 1979), so that every structure run with one seed sees the very same
    candidates, and the same customers wherever referrals do not differ.
    """

    per_day: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_ARRIVALS_PER_DAY,
        description="New accounts a day, unreferred.",
    )
    referrals_per_customer_per_day: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_REQUEST_RATE,
        description="New accounts a day brought by each satisfied customer.",
    )
    referral_threshold: float = _probability(
        "Satisfaction from which a customer recommends the firm.", 0.7
    )
    market_size: int | None = Field(
        default=None,
        ge=1,
        le=limits.MAX_CUSTOMERS,
        description="Most satisfied customers whose referrals count; null: the initial base.",
    )

    @property
    def enabled(self) -> bool:
        """Whether any new customer can arrive."""
        return self.per_day > 0 or self.referrals_per_customer_per_day > 0

    def highest_per_day(self, initial: int) -> float:
        """The highest arrival rate the base can reach: every customer of the market referring.

        Args:
            initial: the initial customer base (the market when ``market_size`` is null).
        """
        return self.per_day + self.referrals_per_customer_per_day * (self.market_size or initial)

    def candidates(self, initial: int, days: float) -> float:
        """Candidate arrivals a run of ``days`` expects: each holds an account slot."""
        return self.highest_per_day(initial) * days


class Monitoring(Spec):
    """CRM monitoring (seed 004): managers read team KPIs instead of approving.

    At each interval, the CRM shows each team's answers since the last reading: the
    share decided right, the mean response time and the mean satisfaction of the
    customers answered. A team under a threshold gets an intervention: a coaching
    round (as ``culture.coaching``), or a temporary cut of its members' mandates.
    Monitoring is feedback control after the fact (Ouchi 1979's output control, as
    against behaviour control by approvals): it adds no step to any request's route,
    only ``reporting_h`` of work per request for the CRM's records.
    """

    enabled: bool = Field(default=False, description="Switch CRM monitoring on.")
    interval_days: float = Field(
        default=5.0,
        ge=0.05,
        le=limits.MAX_DAYS,
        description="Days between two readings of the KPIs.",
    )
    reporting_h: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_PARAMETER,
        description="Hours an employee spends recording one request in the CRM.",
    )
    accuracy_below: float = _probability("Step in when the share decided right falls below.", 0.8)
    response_above_h: float | None = Field(
        default=None, gt=0, description="Step in when the mean response time exceeds; null: never."
    )
    satisfaction_below: float | None = Field(
        default=None, ge=0, le=1, description="Step in when satisfaction falls below; null: never."
    )
    action: Literal["coach", "cut_mandate"] = Field(
        default="coach", description="coach: a coaching round; cut_mandate: a temporary cut."
    )
    mandate_kept: float = _probability("Share of the mandate kept during a cut.", 0.5)
    cut_days: float = Field(
        default=5.0, ge=0.05, le=limits.MAX_DAYS, description="Days a mandate cut lasts."
    )


class Engagement(Spec):
    """Apathy (seed 002): engagement falls when escalations are slow or rejected.

    Each employee's engagement in [0, 1] moves by fractional adjustment: toward 0 by
    ``loss_rate`` when a proposal it escalated above its team comes back rejected, or
    later than ``slow_after_h``; toward 1 by ``recovery_rate`` when it (or its team)
    decides on its own. Autonomy feeds motivation and its absence breeds learned
    helplessness (Hackman & Oldham 1976; Seligman 1975). Low engagement slows work
    (``slowdown`` extra work time at engagement 0) and blunts judgement (``accuracy_loss``
    of the edge over a coin flip lost at engagement 0).
    """

    enabled: bool = Field(default=False, description="Switch engagement and apathy on.")
    initial: float = _probability("Employees' engagement at the start.", 0.8)
    slow_after_h: float = Field(
        default=8.0, gt=0, description="An escalation answered later than this disengages."
    )
    loss_rate: float = _probability("Step toward 0 after a slow or rejected escalation.", 0.05)
    recovery_rate: float = _probability("Step toward 1 after deciding on one's own.", 0.01)
    slowdown: NonNegativeFloat = Field(
        default=0.5, le=10, description="Extra share of work time at engagement 0."
    )
    accuracy_loss: float = _probability("Share of judging skill's edge lost at engagement 0.", 0.5)


class Retrospectives(Spec):
    """Debate and retrospectives (seed 004): teams meet, learn from errors, make agreements.

    Every ``interval_days`` each team meets for ``meeting_h`` (a job on every member's
    desk, queued like any work). Each wrong answer the team gave since the last meeting
    is discussed and closes ``learning_per_error`` of each member's gap to
    ``skill_ceiling``. Each meeting also firms up the team's agreements ("afspraak is
    afspraak") by ``agreement_gain`` of the gap to 1; an agreement of a keeps a member
    from handing work to a teammate with probability a.
    """

    enabled: bool = Field(default=False, description="Switch team retrospectives on.")
    interval_days: float = Field(
        default=10.0, ge=0.05, le=limits.MAX_DAYS, description="Days between meetings."
    )
    meeting_h: NonNegativeFloat = Field(default=1.0, le=40, description="Hours of one meeting.")
    learning_per_error: float = _probability(
        "Share of the gap to skill_ceiling closed per error discussed.", 0.02
    )
    skill_ceiling: float = _probability("Skill that learning from errors tends toward.", 0.95)
    agreement_gain: float = _probability(
        "Share of the gap to full agreement closed per meeting.", 0.0
    )


class Ideas(Spec):
    """Barriers to innovation (seeds 000, 002): improvement ideas need a decision to take effect.

    Employees have ideas as a Poisson process. An idea is a proposal worth ``value``:
    written up in ``write_up_h``, it takes the escalation route any request of that
    value takes (up the approval chain in a hierarchy, to the team in a self-managing
    organisation), and may be rejected. An adopted good idea makes its team's future
    work faster by ``speedup``; an adopted bad one slows it by as much.
    """

    enabled: bool = Field(default=False, description="Switch improvement ideas on.")
    per_employee_per_day: float = Field(
        default=0.02,
        ge=limits.MIN_IDEA_RATE,
        le=10,
        description="Ideas a day per employee (Poisson).",
    )
    value: float = Field(
        default=10_000.0,
        ge=0,
        le=limits.MAX_PARAMETER,
        description="What an idea is worth: decides who must approve it.",
    )
    write_up_h: float = Field(
        default=1.0, ge=0, le=limits.MAX_PARAMETER, description="Hours to write an idea up."
    )
    good_share: float = _probability("Share of ideas that truly improve the work.", 0.6)
    speedup: float = Field(
        default=0.02, ge=0, lt=1, description="Share of work time an adopted idea saves (or adds)."
    )

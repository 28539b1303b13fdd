"""How people behave, as a scenario describes it: trust, coaching, satisfaction and churn."""

from __future__ import annotations

import math
from typing import Literal, Self

from pydantic import Field, PositiveFloat, model_validator

from orgsim.scenario.distributions import Deterministic, Distribution
from orgsim.scenario.limits import MAX_DAYS
from orgsim.scenario.spec import Probability, Spec, within_unit_interval
from orgsim.scenario.spec import probability as _probability

# --- culture ------------------------------------------------------------------------------


class Trust(Spec):
    """Trust and blame, learnt from one's own decisions only (Denrell & March 2001).

    After deciding alone, a wrong decision is discovered with ``discovery_probability``.
    The outcome is 0 when a wrong decision is discovered in a blame culture, else 1;
    trust moves toward it by fractional adjustment: ``trust += learning_rate * (outcome - trust)``.
    Escalated requests teach nothing, so low trust, which makes people escalate, is slow
    to recover: the hot-stove effect.
    """

    initial: Distribution = Field(
        default=Deterministic(value=0.8), description="Employees' trust at the start."
    )
    blame: bool = Field(
        default=False, description="A wrong decision that comes to light is punished."
    )
    discovery_probability: Probability = _probability(
        "Chance a wrong decision comes to light.", 0.3
    )
    learning_rate: Probability = _probability("Fractional-adjustment rate of trust.", 0.0)

    @model_validator(mode="after")
    def _trust_is_a_probability(self) -> Self:
        within_unit_interval(self.initial, "initial trust")
        return self


class Coaching(Spec):
    """Coaches (layers with role coach) raise the skill and trust of their teams' people.

    Each round, every coach holds a session of ``session_h`` with each of its people in
    turn, booked at the coach's desk and the employee's (hours not spent on customers),
    as far as ``coach_share`` of the coach's time in the round allows; whoever does not
    fit is coached in a later round, so a coach's span is an outcome of its hours. A
    session closes ``skill_gain`` of the gap to the coach's own skill (capped by
    ``skill_ceiling``): a coach passes on what it knows, not more (Vygotsky's zone of
    proximal development; Bandura 1977 on modelling), and ``trust_gain`` of the gap to
    full trust. ``session_h`` 0 (the default) makes coaching free and unlimited.
    """

    interval_days: float = Field(
        default=5.0, ge=0.05, le=MAX_DAYS, description="Days between coaching rounds."
    )
    skill_gain: Probability = _probability(
        "Share of the gap to the ceiling (the coach's skill, at most skill_ceiling) closed.", 0.05
    )
    skill_ceiling: Probability = _probability(
        "Most skill coaching can give, whatever the coach knows.", 0.95
    )
    trust_gain: Probability = _probability("Share of the gap to full trust closed.", 0.05)
    session_h: float = Field(
        default=0.0,
        ge=0,
        le=40,
        description="Hours of one session, at the coach's and the employee's desks (0: free).",
    )
    coach_share: Probability = _probability(
        "Share of a coach's time in a round that sessions may take; the rest wait.", 1.0
    )


class Culture(Spec):
    """How people feel about deciding: trust, blame and coaching."""

    trust: Trust = Trust()
    coaching: Coaching = Coaching()


# --- customers' satisfaction ----------------------------------------------------------------


class Logistic(Spec):
    """Satisfaction with a delay d falls as 1 / (1 + exp(steepness (d / expected - 1)))."""

    curve: Literal["logistic"] = Field(default="logistic", description="The curve.")
    steepness: PositiveFloat = Field(default=4.0, description="How sharply worth falls.")

    def worth(self, lateness: float) -> float:
        """Worth of an answer that took ``lateness`` times the expected time (0.5 when on time)."""
        exponent = self.steepness * (lateness - 1.0)
        return 1.0 / (1.0 + math.exp(exponent if not exponent > 700.0 else 700.0))


class ExponentialDecay(Spec):
    """Satisfaction with a delay d is exp(-rate * max(0, d / expected - 1)): full when on time."""

    curve: Literal["exponential"] = Field(default="exponential", description="The curve.")
    rate: PositiveFloat = Field(default=1.0, description="Worth lost per expected time late.")

    def worth(self, lateness: float) -> float:
        """Worth of an answer that took ``lateness`` times the expected time (1 until late)."""
        return math.exp(-self.rate * max(0.0, lateness - 1.0))


WORKING_DAYS_PER_YEAR = 250
"""Working days in a year: to give churn as a yearly rate, and to calibrate it to one."""


class Churn(Spec):
    """Unhappy customers leave: by a threshold, or at a yearly base rate that satisfaction moves.

    The threshold rule: after each answer, a customer below ``threshold`` leaves with
    ``probability``. It puts churn on a knife edge: a structure whose customers sit just
    above the threshold keeps them all, just below it loses most.

    The calibrated rule (``yearly_base_rate`` set): a customer as satisfied as
    ``reference`` (default: a new customer's satisfaction) leaves at the base rate a year;
    each answer is a chance to leave, and the hazard is multiplied by
    ``exp(sensitivity * (reference - satisfaction))``, so less satisfied customers leave
    more often and more satisfied ones less, smoothly. Base rates of ordinary B2B services
    lie around 5-15% a year (Reichheld 1996, "The Loyalty Effect": US companies lose
    about half their customers in five years, some 13% a year). Loyalty falls steeply
    as satisfaction drops (Jones & Sasser 1995, "Why satisfied customers defect", HBR);
    the sensitivity has no published default: 5 (0.1 less satisfied, 1.65 times the
    hazard) is an assumption to vary.
    """

    threshold: Probability = _probability("Satisfaction below which a customer may leave.", 0.3)
    probability: Probability = _probability("Chance of leaving after an answer when below.", 0.0)
    yearly_base_rate: float | None = Field(
        default=None,
        gt=0,
        lt=1,
        description="Share of customers at the reference satisfaction who leave in a year; "
        "null: the threshold rule.",
    )
    reference: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Satisfaction at which customers leave at the base rate; null: initial.",
    )
    sensitivity: float = Field(
        default=5.0,
        ge=0,
        le=50,
        description="How steeply the hazard grows per unit of satisfaction below the reference.",
    )

    @model_validator(mode="after")
    def _one_rule(self) -> Self:
        if self.yearly_base_rate is not None and self.probability > 0:
            raise ValueError(
                "give one churn rule: yearly_base_rate (calibrated) or probability (threshold), "
                "not both"
            )
        return self

    def per_answer(self, answers_per_year: float) -> float:
        """The chance of leaving after one answer that gives the base rate over a year."""
        return -math.expm1(math.log1p(-self.yearly_base_rate) / answers_per_year)


class Satisfaction(Spec):
    """Expectation-disconfirmation: customers weigh a disappointment more than a pleasure."""

    initial: Probability = _probability("Satisfaction of a new customer.", 0.8)
    delay_curve: Logistic | ExponentialDecay = Field(
        default=Logistic(),
        discriminator="curve",
        description="How an answer's worth falls with its delay (logistic or exponential).",
    )
    wrong_decision_factor: Probability = _probability(
        "Multiplier of an answer's worth when the decision was wrong.", 0.5
    )
    handoff_penalty: Probability = _probability(
        "Worth lost per hand-off: each pass to another person (up the line, to a colleague), "
        "counted once; the answer's way back is not another.",
        0.0,
    )
    gain_rate: Probability = _probability("Step toward a better experience.", 0.1)
    loss_rate: Probability = _probability("Step toward a worse experience.", 0.25)
    churn: Churn = Churn()

    @property
    def churn_reference(self) -> float:
        """The satisfaction at which the calibrated churn rule gives its base rate."""
        return self.initial if self.churn.reference is None else self.churn.reference

    def experience(self, delay_h: float, expected_h: float, correct: bool, handoffs: int) -> float:
        """Worth in [0, 1] of one answer to the customer who waited ``delay_h``."""
        worth = self.delay_curve.worth(delay_h / expected_h)
        if not correct:
            worth *= self.wrong_decision_factor
        return max(0.0, worth - self.handoff_penalty * handoffs)

    def updated(self, satisfaction: float, experience: float) -> float:
        """Satisfaction after one experience: a disappointment weighs ``loss_rate``."""
        rate = self.gain_rate if experience >= satisfaction else self.loss_rate
        return satisfaction + rate * (experience - satisfaction)

"""How long a scenario runs and how it is sampled: the ``run`` section."""

from __future__ import annotations

from typing import Self

from pydantic import Field, NonNegativeFloat, model_validator

from orgsim.scenario import limits
from orgsim.scenario.spec import Spec


class Run(Spec):
    """How long to simulate, and what to measure."""

    days: float = Field(
        default=90.0,
        ge=0.01,
        le=limits.MAX_DAYS,
        description="Working days simulated (at least one shortest sampling interval).",
    )
    warmup_days: NonNegativeFloat = Field(
        default=10.0, description="Days left out of times, rates and queue figures."
    )
    hours_per_day: float = Field(default=8.0, ge=0.5, le=24, description="Working hours a day.")
    sample_every_days: float = Field(
        default=1.0, ge=0.01, description="Interval of the time series (one Mesa step)."
    )

    @model_validator(mode="after")
    def _fits_the_horizon(self) -> Self:
        """The warm-up ends and a first sample is taken before the horizon; not too many."""
        problems, fixes = [], []
        # in hours, as the model counts: the measured window must not round away
        if self.warmup_days * self.hours_per_day >= self.days * self.hours_per_day:
            problems.append(
                f"warmup_days ({self.warmup_days:g}) must be below days ({self.days:g})"
            )
            fixes.append(f"run.warmup_days={min(1.0, self.days / 10):g}")
        if self.sample_every_days > self.days:
            problems.append(
                f"sample_every_days ({self.sample_every_days:g}) must not exceed days "
                f"({self.days:g}): the run would end before its first sample"
            )
            fixes.append(f"run.sample_every_days={self.days}")
        elif self.days / self.sample_every_days > limits.MAX_SAMPLES:
            problems.append(
                f"days / sample_every_days makes {self.days / self.sample_every_days:.3g} "
                f"samples, at most {limits.MAX_SAMPLES:,} are allowed: sample less often"
            )
        if not problems:
            return self
        hint = " ".join(f"--set {fix}" for fix in fixes)
        raise ValueError(
            "; ".join(problems) + (f"; for a short run, shorten them ({hint})" if fixes else "")
        )

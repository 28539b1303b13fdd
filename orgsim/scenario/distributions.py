"""Probability distributions of a scenario, and the fast samplers a run draws from.

A scenario names every random quantity as a distribution with a family and its
parameters (``{dist: lognormal, mean: 2, cv: 0.5}``); a bare number means a
deterministic value. The spec is data (frozen, validated); a run turns it into a
:class:`Sampler` bound to one of the run's random streams.

Samplers draw in blocks of :data:`BLOCK` numbers with one vectorised numpy call
and hand them out one by one: a scalar numpy draw costs about a microsecond, a
buffered one about 50 ns, and the hot path draws several per event.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from itertools import chain, pairwise, repeat
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from orgsim.scenario.limits import MAX_CV, MAX_PARAMETER, MAX_QUANTILES, MIN_CV

if TYPE_CHECKING:  # numpy is needed only once a run draws: not to read or check a file
    import numpy as np

BLOCK = 2048
"""How many numbers a sampler draws from its generator at a time."""


class _Dist(BaseModel):
    # as orgsim.scenario.spec.SPEC_CONFIG (spec imports this module, not the other way)
    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, strict=True, defer_build=True
    )

    cap: float | None = Field(
        default=None,
        ge=0,
        le=MAX_PARAMETER,
        description="Largest value a draw may take (draws above are clipped).",
    )

    @property
    def upper_bound(self) -> float:
        """Largest value a draw can take (``inf`` for unbounded families without a cap)."""
        return self.cap if self.cap is not None else math.inf

    def sampler(self, rng: np.random.Generator, scale: float = 1.0) -> Sampler:
        """A sampler of this distribution (times ``scale``) that draws from ``rng``."""
        draw, cap = self._draw_block(rng), self.upper_bound
        if cap == math.inf and scale == 1.0:
            return buffered(draw)
        return buffered(lambda n: draw(n).clip(max=cap) * scale)

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v}" for k, v in self.model_dump(exclude_none=True).items())
        return f"{type(self).__name__}({fields})"


class Deterministic(_Dist):
    """Always the same value."""

    dist: Literal["deterministic"] = Field(default="deterministic", description="The family.")
    value: float = Field(ge=0, le=MAX_PARAMETER, description="The value.")

    @property
    def mean(self) -> float:
        """The value itself."""
        return self.value

    @property
    def upper_bound(self) -> float:  # noqa: D102
        return min(self.value, self.cap) if self.cap is not None else self.value

    def sampler(self, rng: np.random.Generator, scale: float = 1.0) -> Sampler:  # noqa: D102
        return constant(self.upper_bound * scale)


class Exponential(_Dist):
    """Exponential with the given mean (memoryless: Poisson processes, M/M/c service)."""

    dist: Literal["exponential"] = Field(default="exponential", description="The family.")
    mean: float = Field(gt=0, le=MAX_PARAMETER, description="Mean of the draws.")

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        mean = self.mean
        return lambda n: rng.exponential(mean, n)


class Lognormal(_Dist):
    """Lognormal given by its mean and coefficient of variation (skewed work times, values)."""

    dist: Literal["lognormal"] = Field(default="lognormal", description="The family.")
    mean: float = Field(gt=0, le=MAX_PARAMETER, description="Mean of the draws.")
    cv: float = Field(ge=MIN_CV, le=MAX_CV, description="Standard deviation divided by the mean.")

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        sigma = math.sqrt(math.log1p(self.cv**2))
        mu = math.log(self.mean) - sigma**2 / 2
        return lambda n: rng.lognormal(mu, sigma, n)


class Gamma(_Dist):
    """Gamma given by its mean and coefficient of variation (cv 1 is the exponential)."""

    dist: Literal["gamma"] = Field(default="gamma", description="The family.")
    mean: float = Field(gt=0, le=MAX_PARAMETER, description="Mean of the draws.")
    cv: float = Field(ge=MIN_CV, le=MAX_CV, description="Standard deviation divided by the mean.")

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        shape = 1 / self.cv**2
        scale = self.mean / shape
        return lambda n: rng.gamma(shape, scale, n)


class Uniform(_Dist):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"] = Field(default="uniform", description="The family.")
    low: float = Field(ge=0, le=MAX_PARAMETER, description="Smallest draw.")
    high: float = Field(ge=0, le=MAX_PARAMETER, description="Largest draw.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must not be below low ({self.low})")
        return self

    @property
    def mean(self) -> float:
        """Midpoint of the interval."""
        return (self.low + self.high) / 2

    @property
    def upper_bound(self) -> float:  # noqa: D102
        return min(self.high, self.cap) if self.cap is not None else self.high

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        low, high = self.low, self.high
        return lambda n: rng.uniform(low, high, n)


class Empirical(_Dist):
    """A measured distribution given by its quantiles, equally spaced in probability.

    ``quantiles[i]`` is the ``i / (n - 1)`` quantile; a draw is the inverse transform of a
    uniform number, interpolated linearly between them (the piecewise-linear empirical
    distribution function). ``orgsim calibrate`` writes it where no parametric family fits
    a log's times (Law, *Simulation Modeling and Analysis*, 5th ed., section 6.2.4).
    """

    dist: Literal["empirical"] = Field(default="empirical", description="The family.")
    quantiles: list[Annotated[float, Field(ge=0, le=MAX_PARAMETER)]] = Field(
        min_length=2,
        max_length=MAX_QUANTILES,
        description="Quantiles at equally spaced probabilities from 0 to 1, non-decreasing.",
    )

    def __hash__(self) -> int:
        # hashable like every family, so that alike units can share one sampler
        return hash((self.dist, tuple(self.quantiles)))

    @model_validator(mode="after")
    def _ordered(self) -> Empirical:
        steps = [b - a for a, b in zip(self.quantiles, self.quantiles[1:], strict=False)]
        if min(steps) < 0:
            raise ValueError("quantiles must not decrease")
        return self

    @property
    def mean(self) -> float:
        """The mean of the piecewise-linear distribution: the trapezoid rule."""
        q = self.quantiles
        return math.fsum((a + b) / 2 for a, b in pairwise(q)) / (len(q) - 1)

    @property
    def upper_bound(self) -> float:  # noqa: D102
        return min(self.quantiles[-1], self.cap) if self.cap is not None else self.quantiles[-1]

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        import numpy as np

        q = np.asarray(self.quantiles, dtype=float)
        grid = np.linspace(0.0, 1.0, len(q))
        return lambda n: np.interp(rng.random(n), grid, q)


def _number_is_deterministic(value: object) -> object:
    """Let a scenario write ``3`` for ``{dist: deterministic, value: 3}``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "deterministic", "value": value}
    return value


Distribution = Annotated[
    Deterministic | Exponential | Lognormal | Gamma | Uniform | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_number_is_deterministic),
]
"""Any distribution of a scenario: a mapping with ``dist`` naming the family, or a number."""


Sampler = Callable[[], float]
"""A draw-one-number callable. Built on ``itertools`` so that a call runs in C: the
Python generator behind it resumes once a block, not once a draw."""


def buffered(draw: Callable[[int], np.ndarray]) -> Sampler:
    """A sampler handing out, one by one, blocks of :data:`BLOCK` draws of ``draw(n)``.

    Every number a run draws is a duration, a value, a share or an index: finite and
    never negative. Each block is checked (two vectorised reductions per block, about a
    nanosecond a draw), so that no NaN or infinity can reach the event heap, where it
    would stall the clock and quietly end the run early. The schema's bounds
    (:mod:`orgsim.scenario.limits`) keep every draw finite; this is the one guard behind them.
    """

    def blocks() -> Iterator[list[float]]:
        while True:
            block = draw(BLOCK)
            _check_finite(block.min(), block.max())
            yield block.tolist()

    return chain.from_iterable(blocks()).__next__


def constant(value: float) -> Sampler:
    """A sampler of one value: draws nothing from any stream."""
    _check_finite(value, value)
    return repeat(value).__next__


def exponential_sampler(rng: np.random.Generator, mean: float) -> Sampler:
    """Exponential draws with ``mean``, for rates the model derives (not a scenario's spec).

    The same draws as ``Exponential(mean=mean).sampler(rng)``, without its bounds: a
    derived mean (a spell at work between rare absences) may lie beyond a scenario's.
    """
    return buffered(lambda n: rng.exponential(mean, n))


def _check_finite(low: float, high: float) -> None:
    if not (low >= 0 and high < math.inf):  # written so that NaN fails it too
        raise FloatingPointError(
            f"a draw of {low if not low >= 0 else high} is no finite, non-negative number: "
            "the scenario's bounds should have prevented it (please report this)"
        )


def uniform_sampler(rng: np.random.Generator) -> Sampler:
    """Uniform draws on [0, 1), for Bernoulli decisions."""
    return buffered(rng.random)


def choice_sampler(rng: np.random.Generator, probabilities: list[float]) -> Sampler:
    """Draws an index (an int) with the given relative probabilities."""
    total = math.fsum(probabilities)
    p = [share / total for share in probabilities]
    return buffered(lambda n: rng.choice(len(p), size=n, p=p))


def integer_sampler(rng: np.random.Generator, high: int) -> Sampler:
    """Uniform integers in ``[0, high)``."""
    return buffered(lambda n: rng.integers(0, high, n))

"""Probability distributions of a scenario, and the fast samplers a run draws from.

A scenario names every random quantity as a distribution with a family and its
parameters (``{dist: lognormal, mean: 2, cv: 0.5}``); a bare number means a
deterministic value. The spec is data (frozen, validated); a run turns it into a
:class:`Sampler` bound to one of the run's random streams.

Samplers draw in blocks of :data:`BLOCK` numbers with one vectorised numpy call
and hand them out one by one: a scalar numpy draw costs about a microsecond, a
buffered one a small fraction of that, and the hot path draws several per event.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PositiveFloat, model_validator

BLOCK = 2048
"""How many numbers a sampler draws from its generator at a time."""


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    cap: float | None = Field(
        default=None, description="Largest value a draw may take (draws above are clipped)."
    )

    @property
    def upper_bound(self) -> float:
        """Largest value a draw can take (``inf`` for unbounded families without a cap)."""
        return self.cap if self.cap is not None else math.inf

    def sampler(self, rng: np.random.Generator) -> Sampler:
        """A sampler of this distribution that draws from ``rng``."""
        draw = self._draw_block(rng)
        if self.cap is not None:
            cap = self.cap
            return Sampler(lambda n: np.minimum(draw(n), cap), repr(self))
        return Sampler(draw, repr(self))

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v}" for k, v in self.model_dump(exclude_none=True).items())
        return f"{type(self).__name__}({fields})"


class Deterministic(_Dist):
    """Always the same value."""

    dist: Literal["deterministic"] = "deterministic"
    value: float = Field(ge=0)

    @property
    def mean(self) -> float:
        """The value itself."""
        return self.value

    @property
    def upper_bound(self) -> float:  # noqa: D102
        return min(self.value, self.cap) if self.cap is not None else self.value

    def sampler(self, rng: np.random.Generator) -> Sampler:  # noqa: D102
        return Constant(min(self.value, self.upper_bound))


class Exponential(_Dist):
    """Exponential with the given mean (memoryless: Poisson processes, M/M/c service)."""

    dist: Literal["exponential"] = "exponential"
    mean: PositiveFloat

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        mean = self.mean
        return lambda n: rng.exponential(mean, n)


class Lognormal(_Dist):
    """Lognormal given by its mean and coefficient of variation (skewed work times, values)."""

    dist: Literal["lognormal"] = "lognormal"
    mean: PositiveFloat
    cv: float = Field(gt=0, description="Standard deviation divided by the mean.")

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        sigma = math.sqrt(math.log1p(self.cv**2))
        mu = math.log(self.mean) - sigma**2 / 2
        return lambda n: rng.lognormal(mu, sigma, n)


class Gamma(_Dist):
    """Gamma given by its mean and coefficient of variation (cv 1 is the exponential)."""

    dist: Literal["gamma"] = "gamma"
    mean: PositiveFloat
    cv: float = Field(gt=0, description="Standard deviation divided by the mean.")

    def _draw_block(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        shape = 1 / self.cv**2
        scale = self.mean / shape
        return lambda n: rng.gamma(shape, scale, n)


class Uniform(_Dist):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"] = "uniform"
    low: float = Field(ge=0)
    high: float = Field(ge=0)

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


def _number_is_deterministic(value: object) -> object:
    """Let a scenario write ``3`` for ``{dist: deterministic, value: 3}``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "deterministic", "value": value}
    return value


Distribution = Annotated[
    Deterministic | Exponential | Lognormal | Gamma | Uniform,
    Field(discriminator="dist"),
    BeforeValidator(_number_is_deterministic),
]
"""Any distribution of a scenario: a mapping with ``dist`` naming the family, or a number."""


class Sampler:
    """Draws one number at a time from a block-buffered vectorised generator call."""

    __slots__ = ("_buffer", "_draw", "_label")

    def __init__(self, draw: Callable[[int], np.ndarray], label: str = "") -> None:
        self._draw = draw
        self._buffer: list[float] = []
        self._label = label

    def __call__(self) -> float:
        """The next draw."""
        buffer = self._buffer
        if not buffer:
            # Reversed so that pop() hands the block out in the order it was drawn.
            buffer.extend(self._draw(BLOCK)[::-1].tolist())
        return buffer.pop()

    def __repr__(self) -> str:
        return f"Sampler({self._label})"


class Constant(Sampler):
    """A sampler of a deterministic value: draws nothing from any stream."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        super().__init__(lambda n: np.full(n, value), f"Constant({value})")
        self.value = value

    def __call__(self) -> float:
        """The value."""
        return self.value


def uniform_sampler(rng: np.random.Generator) -> Sampler:
    """Uniform draws on [0, 1), for Bernoulli decisions."""
    return Sampler(rng.random, "uniform(0, 1)")


def choice_sampler(rng: np.random.Generator, probabilities: list[float]) -> Sampler:
    """Draws an index with the given probabilities (returned as a float-free int)."""
    p = np.asarray(probabilities, dtype=float)
    p = p / p.sum()
    return Sampler(lambda n: rng.choice(len(p), size=n, p=p), f"choice({len(p)})")


def integer_sampler(rng: np.random.Generator, high: int) -> Sampler:
    """Uniform integers in ``[0, high)``."""
    return Sampler(lambda n: rng.integers(0, high, n), f"integers(0, {high})")

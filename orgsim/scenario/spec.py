"""The base of every part of a scenario, and the small types its parts share."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from orgsim.scenario.distributions import Distribution

Probability = float
"""A share or a chance, in [0, 1] (checked by :func:`probability` fields)."""


def probability(description: str, default: float | None = None) -> object:
    """A field holding a share or a chance in [0, 1], required unless given a default."""
    if default is None:
        return Field(ge=0, le=1, description=description)
    return Field(default=default, ge=0, le=1, description=description)


SPEC_CONFIG = ConfigDict(
    frozen=True, extra="forbid", allow_inf_nan=False, strict=True, defer_build=True
)
"""Frozen; unknown keys refused; no NaN or infinity; no coercion (``true`` is no count,
``"yes"`` no switch, ``"90"`` no number: the README promises a mistake is an error)."""


class Spec(BaseModel):
    """Base of every part of a scenario: frozen, and strict about keys and types."""

    model_config = SPEC_CONFIG


Mandate = Annotated[float, Field(ge=0, allow_inf_nan=True)] | None
"""A largest value someone may decide: a number (``.inf`` allowed), or null for unlimited."""


def mandate_limit(mandate: float | None) -> float:
    """A mandate as a number to compare values with: null (unlimited) is infinity."""
    return math.inf if mandate is None else mandate


def within_unit_interval(value: Distribution, what: str) -> Distribution:
    """A distribution of a probability (skill, trust) must not draw above 1."""
    if value.upper_bound > 1:
        raise ValueError(
            f"{what} is a probability, but this distribution can draw up to "
            f"{value.upper_bound:g}: keep it within [0, 1] (cap it with `cap: 1`)"
        )
    return value

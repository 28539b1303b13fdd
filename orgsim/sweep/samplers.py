"""How an experiment samples its parameters: every sampler draws in the unit hypercube.

As EMA Workbench's ``samplers.py``: a full factorial grid, or SALib's Latin hypercube,
Saltelli's Sobol design and Morris trajectories, each with the number of points it draws
known before it draws them (:meth:`size`), so that a design is bounded before it exists.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

__all__ = ["Data", "Grid", "LatinHypercube", "Morris", "Sampler", "Sobol"]


class Data(BaseModel):
    """Base of the experiment's parts: frozen, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Grid(Data):
    """Full factorial: every setting of every parameter with every other."""

    method: Literal["grid"]


class LatinHypercube(Data):
    """A Latin hypercube of ``samples`` points (McKay, Beckman & Conover 1979)."""

    method: Literal["lhs"]
    samples: PositiveInt

    def size(self, variables: int) -> int:
        """Points it draws over ``variables`` parameters."""
        return self.samples

    def unit_sample(self, problem: dict[str, Any], seed: int) -> np.ndarray:
        """``samples`` points in the unit hypercube."""
        from SALib.sample import latin

        return latin.sample(problem, self.samples, seed=seed)


class Sobol(Data):
    """Saltelli's design for Sobol indices: ``samples`` x (2d + 2) points (Saltelli 2002)."""

    method: Literal["sobol"]
    samples: PositiveInt = Field(description="Base sample size N, a power of two.")
    second_order: bool = False

    @model_validator(mode="after")
    def _power_of_two(self) -> Self:
        if self.samples & (self.samples - 1):
            raise ValueError(
                f"sobol samples must be a power of two (Sobol sequences), found {self.samples}"
            )
        return self

    def size(self, variables: int) -> int:
        """Points it draws over ``variables`` parameters (SALib's ``sobol.sample``)."""
        return self.samples * (2 * variables + 2 if self.second_order else variables + 2)

    def unit_sample(self, problem: dict[str, Any], seed: int) -> np.ndarray:
        """The Saltelli sample in the unit hypercube."""
        from SALib.sample import sobol

        return sobol.sample(
            problem, self.samples, calc_second_order=self.second_order, scramble=True, seed=seed
        )


class Morris(Data):
    """Morris' elementary effects: ``trajectories`` x (d + 1) points (Morris 1991)."""

    method: Literal["morris"]
    trajectories: PositiveInt
    levels: int = Field(default=4, ge=2, le=1000, description="Grid levels p, an even number.")

    @model_validator(mode="after")
    def _even(self) -> Self:
        if self.levels % 2:
            raise ValueError(
                f"morris levels must be an even number (Morris' design is balanced only "
                f"then; SALib warns that its indices may be biased), found {self.levels}: "
                f"use {self.levels - 1 if self.levels > 2 else 2} or {self.levels + 1}"
            )
        return self

    def size(self, variables: int) -> int:
        """Points it draws over ``variables`` parameters: one trajectory is d + 1 points."""
        return self.trajectories * (variables + 1)

    def unit_sample(self, problem: dict[str, Any], seed: int) -> np.ndarray:
        """The trajectories in the unit hypercube."""
        from SALib.sample import morris

        return morris.sample(problem, self.trajectories, num_levels=self.levels, seed=seed)


Sampler = Annotated[Grid | LatinHypercube | Sobol | Morris, Field(discriminator="method")]

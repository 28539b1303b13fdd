"""What the request life keeps besides requests: its random streams and its running totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass
class Streams:
    """The run's independent random streams, spawned from its one seed."""

    demand: np.random.Generator
    work: np.random.Generator
    decisions: np.random.Generator
    people: np.random.Generator

    @classmethod
    def spawn(cls, rng: np.random.Generator) -> Streams:
        """Four children of ``rng``: same seed, same streams, in this fixed order."""
        return cls(*rng.spawn(4))


class AnswerListener(Protocol):
    """Told of every answer a customer receives (CRM monitoring, retrospectives)."""

    def record(self, team: int, response_h: float, right: bool, satisfaction: float) -> None:
        """One answer of ``team``: its response time, whether right, the customer's mood."""


@dataclass(slots=True)
class Counts:
    """Running totals of the request life (all since the start, warm-up included)."""

    created: int = 0
    resolved: int = 0
    abandoned: int = 0
    in_flight: int = 0
    dropped: int = 0  # requests drawn for customers who had already left
    churned: int = 0
    satisfaction_sum: float = 0.0
    interval_answers: int = 0
    interval_response_h: float = 0.0

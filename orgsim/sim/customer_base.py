"""A customer base that lives: new accounts arrive, satisfied customers refer others.

Without arrivals, customers only leave, and every figure drifts with the horizon.
New accounts arrive as a Poisson process; satisfied customers raise the rate by word
of mouth, up to a market size, as in Bass's (1969) diffusion model ("A New Product
Growth for Model Consumer Durables", Management Science 15:5), so that a long run
reaches a steady state where arrivals balance churn.

Common random numbers: the arrival rate depends on satisfaction, which depends on
the structure, so arrivals are made by thinning (Lewis & Shedler 1979). Candidate
arrivals are drawn in advance, at the highest rate, from a child of the demand
stream; each candidate owns one account slot and one uniform number, and is let in
when that number falls under the current rate's share of the highest. Every
structure run with one seed sees the very same candidates, slots and requests; they
differ only in which candidates referrals let in. The request process covers every
slot from the start, and requests of slots not (yet) taken are drawn and dropped,
like those of customers who have left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from orgsim.scenario.mechanisms import NewCustomers
    from orgsim.sim.agents import Accounts
    from orgsim.sim.engine import EventLoop


@dataclass(frozen=True)
class Candidates:
    """Candidate arrivals of new accounts: their times and their thinning numbers."""

    times_h: np.ndarray
    uniforms: np.ndarray

    @classmethod
    def draw(cls, highest_per_h: float, horizon_h: float, rng: np.random.Generator) -> Candidates:
        """A Poisson process of rate ``highest_per_h`` on [0, horizon): count, then places."""
        count = int(rng.poisson(highest_per_h * horizon_h))
        return cls(np.sort(rng.uniform(0.0, horizon_h, count)), rng.uniform(size=count))

    def __len__(self) -> int:
        return len(self.times_h)


class Headcount:
    """Active customers now, and their time average since a reset: the base of yearly churn."""

    def __init__(self, active: int) -> None:
        self.active = active
        self._area = 0.0
        self._since_h = self._last_h = 0.0

    def change(self, now_h: float, delta: int) -> None:
        """``delta`` customers join (positive) or leave (negative) at ``now_h``."""
        self._area += self.active * (now_h - self._last_h)
        self._last_h = now_h
        self.active += delta

    def reset(self, now_h: float) -> None:
        """Start averaging afresh (at the end of the warm-up)."""
        self.change(now_h, 0)
        self._area, self._since_h = 0.0, now_h

    def mean(self, now_h: float) -> float:
        """Time-average number of active customers since the last reset."""
        self.change(now_h, 0)
        span = now_h - self._since_h
        return self._area / span if span > 0 else float(self.active)


class Referrers:
    """Active customers whose satisfaction reaches the referral threshold, counted as it changes.

    Recounting every account at each candidate arrival made a run quadratic in its
    account slots (400,000 candidates: minutes); the request life reports each change of
    an active customer's satisfaction and each departure, the newcomers each arrival.
    """

    def __init__(self, threshold: float, accounts: Accounts) -> None:
        self.threshold = threshold
        self.count = satisfied(accounts, threshold)

    def moved(self, before: float, after: float) -> None:
        """An active customer's satisfaction went from ``before`` to ``after``."""
        self.count += (after >= self.threshold) - (before >= self.threshold)

    def joined(self, satisfaction: float) -> None:
        """A customer of this satisfaction arrived."""
        self.count += satisfaction >= self.threshold

    def left(self, satisfaction: float) -> None:
        """A customer of this satisfaction left."""
        self.count -= satisfaction >= self.threshold


def satisfied(accounts: Accounts, threshold: float) -> int:
    """Active customers whose satisfaction reaches ``threshold``, counted over every slot."""
    satisfaction = np.frombuffer(accounts.satisfaction, dtype=float)
    active = np.frombuffer(accounts.active, dtype=np.uint8).astype(bool)
    return int(np.count_nonzero(active & (satisfaction >= threshold)))


class Newcomers:
    """Lets candidate accounts in by thinning, at the rate the customer base sets.

    Args:
        spec: the scenario's ``demand.new_customers``.
        loop: the event loop.
        accounts: every account slot; candidates take slots ``first_slot`` onwards.
        candidates: drawn at the spec's highest rate (``highest_per_day``).
        hours_per_day: converts the spec's daily rates.
        admit: called with a slot when its customer arrives.
    """

    def __init__(
        self,
        spec: NewCustomers,
        loop: EventLoop,
        accounts: Accounts,
        candidates: Candidates,
        first_slot: int,
        hours_per_day: float,
        admit: Callable[[int], None],
    ) -> None:
        self.spec = spec
        self.loop = loop
        self.accounts = accounts
        self.candidates = candidates
        self.first_slot = first_slot
        self.market = spec.market_size or first_slot
        self.highest_per_day = spec.highest_per_day(first_slot)
        self.admit = admit
        self.arrived = 0
        self.referrers = (
            Referrers(spec.referral_threshold, accounts)
            if spec.referrals_per_customer_per_day > 0
            else None
        )

    def start(self) -> None:
        """Schedule the first candidate."""
        if len(self.candidates):
            self.loop.schedule(float(self.candidates.times_h[0]), self._candidate, 0)

    def _candidate(self, index: int) -> None:
        if self.candidates.uniforms[index] * self.highest_per_day < self.rate_per_day():
            self.arrived += 1
            slot = self.first_slot + index
            self.admit(slot)
            if self.referrers is not None:
                self.referrers.joined(self.accounts.satisfaction[slot])
        if index + 1 < len(self.candidates):
            self.loop.schedule(
                float(self.candidates.times_h[index + 1]), self._candidate, index + 1
            )

    def rate_per_day(self) -> float:
        """New accounts a day now: the base rate plus satisfied customers' referrals."""
        if self.referrers is None:
            return self.spec.per_day
        return self.spec.per_day + self.spec.referrals_per_customer_per_day * min(
            self.referrers.count, self.market
        )

"""What drives a difference: a factorial design over factors, and Shapley values.

Between a baseline A and a scenario B lie the factors they differ in
(:mod:`~orgsim.compare.factors`). A *mix* takes A and sets some factors to B's values;
running every mix over the same seeds (common random numbers) gives each figure's value
``v(S)`` per seed for each set S of factors switched. The Shapley value of a factor is
its marginal effect ``v(S + f) - v(S)`` averaged over every order in which the factors
could be switched one by one from A to B (Shapley 1953); each order's steps add up to
``v(B) - v(A)``, so the contributions add up to the total difference exactly, seed by
seed. Computed per seed and then averaged, each contribution has a Student-t 95%
interval over the replications.

**Refused mixes.** Some mixes are no valid organisation (a team mandate of 100,000
under a hierarchy's team lead whose mandate is 5,000: mandates must not shrink going
up). They are not run and not skipped silently: the design lists them with the
schema's reason, and the Shapley average is taken over the orders of switching that
pass only through valid mixes (every such order still adds up to the total). Where no
order does, the factors must be regrouped (``--factor``) and the error says so.

**Size.** Up to :data:`FULL_UP_TO` factors, the full 2^k design: every mix, every
order. Beyond, a sampled design: :data:`SAMPLED_ORDERS` random orders in antithetic
pairs (an order and its reverse, which lowers the sampling variance; Castro et al.
2009), and only the mixes on their way. The report says which; the intervals of a
sampled design cover the replications' noise, not the choice of orders.

**Interactions.** In the full design, the Shapley interaction index of each pair
(Grabisch & Roubens 1999): ``v(S+i+j) - v(S+i) - v(S+j) + v(S)`` averaged over the
sets S of the other factors, weighted ``|S|! (k-|S|-2)! / (k-1)!`` (over the valid
mixes only, reweighted).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from orgsim.compare.analysis import interval
from orgsim.compare.factors import Factor

FULL_UP_TO = 6
"""The most factors run as a full 2^k design (64 mixes); beyond, a sampled design."""

SAMPLED_ORDERS = 8
"""Orders of switching drawn in a sampled design (in antithetic pairs)."""

INTERACTIONS_SHOWN = 3
"""Two-factor interactions kept per figure: the largest in size."""

COLUMNS = ["baseline", "scenario", "figure", "factor", "contribution", "ci_low", "ci_high"]


@dataclass
class Design:
    """Which mixes to run, which the schema refused, and each factor's weights over them.

    Attributes:
        factors: the factors, in order; mask bit i is factor i.
        masks: the mixes to run (bit masks), the baseline (0) and the scenario (all) first.
        refused: mixes the schema refused, each with its reason.
        weights: ``weights[i] @ v`` is factor i's Shapley value, ``v`` over ``masks``.
        orders: orders of switching averaged over.
        full: whether every mix and every order was used.
    """

    factors: list[Factor]
    masks: list[int]
    refused: dict[int, str]
    weights: np.ndarray
    orders: int
    full: bool
    valid: set[int] = field(default_factory=set)

    @property
    def everything(self) -> int:
        """The mask with every factor switched: the scenario B."""
        return (1 << len(self.factors)) - 1

    def names(self, mask: int) -> list[str]:
        """The factors switched in ``mask``."""
        return [f.name for i, f in enumerate(self.factors) if mask >> i & 1]


def plan(
    factors: Sequence[Factor],
    valid: Callable[[int], str | None],
    seed: int = 1,
    full_up_to: int = FULL_UP_TO,
    sampled_orders: int = SAMPLED_ORDERS,
) -> Design:
    """The design over ``factors``: which mixes, which orders, the Shapley weights.

    Args:
        factors: the factors A and B differ in.
        valid: a mix's mask -> None where the schema accepts it, else the reason.
        seed: draws the orders of a sampled design.
        full_up_to: the most factors for a full design.
        sampled_orders: orders drawn in a sampled design.

    Raises:
        ValueError: no order of switching passes through valid mixes only.
    """
    k = len(factors)
    checked: dict[int, str | None] = {0: None, (1 << k) - 1: None}

    def ok(mask: int) -> bool:
        if mask not in checked:
            checked[mask] = valid(mask)
        return checked[mask] is None

    full = k <= full_up_to
    if full:
        for mask in range(1 << k):
            ok(mask)
        orders = [o for o in itertools.permutations(range(k)) if _passes(o, ok)]
    else:
        orders = _sampled(k, ok, seed, sampled_orders)
    if not orders:
        raise ValueError("every order of switching the factors passes through a refused mix")
    weights: dict[int, np.ndarray] = {}
    for order in orders:
        mask = 0
        for factor in order:
            after = mask | 1 << factor
            weights.setdefault(after, np.zeros(k))[factor] += 1 / len(orders)
            weights.setdefault(mask, np.zeros(k))[factor] -= 1 / len(orders)
            mask = after
    valid_masks = {m for m, reason in checked.items() if reason is None}
    used = set(weights) | (valid_masks if full else set())
    masks = [0, (1 << k) - 1, *sorted(used - {0, (1 << k) - 1})]
    matrix = np.array([[weights.get(m, np.zeros(k))[i] for m in masks] for i in range(k)])
    refused = {m: r for m, r in checked.items() if r is not None}
    return Design(list(factors), masks, refused, matrix, len(orders), full, valid_masks)


def _passes(order: Sequence[int], ok: Callable[[int], bool]) -> bool:
    mask = 0
    for factor in order:
        mask |= 1 << factor
        if not ok(mask):
            return False
    return True


def _sampled(k: int, ok: Callable[[int], bool], seed: int, wanted: int) -> list[tuple[int, ...]]:
    """Up to ``wanted`` valid orders, drawn in antithetic pairs (tries are bounded)."""
    rng = np.random.default_rng(seed)
    orders: list[tuple[int, ...]] = []
    for _ in range(50 * wanted):
        order = tuple(int(i) for i in rng.permutation(k))
        for candidate in (order, order[::-1]):
            if len(orders) < wanted and _passes(candidate, ok):
                orders.append(candidate)
        if len(orders) >= wanted:
            break
    return orders


def shapley(design: Design, values: np.ndarray) -> np.ndarray:
    """Each factor's contribution per seed: ``values`` is (mixes in ``design.masks``, seeds)."""
    return design.weights @ values


def interactions(design: Design, values: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    """The Shapley interaction index of each pair of factors, per seed (full design only)."""
    if not design.full:
        return {}
    k = len(design.factors)
    row = {m: i for i, m in enumerate(design.masks)}
    found = {}
    for i, j in itertools.combinations(range(k), 2):
        others = [f for f in range(k) if f not in (i, j)]
        total, weight = np.zeros(values.shape[1]), 0.0
        for size in range(len(others) + 1):
            w = math.factorial(size) * math.factorial(k - size - 2) / math.factorial(k - 1)
            for subset in itertools.combinations(others, size):
                s = sum(1 << f for f in subset)
                corners = (s | 1 << i | 1 << j, s | 1 << i, s | 1 << j, s)
                if all(c in row for c in corners):
                    a, b, c, d = (values[row[c]] for c in corners)
                    total += w * (a - b - c + d)
                    weight += w
        if weight > 0:
            found[i, j] = total / weight
    return found


def table(
    design: Design, values: Mapping[str, np.ndarray], baseline: str, scenario: str
) -> pd.DataFrame:
    """The attribution as rows of :data:`COLUMNS`: factors, the total, interactions.

    Args:
        design: the design run.
        values: figure -> (mixes, seeds) array; seeds with a failed mix are left out.
        baseline: A's name.
        scenario: B's name.
    """
    rows = []
    for figure, matrix in values.items():
        kept = matrix[:, ~np.isnan(matrix).any(axis=0)]
        total = kept[1] - kept[0]  # masks[1] is B, masks[0] is A
        parts = _clean(shapley(design, kept), kept)
        for factor, per_seed in zip(design.factors, parts, strict=True):
            rows.append(_row(baseline, scenario, figure, factor.label, per_seed))
        rows.append(_row(baseline, scenario, figure, "total", total))
        pairs = interactions(design, kept)
        largest = sorted(pairs.items(), key=lambda item: -abs(float(np.mean(item[1]))))
        for (i, j), per_seed in largest[:INTERACTIONS_SHOWN]:
            name = f"interaction: {design.factors[i].name} with {design.factors[j].name}"
            rows.append(_row(baseline, scenario, figure, name, per_seed))
    return pd.DataFrame(rows, columns=COLUMNS)


def _clean(parts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Rounding noise of the weighted sums (1e-16 of the figure) as the zero it is."""
    scale = float(np.max(np.abs(values))) if values.size else 0.0
    return np.where(np.abs(parts) <= 1e-12 * scale, 0.0, parts)


def _row(baseline: str, scenario: str, figure: str, factor: str, per_seed: np.ndarray) -> dict:
    low, high = interval(per_seed)
    mean = float(np.mean(per_seed)) if len(per_seed) else math.nan
    return dict(zip(COLUMNS, [baseline, scenario, figure, factor, mean, low, high], strict=True))


@dataclass
class Explained:
    """One scenario's difference to the baseline, attributed to its factors.

    Attributes:
        baseline: A's name.
        scenario: B's name.
        design: the design run (factors, mixes, refused mixes, orders).
        table: rows of :data:`COLUMNS`.
        runs: runs the design took (those found in the folder included).
    """

    baseline: str
    scenario: str
    design: Design
    table: pd.DataFrame
    runs: int

    def describe(self) -> str:
        """The design in words, for the report and the terminal."""
        k, mixes = len(self.design.factors), len(self.design.masks)
        kind = (
            f"the full 2^{k} design ({mixes} of {2**k} mixes valid)"
            if self.design.full
            else f"a sampled design: {self.design.orders} random orders of switching "
            f"(antithetic pairs) through {mixes} mixes, since {k} factors make {2**k}"
        )
        refused = len(self.design.refused)
        text = (
            f"{self.scenario} against {self.baseline}: {k} factors, {kind}; "
            f"{self.runs} runs with common seeds"
        )
        if refused:
            text += (
                f"; {refused} mix(es) the schema refuses are not run, and the Shapley values "
                f"average over the {self.design.orders} orders of switching that pass only "
                "through valid mixes"
            )
        return text

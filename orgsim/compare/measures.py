"""The figures a comparison reports: label, unit, and which direction is better.

A board reads "2.4 h, lower is better" faster than a bare number, and a difference
of two shares is in percentage points, not percent: each :class:`Measure` formats
its values and differences accordingly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from orgsim.results.tables import LABELS

LOWER, NEITHER, HIGHER = -1, 0, 1
SCALES = {"%": 100.0, "kEUR": 1e-3}
"""How a unit shows a figure: shares in percent, euro in thousands."""


@dataclass(frozen=True)
class Measure:
    """One summary figure as a comparison shows it.

    Attributes:
        key: the summary key (:data:`orgsim.results.metrics.SUMMARY_KEYS`).
        unit: ``"h"`` (hours), ``"%"`` (a share, shown as a percentage), ``"kEUR"``
            (euro, shown in thousands with separators, so that it fits a table) or ``""``.
        better: :data:`LOWER`, :data:`HIGHER` or :data:`NEITHER` is better.
        digits: decimals shown.
        title: the label, where the run's summary has none (a figure derived here).
    """

    key: str
    unit: str
    better: int
    digits: int
    title: str = ""

    @property
    def label(self) -> str:
        """The figure's name for people, e.g. ``"response time, mean (h)"``."""
        label = self.title or LABELS[self.key][0]
        return label.replace("(EUR)", "(kEUR)") if self.unit == "kEUR" else label

    @property
    def name(self) -> str:
        """The label in a sentence: without the unit its values carry anyway."""
        return self.label.removesuffix(" (h)").removesuffix(" (kEUR)")

    @property
    def hint(self) -> str:
        """``"lower is better"``, ``"higher is better"`` or ``""``."""
        return {LOWER: "lower is better", HIGHER: "higher is better"}.get(self.better, "")

    def value(self, x: float) -> str:
        """A value with its unit: ``"3.79 h"``, ``"75.8%"``, ``"0.552"``."""
        if x is None or math.isnan(x):
            return "-"
        if self.unit == "%":
            return f"{100 * x:.{self.digits}f}%"
        return self.number(x) + (f" {self.unit}" if self.unit else "")

    def number(self, x: float, signed: bool = False) -> str:
        """The bare number, shares in percent (points): ``"75.8"``, ``"+5.7"``."""
        if x is None or math.isnan(x):
            return "-"
        scaled = x * SCALES.get(self.unit, 1.0)
        thousands = "," if self.unit == "kEUR" else ""
        return f"{scaled:{'+' if signed else ''}{thousands}.{self.digits}f}"

    def difference(self, x: float) -> str:
        """A signed difference with its unit: ``"-1.43 h"``, ``"+5.7 points"``."""
        if x is None or math.isnan(x):
            return "-"
        unit = {"%": " points", "": ""}.get(self.unit, f" {self.unit}")
        return self.number(x, signed=True) + unit

    @property
    def difference_unit(self) -> str:
        """The unit of a difference: percentage points for shares."""
        return {"%": "percentage points", "h": "hours", "kEUR": "thousand euro"}.get(
            self.unit, self.unit
        )

    def improves(self, difference: float) -> bool | None:
        """Whether a difference is for the better (``None`` where neither is better)."""
        if self.better == NEITHER or difference == 0:
            return None
        return (difference > 0) == (self.better == HIGHER)


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("response_time_mean_h", "h", LOWER, 2),
        Measure("response_time_p50_h", "h", LOWER, 2),
        Measure("response_time_p90_h", "h", LOWER, 2),
        Measure("response_time_p99_h", "h", LOWER, 1),
        Measure("escalation_rate", "%", NEITHER, 1),
        Measure("decision_accuracy", "%", HIGHER, 1),
        Measure("false_accept_rate", "%", LOWER, 1),
        Measure("false_reject_rate", "%", LOWER, 1),
        Measure("satisfaction_mean", "", HIGHER, 3),
        Measure("churn_rate", "%", LOWER, 1),
        Measure("manager_utilisation_mean", "%", NEITHER, 1),
        Measure("trust_mean", "", NEITHER, 3),
        Measure("management_hours_per_request", "h", LOWER, 3),
        Measure("management_headcount_share", "%", LOWER, 1),
        Measure("throughput_per_day", "", HIGHER, 1),
        Measure("churn_rate_yearly", "%", LOWER, 1),
        Measure("value_bad_accepted", "kEUR", LOWER, 0),
        Measure("value_good_rejected", "kEUR", LOWER, 0),
        Measure("value_customers_lost", "kEUR", LOWER, 0),
        Measure("value_lost", "kEUR", LOWER, 0),
        Measure("management_cost", "kEUR", LOWER, 0),
        Measure("cost_of_deciding", "kEUR", LOWER, 0),
        Measure("net_money", "kEUR", LOWER, 0, "net money lost (EUR)"),
    )
}
"""Every compared figure, in the order of the tables."""

HEADLINES: dict[str, tuple[str, ...]] = {
    "speed": ("response_time_mean_h", "response_time_p90_h"),
    "customers": ("churn_rate", "satisfaction_mean"),
    "decisions": ("decision_accuracy", "false_accept_rate"),
    "management cost": ("management_hours_per_request",),
    "money": ("net_money", "value_lost", "cost_of_deciding", "management_cost"),
}
"""The strategist's four questions and the figures that answer them, first the lead one."""

HEADLINE_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(k for keys in HEADLINES.values() for k in keys)
)
"""The verdict's figures: one family for the multiple-comparison adjustment."""

NET_MONEY = "net_money"
COST_SUFFIX = "_cost"
"""Summary keys of a cost of deciding end so (managers' pay: ``management_cost``): where
runs lack the model's own ``net_loss``, the net money figure sums them with value lost."""


def cost_keys(keys: Iterable[str]) -> list[str]:
    """The costs of deciding among ``keys``: those :data:`NET_MONEY` adds to value lost."""
    return [key for key in keys if key.endswith(COST_SUFFIX)]

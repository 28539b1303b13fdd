"""The figures a comparison reports: label, unit, and which direction is better.

A board reads "2.4 h, lower is better" faster than a bare number, and a difference
of two shares is in percentage points, not percent: each :class:`Measure` formats
its values and differences accordingly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from orgsim.results.tables import LABELS

LOWER, NEITHER, HIGHER = -1, 0, 1


@dataclass(frozen=True)
class Measure:
    """One summary figure as a comparison shows it.

    Attributes:
        key: the summary key (:data:`orgsim.results.metrics.SUMMARY_KEYS`).
        unit: ``"h"`` (hours), ``"%"`` (a share, shown as a percentage) or ``""``.
        better: :data:`LOWER`, :data:`HIGHER` or :data:`NEITHER` is better.
        digits: decimals shown.
    """

    key: str
    unit: str
    better: int
    digits: int

    @property
    def label(self) -> str:
        """The figure's name for people, e.g. ``"response time, mean (h)"``."""
        return LABELS[self.key][0]

    @property
    def name(self) -> str:
        """The label in a sentence: without the unit its values carry anyway."""
        return self.label.removesuffix(" (h)")

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
        return f"{x:.{self.digits}f}" + (f" {self.unit}" if self.unit else "")

    def number(self, x: float, signed: bool = False) -> str:
        """The bare number, shares in percent (points): ``"75.8"``, ``"+5.7"``."""
        if x is None or math.isnan(x):
            return "-"
        scaled = 100 * x if self.unit == "%" else x
        return f"{scaled:{'+' if signed else ''}.{self.digits}f}"

    def difference(self, x: float) -> str:
        """A signed difference with its unit: ``"-1.43 h"``, ``"+5.7 points"``."""
        if x is None or math.isnan(x):
            return "-"
        unit = {"%": " points", "": ""}.get(self.unit, f" {self.unit}")
        return self.number(x, signed=True) + unit

    @property
    def difference_unit(self) -> str:
        """The unit of a difference: percentage points for shares."""
        return {"%": "percentage points", "h": "hours"}.get(self.unit, self.unit)

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
    )
}
"""Every compared figure, in the order of the tables."""

HEADLINES: dict[str, tuple[str, ...]] = {
    "speed": ("response_time_mean_h", "response_time_p90_h"),
    "customers": ("churn_rate", "satisfaction_mean"),
    "decisions": ("decision_accuracy", "false_accept_rate"),
    "management cost": ("management_hours_per_request",),
}
"""The strategist's four questions and the figures that answer them, first the lead one."""

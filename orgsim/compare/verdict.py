"""The comparison in plain words: faster, keeps more customers, decides better, at what cost.

One :class:`Finding` per question and scenario against the baseline, each with its
95% interval; where the interval contains zero the finding says the scenarios
cannot be told apart, and how many replications would tell them apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from orgsim.compare.measures import HEADLINES, MEASURES, Measure

QUESTIONS = {
    "speed": ("answers faster", "answers slower"),
    "customers": ("keeps more customers", "keeps fewer customers"),
    "decisions": ("decides better", "decides worse"),
    "management cost": ("costs less management", "costs more management"),
    "money": ("loses less money", "loses more money"),
}


@dataclass(frozen=True)
class Finding:
    """One answer: a topic, a sentence, and whether it is for the better.

    Attributes:
        topic: one of :data:`QUESTIONS`.
        scenario: the scenario compared with the baseline.
        text: the plain-language sentence, intervals included.
        better: True (better than the baseline), False (worse), None (cannot tell).
    """

    topic: str
    scenario: str
    text: str
    better: bool | None


def findings(summary: pd.DataFrame, order: list[str], replications: int) -> list[Finding]:
    """Each question answered for each scenario against the baseline (the first).

    A question whose figures the summary does not hold (a table of chosen figures) is
    left out, not answered with a guess.
    """
    table = summary.set_index(["scenario", "figure"])
    held = set(summary["figure"])
    return [
        _finding(table, topic, name, order[0], replications)
        for name in order[1:]
        for topic, keys in HEADLINES.items()
        if held.issuperset(keys)
    ]


def _finding(
    table: pd.DataFrame, topic: str, name: str, baseline: str, replications: int
) -> Finding:
    lead, *others = (MEASURES[key] for key in HEADLINES[topic])
    row = table.loc[(name, lead.key)]
    if not _resolved(row):
        return Finding(topic, name, _undecided(lead, row, name, baseline, replications), None)
    better = bool(lead.improves(row["diff"]))
    verb = QUESTIONS[topic][0 if better else 1]
    text = f"{name} {verb} than {baseline}: {_against(table, lead, name, baseline)}."
    for measure in others:
        also = table.loc[(name, measure.key)]
        text += f" {_against(table, measure, name, baseline, capital=True)}"
        text += "." if _resolved(also) else f"; {_cannot_tell(also, replications)}."
    return Finding(topic, name, text, better)


def _against(
    table: pd.DataFrame, measure: Measure, name: str, baseline: str, capital: bool = False
) -> str:
    """``"customers lost 0.2% against 2.5% (difference -2.2 points, 95% CI ...)"``."""
    row, base = table.loc[(name, measure.key)], table.loc[(baseline, measure.key)]
    label = measure.name.capitalize() if capital else measure.name
    return (
        f"{label} {measure.value(row['mean'])} against {measure.value(base['mean'])} "
        f"({_with_interval(measure, row)})"
    )


def _resolved(row: pd.Series) -> bool:
    low, high = row["diff_low"], row["diff_high"]
    return not (math.isnan(low) or math.isnan(high)) and (low > 0 or high < 0)


def _with_interval(measure: Measure, row: pd.Series) -> str:
    low, high = measure.number(row["diff_low"], True), measure.number(row["diff_high"], True)
    return (
        f"difference {measure.difference(row['diff'])}, 95% CI {low} to {high}, "
        f"{_p(row['p_value'])}"
    )


def _p(p: float) -> str:
    if math.isnan(p):
        return "p not available"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _undecided(measure: Measure, row: pd.Series, name: str, baseline: str, runs: int) -> str:
    if math.isnan(row["diff"]):
        return f"{measure.name.capitalize()}: no successful runs of both to compare."
    return (
        f"The intervals cannot tell {name} from {baseline} apart on {measure.name} "
        f"({_with_interval(measure, row)}); {_how_many(row, runs)}."
    )


def _cannot_tell(row: pd.Series, runs: int) -> str:
    if math.isnan(row["diff"]):
        return "no successful runs of both to compare"
    return f"the intervals cannot tell them apart: {_how_many(row, runs)}"


def _how_many(row: pd.Series, runs: int) -> str:
    needed = row["replications_needed"]
    if math.isnan(needed):
        return "no practical number of replications would, they are alike on this figure"
    return f"about {int(needed)} replications would (this comparison ran {runs})"

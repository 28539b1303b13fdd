"""The comparison in plain words: faster, keeps more customers, decides better, at what cost.

One :class:`Finding` per question and scenario against the baseline, each with its
95% interval. A question has several figures (speed: the mean and the 90th
percentile); each is told apart from zero or not by its Holm-adjusted p-value (the
verdict's figures are one family). Where all told-apart figures agree the finding is
better or worse; where some are better and some worse it is "mixed" and names both
sides, never a better with a worse figure left out; where none is told apart it says
how many replications would tell them apart. A scenario without a steady state is
not ranked at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from orgsim.compare.analysis import flag, resolved
from orgsim.compare.measures import HEADLINES, MEASURES, Measure

QUESTIONS = {
    "speed": ("answers faster", "answers slower"),
    "customers": ("keeps more customers", "keeps fewer customers"),
    "decisions": ("decides better", "decides worse"),
    "management cost": ("costs less management", "costs more management"),
    "money": ("loses less money", "loses more money"),
}


NET_LED = frozenset({"money"})
"""Questions whose lead figure is the sum of the others (net money: value lost plus the
cost of deciding): where it is told apart it answers the question, and a part going the
other way is named, not a reason to call it mixed; where it is not, the parts decide."""

STATUSES = ("better", "worse", "mixed", "unclear", "unstable")
"""A finding's standing: every told-apart figure better, or worse; some better and some
worse (``mixed``, both named); none told apart; or not ranked (no steady state)."""


@dataclass(frozen=True)
class Finding:
    """One answer: a topic, a sentence, and whether it is for the better.

    Attributes:
        topic: one of :data:`QUESTIONS`.
        scenario: the scenario compared with the baseline.
        text: the plain-language sentence, intervals included.
        better: True (better than the baseline), False (worse), None (mixed, cannot
            tell, or not ranked).
        status: one of :data:`STATUSES`.
        better_on: the figures told apart for the better (their names).
        worse_on: the figures told apart for the worse.
    """

    topic: str
    scenario: str
    text: str
    better: bool | None
    status: str = "unclear"
    better_on: tuple[str, ...] = ()
    worse_on: tuple[str, ...] = ()


def findings(
    summary: pd.DataFrame,
    order: list[str],
    replications: int,
    unstable: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Each question answered for each scenario against the baseline (the first).

    A question whose lead figure the summary does not hold (a table of chosen figures,
    a store from before a figure existed) is left out, not answered with a guess; its
    other figures are those the summary holds. A scenario in ``unstable`` (its name to why),
    or a baseline there, is not ranked: its averages depend on the horizon.
    """
    table = summary.set_index(["scenario", "figure"])
    held = set(summary["figure"])
    unstable = unstable or {}
    found = []
    for name in order[1:]:
        for topic, wanted in HEADLINES.items():
            keys = tuple(key for key in wanted if key in held)
            if not keys or keys[0] != wanted[0]:
                continue
            shaky = [n for n in (order[0], name) if n in unstable]
            if shaky:
                found.append(_not_ranked(topic, name, order[0], shaky, unstable))
            else:
                found.append(_finding(table, topic, keys, name, order[0], replications))
    return found


def _not_ranked(
    topic: str, name: str, baseline: str, shaky: list[str], unstable: Mapping[str, str]
) -> Finding:
    why = "; ".join(f"{n}: {unstable[n]}" for n in shaky)
    text = (
        f"Not ranked: no steady state, so the figures depend on the horizon ({why}). "
        f"{name} and {baseline} are not compared on {topic} averages."
    )
    return Finding(topic, name, text, None, "unstable")


def _finding(
    table: pd.DataFrame,
    topic: str,
    keys: tuple[str, ...],
    name: str,
    baseline: str,
    replications: int,
) -> Finding:
    measures = [MEASURES[key] for key in keys]
    rows = {m.key: table.loc[(name, m.key)] for m in measures}
    told = {m.key: m.improves(rows[m.key]["diff"]) for m in measures if resolved(rows[m.key])}
    sides = {True: [], False: []}
    for measure in measures:
        if told.get(measure.key) is not None:
            sides[told[measure.key]].append(measure)
    lead = measures[0]
    if not sides[True] and not sides[False]:
        text = _undecided(lead, rows[lead.key], name, baseline, replications)
        for measure in measures[1:]:
            text += f" {_against(table, measure, name, baseline, capital=True)}"
            text += f"; {_cannot_tell(rows[measure.key], replications)}."
        return Finding(topic, name, text, None, "unclear")
    on = (tuple(m.name for m in sides[True]), tuple(m.name for m in sides[False]))
    net = topic in NET_LED and lead.key in told
    if sides[True] and sides[False] and not net:
        text = _mixed(table, topic, name, baseline, sides)
        return Finding(topic, name, text, None, "mixed", *on)
    better = told[lead.key] if net else bool(sides[True])
    verb = QUESTIONS[topic][0 if better else 1]
    parts = []
    for measure in measures:
        part = _against(table, measure, name, baseline, capital=bool(parts))
        if measure.key not in told:
            part += f"; {_cannot_tell(rows[measure.key], replications)}"
        elif told[measure.key] != better:
            part += ", the other way: a part the net figure outweighs"
        parts.append(part + ".")
    text = f"{name} {verb} than {baseline}: " + " ".join(parts)
    return Finding(topic, name, text, better, "better" if better else "worse", *on)


def _mixed(
    table: pd.DataFrame, topic: str, name: str, baseline: str, sides: dict[bool, list[Measure]]
) -> str:
    """``"Mixed: b is better on X (...), but worse on Y (...)."``: both sides named."""

    def listed(measures: list[Measure]) -> str:
        return "; ".join(_against(table, m, name, baseline) for m in measures)

    return (
        f"Mixed on {topic}: {name} is better than {baseline} on {listed(sides[True])}, "
        f"but worse on {listed(sides[False])}."
    )


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


def _with_interval(measure: Measure, row: pd.Series) -> str:
    difference = f"difference {measure.difference(row['diff'])}"
    if flag(row.get("diff_fixed")):
        return f"{difference}, the same in every replication: a fixed input, not an estimate"
    low, high = measure.number(row["diff_low"], True), measure.number(row["diff_high"], True)
    return f"{difference}, 95% CI {low} to {high}, {_p(row)}"


def _p(row: pd.Series) -> str:
    """The p-value, Holm-adjusted where the figure is one of the verdict's."""
    p, holm = row["p_value"], row.get("p_holm")
    if math.isnan(p):
        return "p not available"
    text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    if holm is None or pd.isna(holm):
        return text
    return text + (", Holm-adjusted < 0.001" if holm < 0.001 else f", Holm-adjusted {holm:.3f}")


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
    if needed <= runs:  # its own interval excludes zero; Holm's adjustment does not
        return (
            "its own 95% interval excludes zero, but not after Holm's adjustment over the "
            "verdict's figures: more replications would tell"
        )
    if math.isnan(needed):
        return "no practical number of replications would, they are alike on this figure"
    return f"about {int(needed)} replications would (this comparison ran {runs})"

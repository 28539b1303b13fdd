"""The bottom line: one paragraph in words, on top of the report and the terminal output.

Which organisation to prefer on speed, customers, decisions and money, read from the
verdict's findings (so it never says more than they do): "prefer B" where every
figure told apart is better, "mixed" naming both sides where some are better and some
worse, "cannot tell" where none is told apart, and "not ranked" for a scenario without
a steady state. Money comes with the net figure: value lost plus every cost of deciding.
"""

from __future__ import annotations

import math

import pandas as pd

from orgsim.compare.analysis import flag, resolved
from orgsim.compare.comparison import Comparison
from orgsim.compare.measures import MEASURES, NET_MONEY
from orgsim.compare.verdict import Finding

QUESTIONS = ("speed", "customers", "decisions", "money")
"""The board's questions, in the order the paragraph answers them."""


def paragraph(comparison: Comparison) -> str:
    """The bottom line of ``comparison``, one paragraph ('' with a single scenario)."""
    if len(comparison.names) < 2:
        return ""
    found = [f for f in comparison.findings() if f.topic in QUESTIONS]
    baseline = comparison.names[0]
    summary = comparison.summary.set_index(["scenario", "figure"])
    clauses = [
        f"on {topic}, " + _answers([f for f in found if f.topic == topic], baseline, summary)
        for topic in QUESTIONS
        if any(f.topic == topic for f in found)
    ]  # a scenario without a steady state is named once, at the end
    text = "Bottom line: " + "; ".join(clauses) + "."
    net = _net(comparison)
    if net:
        text += " " + net
    said = {f.topic for f in found if _said(f, summary)}
    told = sorted(said, key=QUESTIONS.index)
    untold = {f.topic for f in found if f.status != "unstable"} - said
    untold = sorted(untold, key=QUESTIONS.index)
    if told:
        text += (
            f" The 95% intervals (Holm-adjusted over the verdict's figures) let us say so on "
            f"{_listed(told)}"
        )
        text += f"; on {_listed(untold)} they cannot tell." if untold else "."
    elif untold:
        text += f" The intervals cannot tell the scenarios apart on {_listed(untold)}."
    for name, why in comparison.unstable.items():
        text += f" {name} is not ranked: {why}."
    return text


def _said(finding: Finding, summary: pd.DataFrame) -> bool:
    """Whether the intervals let us say something on the finding's question."""
    if finding.status not in ("better", "worse", "mixed"):
        return False
    if finding.topic == "money" and finding.status != "mixed":
        return resolved(summary.loc[(finding.scenario, NET_MONEY)])
    return True


def _answers(found: list[Finding], baseline: str, summary: pd.DataFrame) -> str:
    """One question's answers for every scenario; those that cannot be told apart together."""
    alike = [f.scenario for f in found if f.status == "unclear"]
    ranked = [f for f in found if f.status not in ("unclear", "unstable")]
    parts = [_clause(f, baseline, summary) for f in ranked]
    if not alike and not parts:
        return "nothing is ranked (no steady state)"
    if alike:
        parts.append(f"{_listed(alike)} and {baseline} cannot be told apart")
    return ", ".join(parts)


def _clause(finding: Finding, baseline: str, summary: pd.DataFrame) -> str:
    name, topic = finding.scenario, finding.topic
    if topic == "money" and finding.status in ("better", "worse"):
        net = summary.loc[(name, NET_MONEY)]
        if not resolved(net):  # a part told apart, the sum not: no preference on money
            side = finding.better_on or finding.worse_on
            word = "lower" if finding.status == "better" else "higher"
            return (
                f"{name}'s {_listed(side)} is {word} than {baseline}'s, but the net figure "
                "cannot tell them apart"
            )
    if finding.status == "better":
        return f"prefer {name} to {baseline}"
    if finding.status == "worse":
        return f"prefer {baseline} to {name}"
    if finding.status == "mixed":
        return (
            f"mixed: {name} is better on {_listed(finding.better_on)} but worse on "
            f"{_listed(finding.worse_on)} than {baseline}"
        )
    if finding.status == "unstable":
        return f"{name} and {baseline} are not ranked (no steady state)"
    return f"{name} and {baseline} cannot be told apart"


def _listed(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _net(comparison: Comparison) -> str:
    """``"Net money lost (value lost + cost of deciding): a 859 kEUR, b 2,079 kEUR ..."``."""
    summary = comparison.summary.set_index(["scenario", "figure"])
    if (comparison.names[0], NET_MONEY) not in summary.index:
        return ""
    measure = MEASURES[NET_MONEY]
    values = ", ".join(
        f"{name} {measure.value(summary.loc[(name, NET_MONEY), 'mean'])}"
        for name in comparison.names
    )
    text = f"Net money lost (value lost + every cost of deciding): {values}"
    differences = [
        _difference(name, summary.loc[(name, NET_MONEY)]) for name in comparison.names[1:]
    ]
    return text + " (" + "; ".join(differences) + ")."


def _difference(name: str, row: pd.Series) -> str:
    measure = MEASURES[NET_MONEY]
    if math.isnan(row["diff"]):
        return f"{name}: no difference to compute"
    text = f"{name} {measure.difference(row['diff'])}"
    if flag(row["diff_fixed"]):
        return text + ", the same in every replication"
    low, high = measure.number(row["diff_low"], True), measure.number(row["diff_high"], True)
    return text + f", 95% CI {low} to {high}"

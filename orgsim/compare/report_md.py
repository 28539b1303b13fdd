"""The comparison report as Markdown, its figures linked from ``figures/``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from orgsim.compare import drivers
from orgsim.compare.measures import MEASURES, Measure
from orgsim.compare.report_html import difference_text, p_text
from orgsim.results.escaping import markdown_code, markdown_text

if TYPE_CHECKING:
    from orgsim.compare.content import Content


def render(content: Content) -> str:
    """The whole document."""
    comparison = content.comparison
    lines = [
        f"# Comparison: {' vs '.join(_cell(n) for n in comparison.names)}",
        "",
        f"{comparison.horizon}; {comparison.replications} replications per scenario with "
        "common random numbers; 95% intervals."
        + (f" **{_cell(comparison.overrides_text)}**" if comparison.overrides_text else ""),
        "",
        *([content.bottom_line, ""] if content.bottom_line else []),
        *_attribution(content),
        "## Verdict",
        "",
        *(f"- **{f.topic.capitalize()}.** {_cell(f.text)}" for f in content.findings),
        *_stability(content),
        *_failures(content),
        "",
        "## The figures",
        "",
        "Means with 95% intervals; differences to the baseline paired by seed (shares in "
        "percentage points).",
        "",
        *_table(content),
        "",
        "## Figures",
        "",
    ]
    for d in content.drawn:
        title = _cell(d.title)
        lines += [f"### {title}", "", f"![{title}](figures/{d.name}.png)", "", _cell(d.caption), ""]
    lines += _settings(content)
    lines += ["", "## How it was run", ""]
    lines += [f"- **{k}**: {_cell(v)}" for k, v in content.method]
    return "\n".join(lines) + "\n"


def _cell(text: object) -> str:
    return markdown_text(text)  # names, descriptions and labels are the writer's text


def _attribution(content: Content) -> list[str]:
    lines = []
    for explained, drawn in zip(content.comparison.attributions, content.drivers, strict=True):
        header, rows = drivers.grid(explained)
        lines += [f"## {drawn.title}", "", f"{_cell(explained.describe())}.", ""]
        lines += [f"- {_cell(drivers.sentence(explained, f))}" for f in drivers.leads()]
        lines += ["", "| " + " | ".join(_cell(h) for h in header) + " |"]
        lines.append("|---" + "|---:" * (len(header) - 1) + "|")
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
        lines += ["", f"![{drawn.title}](figures/{drawn.name}.png)", "", drawn.caption, ""]
        lines += [f"- refused, not run: {_cell(r)}" for r in drivers.refused(explained)]
        lines += [""] if explained.design.refused else []
    return lines


def _stability(content: Content) -> list[str]:
    unstable = content.comparison.unstable
    if not unstable:
        return []
    return [
        "",
        "**No steady state** (a trend test on the daily backlog); not ranked in the verdict:",
        "",
        *(f"- {_cell(name)}: {_cell(why)}" for name, why in unstable.items()),
    ]


def _failures(content: Content) -> list[str]:
    failed = content.comparison.failed
    if failed.empty:
        return []
    return [
        "",
        f"**{len(failed)} run(s) failed** and are left out of every figure:",
        "",
        *(
            f"- {_cell(r.scenario)}, seed {r.seed}: `{markdown_code(r.error)}`"
            for r in failed.itertuples()
        ),
    ]


def _table(content: Content) -> list[str]:
    names = content.comparison.names
    table = content.comparison.summary.set_index(["scenario", "figure"])
    head = [
        "figure",
        *names,
        *(f"{n} - {names[0]}" for n in names[1:]),
        *(["p"] * (len(names) - 1)),
    ]
    lines = [
        "| " + " | ".join(_cell(h) for h in head) + " |",
        "|---" + "|---:" * (len(head) - 1) + "|",
    ]
    for key, measure in MEASURES.items():
        rows = [table.loc[(n, key)] for n in names]
        cells = [_mean(measure, row) for row in rows]
        cells += [difference_text(measure, row) for row in rows[1:]]
        cells += [p_text(row) for row in rows[1:]]
        label = measure.label + (f" ({measure.hint})" if measure.hint else "")
        lines.append("| " + " | ".join([label, *cells]) + " |")
    return lines


def _mean(measure: Measure, row: pd.Series) -> str:
    if math.isnan(row["low"]):
        return measure.value(row["mean"])
    bounds = f"[{measure.number(row['low'])}, {measure.number(row['high'])}]"
    return f"{measure.value(row['mean'])} {bounds}"


def _settings(content: Content) -> list[str]:
    table = content.settings
    names = content.comparison.names
    differs = table[table["differs"]]
    lines = ["## The scenarios side by side", ""]
    lines += [
        f"- **{_cell(s.name)}**: {_cell(content.description(s))}"
        for s in content.comparison.scenarios
    ]
    lines += [
        "",
        f"{len(differs)} of {len(table)} settings differ (the others are in report.html); "
        f"{content.layers_note}",
        "",
    ]
    lines.append("| setting | " + " | ".join(_cell(n) for n in names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    lines += [
        f"| `{path}` | " + " | ".join(_cell(row[n]) or "—" for n in names) + " |"
        for path, row in differs.iterrows()
    ]
    return lines

"""The comparison report as one self-contained HTML page: figures embedded, no link out.

The page opens offline and prints well: inline CSS, figures as base64 PNG data,
every text escaped (scenario names are the user's).
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from orgsim.compare import analysis, drivers, settings
from orgsim.compare.measures import MEASURES, Measure
from orgsim.results.escaping import html_png

if TYPE_CHECKING:
    from orgsim.compare.content import Content

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 0; background: #fafafa; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { margin-bottom: 4px; } .sub { color: #555; margin-top: 0; }
h2 { border-bottom: 2px solid #e3e3e3; padding-bottom: 4px; margin-top: 36px; }
#verdict ul { padding-left: 0; list-style: none; }
#verdict li { margin: 8px 0; padding: 10px 14px; border-left: 6px solid #999;
              background: #f4f4f4; }
#verdict li.better { border-color: #1a9850; background: #eef8f0; }
#verdict li.worse { border-color: #d73027; background: #fcefee; }
#verdict li.unclear { border-color: #999; }
#verdict li.mixed { border-color: #e08214; background: #fdf3e6; }
#verdict li.unstable { border-color: #999; border-left-style: dashed; }
#bottom-line .bottom { font-size: 17px; border-left: 6px solid #2166ac; background: #eef3fa;
                      padding: 12px 16px; }
.attribution-table tr.total td { font-weight: 700; border-top: 2px solid #999; }
.attribution-table tr.interaction td { color: #555; font-style: italic; }
.attribution-table td:first-child { max-width: 420px; text-align: left; }
.warning { border: 2px solid #d73027; background: #fcefee; padding: 8px 16px; }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e3e3e3; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.better { background: #e3f3e6; } td.worse { background: #f9e0de; }
tr.differs td { background: #fff4cc; font-weight: 600; }
.hint { color: #777; font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
          margin-right: 6px; vertical-align: -1px; }
figure { margin: 24px 0; } figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 14px; }
dl { display: grid; grid-template-columns: 200px 1fr; gap: 6px 16px; }
dt { font-weight: 600; } dd { margin: 0; } code { font-size: 13px; word-break: break-all; }
"""


def render(content: Content) -> str:
    """The whole page."""
    comparison = content.comparison
    title = "Comparison: " + " vs ".join(comparison.names)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{escape(comparison.horizon)}; {comparison.replications} '
        "replications per scenario with common random numbers; 95% intervals.</p>",
        _overrides(comparison.overrides_text),
        _bottom_line(content),
        _attribution(content),
        _verdict(content),
        _stability(content),
        _failures(content),
        _table(content),
        _figures(content),
        _settings(content),
        _method(content),
        "</main></body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _overrides(text: str) -> str:
    return f'<p class="sub" id="overrides"><strong>{escape(text)}</strong></p>' if text else ""


def _bottom_line(content: Content) -> str:
    if not content.bottom_line:
        return ""
    return (
        f'<section id="bottom-line"><p class="bottom">{escape(content.bottom_line)}</p></section>'
    )


def _attribution(content: Content) -> str:
    blocks = []
    for explained, drawn in zip(content.comparison.attributions, content.drivers, strict=True):
        said = "".join(
            f"<li>{escape(drivers.sentence(explained, f))}</li>" for f in drivers.leads()
        )
        header, rows = drivers.grid(explained)
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join(
            f'<tr class="{_row_class(row[0])}">'
            + "".join(f"<td>{escape(cell)}</td>" for cell in row)
            + "</tr>"
            for row in rows
        )
        refused = "".join(f"<li>{escape(r)}</li>" for r in drivers.refused(explained))
        blocks.append(
            f"<h3>{escape(drawn.title)}</h3><p>{escape(explained.describe())}.</p>"
            f"<ul>{said}</ul>"
            f'<table class="attribution-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
            f'<figure id="figure-{drawn.name}">{html_png(drawn.title, drawn.png)}'
            f"<figcaption>{escape(drawn.caption)}</figcaption></figure>"
            + (
                f"<details><summary>{len(explained.design.refused)} mix(es) the schema "
                f"refuses, not run</summary><ul>{refused}</ul></details>"
                if refused
                else ""
            )
        )
    if not blocks:
        return ""
    return (
        f'<section id="attribution"><h2>What drives the difference</h2>{"".join(blocks)}</section>'
    )


def _row_class(factor: str) -> str:
    return {"total difference": "total"}.get(
        factor, "interaction" if factor.startswith("interaction") else "factor"
    )


def _verdict(content: Content) -> str:
    items = "".join(
        f'<li class="{f.status}"><strong>{escape(f.topic.capitalize())}.</strong> '
        f"{escape(f.text)}</li>"
        for f in content.findings
    )
    if not items:
        items = "<li>Only one scenario: nothing to compare it with.</li>"
    return f'<section id="verdict"><h2>Verdict</h2><ul>{items}</ul></section>'


def _stability(content: Content) -> str:
    unstable = content.comparison.unstable
    if not unstable:
        return ""
    rows = "".join(
        f"<li><strong>{escape(n)}</strong>: {escape(w)}</li>" for n, w in unstable.items()
    )
    return (
        '<section id="stability" class="warning"><h2>No steady state</h2>'
        f"<ul>{rows}</ul><p>Its queues grow without bound over the measured period (a "
        "trend test on the daily backlog), so its averages grow with the horizon: it is "
        "not ranked in the verdict.</p></section>"
    )


def _failures(content: Content) -> str:
    failed = content.comparison.failed
    if failed.empty:
        return ""
    rows = "".join(
        f"<li>{escape(r.scenario)}, seed {r.seed}: <code>{escape(str(r.error))}</code></li>"
        for r in failed.itertuples()
    )
    return (
        f'<section id="failures" class="warning"><h2>{len(failed)} run(s) failed</h2>'
        f"<p>They are left out of every figure; the other runs are complete.</p>"
        f"<ul>{rows}</ul></section>"
    )


def _table(content: Content) -> str:
    comparison = content.comparison
    names = comparison.names
    colours = _swatches(comparison.names)
    head = "<tr><th>figure</th>" + "".join(f"<th>{colours[n]}{escape(n)}</th>" for n in names)
    head += "".join(f"<th>{escape(n)} &minus; {escape(names[0])}</th><th>p</th>" for n in names[1:])
    table = comparison.summary.set_index(["scenario", "figure"])
    rows = []
    for key, measure in MEASURES.items():
        cells = [_mean_cell(measure, table.loc[(n, key)]) for n in names]
        cells += [_difference_cells(measure, table.loc[(n, key)]) for n in names[1:]]
        hint = f'<br><span class="hint">{measure.hint}</span>' if measure.hint else ""
        rows.append(f"<tr><td>{escape(measure.label)}{hint}</td>{''.join(cells)}</tr>")
    return (
        '<section id="table"><h2>The figures</h2>'
        "<p>Means over replications with their 95% intervals, and each scenario's "
        "difference to the baseline, paired by seed (shares in percentage points). "
        "Green: better than the baseline, red: worse, where told apart from zero (the "
        "verdict's figures by their Holm-adjusted p-value). A figure the same in every "
        "replication (an input) is shown without interval or p-value."
        f'</p><table id="summary-table"><thead>{head}</tr></thead><tbody>'
        f"{''.join(rows)}</tbody></table></section>"
    )


def _mean_cell(measure: Measure, row: pd.Series) -> str:
    interval = (
        ""
        if math.isnan(row["low"])
        else f" [{measure.number(row['low'])}, {measure.number(row['high'])}]"
    )
    return f"<td>{escape(measure.value(row['mean']) + interval)}</td>"


def _difference_cells(measure: Measure, row: pd.Series) -> str:
    better = measure.improves(row["diff"]) if analysis.resolved(row) else None
    css = {True: ' class="better"', False: ' class="worse"', None: ""}[better]
    return f"<td{css}>{escape(difference_text(measure, row))}</td><td>{p_text(row)}</td>"


def difference_text(measure: Measure, row: pd.Series) -> str:
    """A difference with its interval, or marked fixed (the same in every replication)."""
    if analysis.flag(row["diff_fixed"]):
        return f"{measure.difference(row['diff'])} (fixed)"
    low, high = measure.number(row["diff_low"], True), measure.number(row["diff_high"], True)
    return f"{measure.difference(row['diff'])} [{low}, {high}]"


def p_text(row: pd.Series) -> str:
    """The p-value, and the Holm-adjusted one for the verdict's figures."""
    p, holm = row["p_value"], row["p_holm"]
    text = "-" if math.isnan(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}")
    if pd.isna(holm):
        return text
    return text + f" (Holm {'< 0.001' if holm < 0.001 else f'{holm:.3f}'})"


def _swatches(names: list[str]) -> dict[str, str]:
    from orgsim.results.palette import scenario_colours

    return {
        name: f'<span class="swatch" style="background:{colour}"></span>'
        for name, colour in scenario_colours(names).items()
    }


def _figures(content: Content) -> str:
    blocks = "".join(
        f'<figure id="figure-{d.name}"><h3>{escape(d.title)}</h3>'
        f"{html_png(d.title, d.png)}"
        f"<figcaption>{escape(d.caption)}</figcaption></figure>"
        for d in content.drawn
    )
    return f'<section id="figures"><h2>Figures</h2>{blocks}</section>'


def _settings(content: Content) -> str:
    table = content.settings
    names = content.comparison.names
    differs = table[table["differs"]]
    same = table[~table["differs"]]
    descriptions = "".join(
        f"<li><strong>{escape(s.name)}</strong>: {escape(content.description(s))}</li>"
        for s in content.comparison.scenarios
    )
    return (
        '<section id="settings"><h2>The scenarios side by side</h2>'
        f"<ul>{descriptions}</ul>"
        f"<p>{len(differs)} of {len(table)} settings differ (highlighted); "
        f"{escape(content.layers_note)} Values an override set are marked "
        f"{escape(settings.CHANGED.strip())}.</p>"
        f"{_settings_table(differs, names)}"
        f"<details><summary>The {len(same)} settings that are the same</summary>"
        f"{_settings_table(same, names)}</details></section>"
    )


def _settings_table(table: pd.DataFrame, names: list[str]) -> str:
    head = "<tr><th>setting</th>" + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>"
    rows = "".join(
        f"<tr{' class="differs"' if row['differs'] else ''}><td><code>{escape(path)}</code></td>"
        + "".join(f"<td>{escape(row[n])}</td>" for n in names)
        + "</tr>"
        for path, row in table.iterrows()
    )
    return f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"


def _method(content: Content) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in content.method)
    return f'<section id="method"><h2>How it was run</h2><dl>{items}</dl></section>'

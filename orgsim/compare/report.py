"""Writing a comparison's report: HTML, Markdown, the summary CSV, the runs and figures.

Every file is written whole (a temporary name, then a rename), so a reader never
finds half a report. ``report.html`` embeds its figures, and needs nothing from the
internet; ``report.md`` links the same figures, written to ``figures/``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from orgsim.compare import report_html, report_md
from orgsim.compare.comparison import Comparison
from orgsim.compare.content import gather
from orgsim.compare.measures import MEASURES
from orgsim.compare.store import write_whole
from orgsim.results.escaping import to_csv


def summary_table(comparison: Comparison) -> pd.DataFrame:
    """The summary with each figure's label and which way is better (summary.csv)."""
    table = comparison.summary.copy()
    table["label"] = table["figure"].map(lambda key: MEASURES[key].label)
    table["better"] = table["figure"].map(lambda key: MEASURES[key].hint)
    return table


def attribution_table(comparison: Comparison) -> pd.DataFrame:
    """Every attribution's rows (attribution.csv): factors, totals and interactions."""
    return pd.concat([e.table for e in comparison.attributions], ignore_index=True)


def write(comparison: Comparison, directory: Path, command: str = "") -> dict[str, Path]:
    """Write every file of the report into ``directory``; return them by role."""
    directory.mkdir(parents=True, exist_ok=True)
    content = gather(comparison, command)
    pictures = directory / "figures"
    pictures.mkdir(exist_ok=True)
    written = {
        f"figure {d.name}": write_whole(pictures / f"{d.name}.png", d.png)
        for d in [*content.drivers, *content.drawn]
    }
    written["runs"] = write_whole(directory / "runs.parquet", _parquet(comparison.runs))
    written["summary"] = write_whole(
        directory / "summary.csv", to_csv(summary_table(comparison), index=False)
    )
    if comparison.attributions:
        written["attribution"] = write_whole(
            directory / "attribution.csv", attribution_table(comparison).to_csv(index=False)
        )
    written["markdown"] = write_whole(directory / "report.md", report_md.render(content))
    written["html"] = write_whole(directory / "report.html", report_html.render(content))
    return written


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()

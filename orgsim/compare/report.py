"""Writing a comparison's report: HTML, Markdown, the summary CSV, the runs and figures.

Every file is written whole (a temporary name, then a rename), so a reader never
finds half a report. ``report.html`` embeds its figures, and needs nothing from the
internet; ``report.md`` links the same figures, written to ``figures/``.
"""

from __future__ import annotations

import io
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from orgsim.compare import figures, report_html, report_md, settings, verdict
from orgsim.compare.comparison import Comparison
from orgsim.compare.measures import MEASURES
from orgsim.compare.store import write_whole


@dataclass(frozen=True)
class Content:
    """What both report formats show, gathered once."""

    comparison: Comparison
    findings: list[verdict.Finding]
    drawn: list[figures.Drawn]
    settings: pd.DataFrame
    method: list[tuple[str, str]]


def gather(comparison: Comparison, command: str = "") -> Content:
    """The verdict, figures, settings and method of ``comparison``."""
    found = verdict.findings(comparison.summary, comparison.names, comparison.replications)
    return Content(
        comparison,
        found,
        figures.draw_all(comparison),
        settings.side_by_side(comparison.scenarios),
        method(comparison, command or comparison.command),
    )


def method(comparison: Comparison, command: str) -> list[tuple[str, str]]:
    """How the comparison was run, as (what, how) pairs."""
    from orgsim import __version__

    seeds = comparison.seeds
    failed = len(comparison.failed)
    runs = len(comparison.records)
    return [
        ("Scenarios", ", ".join(comparison.names) + f" (baseline: {comparison.names[0]})"),
        ("Horizon and warm-up", comparison.horizon),
        ("Replications", f"{comparison.replications} per scenario; {runs} runs, {failed} failed"),
        (
            "Seeds",
            f"{seeds[0]} to {seeds[-1]}: replication r of every scenario uses the same seed "
            "(common random numbers), so differences are paired by seed",
        ),
        (
            "Statistics",
            "means over replications with Student-t 95% intervals; differences to the "
            "baseline paired by seed, with paired t-test p-values",
        ),
        (
            "Execution",
            f"{runs - comparison.resumed} runs in {comparison.wall_s:.1f} s with "
            f"{comparison.workers} process(es); {comparison.resumed} taken from the folder "
            "(finished earlier)",
        ),
        ("orgsim", f"{__version__}, Python {platform.python_version()} on {platform.system()}"),
        ("Command", command or "(not recorded)"),
        ("Written", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]


def summary_table(comparison: Comparison) -> pd.DataFrame:
    """The summary with each figure's label and which way is better (summary.csv)."""
    table = comparison.summary.copy()
    table["label"] = table["figure"].map(lambda key: MEASURES[key].label)
    table["better"] = table["figure"].map(lambda key: MEASURES[key].hint)
    return table


def write(comparison: Comparison, directory: Path, command: str = "") -> dict[str, Path]:
    """Write every file of the report into ``directory``; return them by role."""
    directory.mkdir(parents=True, exist_ok=True)
    content = gather(comparison, command)
    pictures = directory / "figures"
    pictures.mkdir(exist_ok=True)
    written = {
        f"figure {d.name}": write_whole(pictures / f"{d.name}.png", d.png) for d in content.drawn
    }
    written["runs"] = write_whole(directory / "runs.parquet", _parquet(comparison.runs))
    written["summary"] = write_whole(
        directory / "summary.csv", summary_table(comparison).to_csv(index=False)
    )
    written["markdown"] = write_whole(directory / "report.md", report_md.render(content))
    written["html"] = write_whole(directory / "report.html", report_html.render(content))
    return written


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()

"""What a comparison's report shows, gathered once for every format.

The verdict, the figures, the settings side by side, and how it was run.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime

import matplotlib.pyplot as plt
import pandas as pd

from orgsim.compare import attribution, bottom_line, drivers, figures, settings, verdict
from orgsim.compare.comparison import Comparison
from orgsim.scenario.schema import Scenario


@dataclass(frozen=True)
class Content:
    """What both report formats show, gathered once."""

    comparison: Comparison
    findings: list[verdict.Finding]
    drawn: list[figures.Drawn]
    settings: pd.DataFrame
    method: list[tuple[str, str]]
    bottom_line: str = ""
    drivers: list[figures.Drawn] = field(default_factory=list)

    def description(self, scenario: Scenario) -> str:
        """A scenario's description, and what overrides changed in it."""
        text = scenario.description or ""
        changed = self.comparison.changed(scenario.name)
        if changed:
            text += f" Changed here from its file: {', '.join(changed)}."
        return text.strip()

    @property
    def layers_note(self) -> str:
        """How the settings table lines layers up."""
        if settings.matched_by_role(self.comparison.scenarios):
            return (
                "layers are matched by name; those whose names differ are matched by role "
                "and rank from the bottom (e.g. 'approver 2', the second-lowest of them)."
            )
        return "layers are matched by name."


def gather(comparison: Comparison, command: str = "") -> Content:
    """The verdict, figures, settings and method of ``comparison``."""
    found = comparison.findings()
    return Content(
        comparison,
        found,
        figures.draw_all(comparison),
        settings.side_by_side(comparison.scenarios, comparison.changed_paths),
        method(comparison, command or comparison.command),
        bottom_line.paragraph(comparison),
        [_tornado(explained, i) for i, explained in enumerate(comparison.attributions, 1)],
    )


def _tornado(explained: attribution.Explained, index: int) -> figures.Drawn:
    with plt.rc_context(figures.STYLE):
        png = figures.png(drivers.tornado(explained))
    return figures.Drawn(
        f"attribution-{index}",
        f"What drives the difference: {explained.scenario} against {explained.baseline}",
        "Each factor's Shapley value: its share of the difference in each headline figure, "
        "averaged over the orders in which the factors could change from the baseline to "
        "the scenario, with 95% intervals over replications (green: for the better, red: "
        "for the worse); the dark bar is the total difference, which the factors add up "
        "to exactly.",
        png,
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
        *(("Attribution", e.describe()) for e in comparison.attributions),
        ("Overrides", comparison.overrides_text or "none: the files as written"),
        ("Replications", f"{comparison.replications} per scenario; {runs} runs, {failed} failed"),
        (
            "Seeds",
            f"{seeds[0]} to {seeds[-1]}: replication r of every scenario uses the same seed "
            "(common random numbers), so differences are paired by seed",
        ),
        (
            "Statistics",
            "means over replications with Student-t 95% intervals; differences to the "
            "baseline paired by seed, with paired t-test p-values. The verdict's figures "
            "(of every scenario) are one family: their p-values are Holm-adjusted, so the "
            "chance of any false 'better' or 'worse' in the verdict is 5% at most. A "
            "figure the same in every replication is a fixed value: no interval, no p-value",
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

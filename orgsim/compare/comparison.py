"""A finished comparison: its runs as records and as tables, ready to analyse and report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from orgsim.compare import analysis, attribution, stability, verdict
from orgsim.compare.extract import QUANTILES
from orgsim.compare.measures import MEASURES, NET_MONEY, cost_keys
from orgsim.results.metrics import SUMMARY_KEYS
from orgsim.scenario.schema import Scenario

FIRST_COLUMNS = ["scenario", "scenario_hash", "seed", "replication", "error", "wall_s"]


@dataclass
class Comparison:
    """Scenarios run over common seeds, and what each run measured.

    Attributes:
        scenarios: the compared scenarios, the baseline first.
        seeds: the seeds of the replications (replication r uses ``seeds[r]``).
        records: one dict per run, in scenario then seed order (see
            :func:`orgsim.compare.extract.run_record`).
        workers: processes used for the runs done in this call.
        wall_s: seconds this call took to run them.
        command: how the comparison was asked for (shown in the report).
        resumed: runs found already done in the output folder, and not run again.
        attributions: with ``explain``, each scenario's difference to the baseline
            attributed to its factors.
        changes: per scenario name, the overrides that made it differ from its file,
            as ``(path, value)`` pairs.
    """

    scenarios: list[Scenario]
    seeds: list[int]
    records: list[dict[str, Any]]
    workers: int = 1
    wall_s: float = 0.0
    command: str = ""
    resumed: int = 0
    changes: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    attributions: list[attribution.Explained] = field(default_factory=list)

    def changed(self, name: str) -> list[str]:
        """Scenario ``name``'s overrides as ``path=value`` text (values as YAML reads them)."""
        return [f"{path}={_yaml(value)}" for path, value in self.changes.get(name, [])]

    @property
    def changed_paths(self) -> dict[str, list[str]]:
        """Per scenario, the paths its overrides set."""
        return {name: [path for path, _ in pairs] for name, pairs in self.changes.items()}

    @property
    def names(self) -> list[str]:
        """The scenarios' names, the baseline first."""
        return [s.name for s in self.scenarios]

    @property
    def horizon(self) -> str:
        """The horizon and warm-up in words, per scenario where they differ."""
        spans = {(s.run.days, s.run.warmup_days) for s in self.scenarios}
        if len(spans) == 1:
            days, warmup = spans.pop()
            return (
                f"{days:g} working days each, the first {warmup:g} a warm-up left out of "
                "the figures"
            )
        return "; ".join(
            f"{s.name} {s.run.days:g} working days, warm-up {s.run.warmup_days:g}"
            for s in self.scenarios
        )

    @property
    def overrides_text(self) -> str:
        """The overrides in words, per scenario ('' where none): for every header."""
        lines = {name: ", ".join(self.changed(name)) for name in self.names}
        texts = set(lines.values())
        if texts == {""}:
            return ""
        if len(texts) == 1:
            return f"changed in every scenario: {texts.pop()}"
        return "changed: " + "; ".join(f"{n}: {t}" for n, t in lines.items() if t)

    @property
    def replications(self) -> int:
        """Runs per scenario."""
        return len(self.seeds)

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per run: scenario, hash, seed, every summary figure, wall time, error."""
        flat = [{k: v for k, v in r.items() if k != "extract"} for r in self.records]
        frame = pd.DataFrame(flat)
        frame["replication"] = frame["seed"] - self.seeds[0]
        frame["error"] = frame["error"].astype(object)
        frame[NET_MONEY] = _net_money(frame)
        figures = list(dict.fromkeys([*SUMMARY_KEYS, *MEASURES]))  # even if every run failed
        rest = [c for c in frame if c not in FIRST_COLUMNS and c not in figures]
        return frame.reindex(columns=[*FIRST_COLUMNS, *figures, *rest])

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per scenario and figure: mean, 95% interval, paired difference."""
        return analysis.summarise(self.runs, self.names)

    @cached_property
    def trends(self) -> dict[str, stability.Trend]:
        """Each scenario's backlog trend over the measured period (a steady state or not)."""
        warmups = {s.name: s.run.warmup_days for s in self.scenarios}
        return stability.trends(self.timeseries, warmups)

    @property
    def unstable(self) -> dict[str, str]:
        """The scenarios without a steady state, each with why: never ranked."""
        return stability.unstable(self.trends)

    def findings(self) -> list[verdict.Finding]:
        """The verdict: each question for each scenario against the baseline."""
        return verdict.findings(self.summary, self.names, self.replications, self.unstable)

    @property
    def failed(self) -> pd.DataFrame:
        """The runs that raised an error, with it."""
        runs = self.runs
        return runs.loc[runs["error"].notna(), ["scenario", "seed", "error"]]

    def _extracts(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [(r, r["extract"]) for r in self.records if r.get("extract")]

    @cached_property
    def response_quantiles(self) -> pd.DataFrame:
        """Each run's response-time quantiles (hours), one row per run and probability."""
        rows = [
            (r["scenario"], r["seed"], p, q)
            for r, e in self._extracts()
            for p, q in zip(QUANTILES, e["response_quantiles_h"], strict=False)
        ]
        return pd.DataFrame(rows, columns=["scenario", "seed", "probability", "response_h"])

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Each run's satisfaction and backlog over time, one row per run and sample."""
        frames = [
            pd.DataFrame(e["series"]).assign(scenario=r["scenario"], seed=r["seed"])
            for r, e in self._extracts()
        ]
        columns = ["scenario", "seed", "day", "satisfaction_mean", "backlog"]
        return pd.concat(frames)[columns] if frames else pd.DataFrame(columns=columns)

    @cached_property
    def decisions(self) -> pd.DataFrame:
        """Requests decided per level (employee, team, each layer), per run."""
        rows = [
            (r["scenario"], r["seed"], level, count)
            for r, e in self._extracts()
            for level, count in e["decisions_by_level"].items()
        ]
        return pd.DataFrame(rows, columns=["scenario", "seed", "level", "decisions"])


def _net_money(runs: pd.DataFrame) -> pd.Series:
    """Per run: value lost plus every cost of deciding it measured (NaN for a failed run).

    The model's own ``net_loss`` (value lost + the cost of deciding: managers' and
    employees' hours) where runs carry it; else value lost plus every ``*_cost`` key.
    """
    if "net_loss" in runs:
        return runs["net_loss"].astype(float)
    if "value_lost" not in runs:
        return pd.Series(float("nan"), index=runs.index)
    parts = [runs["value_lost"], *(runs[key] for key in cost_keys(runs) if key != NET_MONEY)]
    return sum(part.astype(float) for part in parts)


def _yaml(value: Any) -> str:
    """A value as an override is written: ``false``, ``null``, ``5000``, ``{...}``."""
    return value if isinstance(value, str) else json.dumps(value)

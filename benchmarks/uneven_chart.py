"""Benchmark 12: a 10,000-person org chart, imported, built and run for a working year.

A chart is generated with uneven spans and team sizes (seeded): teams of 2 to 15 people,
each under a team lead; leads under managers with spans of 2 to 12; managers under
directors with spans of 2 to 9; directors under one chief. It is written as a CSV,
imported with ``orgsim import-org``'s code (template: ``scenarios/hierarchy.yaml``, so
customers per person are the hierarchy's), then built and run for ``--days`` working
days. The shorthand hierarchy of the same number of employees runs beside it, with the
same seed, in interleaved rounds (the noise of a shared machine falls on both alike):
the explicit tree must not cost events per second. Each round's figures are printed,
the ratio of events per second per round, and the medians; the first import is timed
cold, as a user runs it. Peak memory is the process's resident peak during one build
and run (reset before each; what earlier rounds left resident counts too).

Targets: import < 2 s, build < 2 s, events/s of the tree >= the shorthand's.
Run ``python benchmarks/uneven_chart.py`` (a working year, three rounds: about 15 min).
"""

from __future__ import annotations

import csv
import math
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from common import (
    OrgRun,
    interleaved,
    make_parser,
    median,
    peak_rss,
    print_table,
    reset_peak_rss,
    run_orgsim,
    scenario_path,
    target,
)

from orgsim.scenario.explicit import as_mapping, units_of, with_units
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.orgchart_io import import_org
from orgsim.scenario.schema import Scenario
from orgsim.scenario.writing import scenario_yaml


def write_chart(path: Path, people: int, seed: int) -> int:
    """A chart of about ``people`` rows, uneven at every level; returns the rows written."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, str]] = []
    teams: list[list[str]] = []
    employees = 0
    while employees < people * 0.86:
        size = int(rng.integers(2, 16))
        teams.append([f"E{len(rows) + employees + k}" for k in range(size)])
        employees += size
    leads = [f"L{n}" for n in range(len(teams))]
    managers = _grouped(leads, rng, 2, 13, "M")
    directors = _grouped(list(managers), rng, 2, 10, "D")
    rows.append(("C0", ""))
    rows += [(d, "C0") for d in directors]
    rows += [(m, d) for d, ms in directors.items() for m in ms]
    rows += [(lead, m) for m, ls in managers.items() for lead in ls]
    rows += [(e, lead) for lead, team in zip(leads, teams, strict=True) for e in team]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "manager_id"])
        writer.writerows(rows)
    return len(rows)


def _grouped(
    below: list[str], rng: np.random.Generator, low: int, high: int, prefix: str
) -> dict[str, list[str]]:
    """``below`` in consecutive groups of ``low`` to ``high - 1``, each under a new head."""
    heads: dict[str, list[str]] = {}
    start = 0
    while start < len(below):
        span = int(rng.integers(low, high))
        heads[f"{prefix}{len(heads)}"] = below[start : start + span]
        start += span
    return heads


@dataclass(frozen=True)
class Contender:
    """One build and run of one organisation: timings, counts and the peak memory."""

    run: OrgRun
    employees: int
    managers: int
    teams: int
    peak_mb: float


def measured(scenario: Path, seed: int, overrides: dict[str, object]) -> Contender:
    """Build and run ``scenario``; the peak resident memory of the build and run with it."""
    reset_peak_rss()
    run = run_orgsim(scenario, seed, overrides, keep_log=False, gather=False, keep_model=True)
    peak_mb = peak_rss() / 2**20
    org = run.model.org
    counts = len(org.employees), len(org.managers), len(org.teams)
    return Contender(replace(run, model=None), *counts, peak_mb)


def timed_import(chart: Path, imported: Path) -> float:
    """Seconds of import-org's work on ``chart``; its scenario written to ``imported``."""
    start = time.perf_counter()
    text, _ = import_org(chart, name="generated")
    seconds = time.perf_counter() - start
    imported.write_text(text, encoding="utf-8")
    return seconds


def as_units(scenario: Scenario) -> str:
    """``scenario`` written as an explicit tree of units: the same organisation, as a chart."""
    raw = with_units(as_mapping(scenario), units_of(scenario))
    return scenario_yaml(load_scenario(raw))


def main(argv: list[str] | None = None) -> None:
    """Generate and import; then build and run the tree and the shorthand, round by round."""
    parser = make_parser(__doc__.splitlines()[0], repeats=3)
    parser.add_argument("--people", type=int, default=10_000, help="rows of the chart")
    parser.add_argument("--days", type=float, default=260, help="working days run")
    args = parser.parse_args(argv)
    people, days, repeats = (300, 15.0, 2) if args.tiny else (args.people, args.days, args.repeats)
    with tempfile.TemporaryDirectory() as folder:
        chart, imported = Path(folder) / "chart.csv", Path(folder) / "generated.yaml"
        rows = write_chart(chart, people, args.seed)
        imports = [timed_import(chart, imported)]  # the first one cold, as a user runs it
        employees = sum(team.spec.size for team in load_scenario(imported).tree.teams)
        teams = {"structure.teams.count": math.ceil(employees / 6)}
        shorthand, run = scenario_path("hierarchy"), {"run.days": days}
        as_tree = Path(folder) / "shorthand_as_units.yaml"
        as_tree.write_text(as_units(load_scenario(shorthand, teams)), encoding="utf-8")

        def tree(seed: int) -> Contender:
            imports.append(timed_import(chart, imported))
            return measured(imported, seed, run)

        jobs = {
            "chart (tree)": tree,
            "shorthand": lambda seed: measured(shorthand, seed, teams | run),
            "shorthand as units": lambda seed: measured(as_tree, seed, run),
        }
        results = interleaved(jobs, repeats, args.seed)
    print(f"chart of {rows:,} rows, {days:g} working days, {repeats} interleaved rounds\n")
    report(results, imports)


def report(results: dict[str, list[Contender]], imports: list[float]) -> None:
    """Print each round's figures, the medians and the targets."""
    table = []
    for name, rounds in results.items():
        for r, c in enumerate(rounds, 1):
            run = c.run
            table.append([
                f"{name} #{r}", f"{c.employees:,}/{c.managers:,}", f"{c.teams:,}",
                f"{run.build_s:.2f}", f"{run.run_s:.1f}", f"{run.events:,}",
                f"{run.events / run.requests:.2f}", f"{run.events_per_s:,.0f}",
                f"{c.peak_mb:,.0f}",
            ])  # fmt: skip
    headers = ["organisation, round", "employees/managers", "teams", "build (s)", "run (s)"]
    print_table([*headers, "events", "per request", "events/s", "peak RSS (MB)"], table)
    tree, short = results["chart (tree)"], results["shorthand"]
    ratios = per_round(tree, short)
    same = per_round(results["shorthand as units"], short)
    print("import (s), cold then each round: " + ", ".join(f"{s:.2f}" for s in imports))
    print("events/s tree / shorthand, each round: " + ", ".join(f"{r:.3f}" for r in ratios))
    print("events/s shorthand as units / shorthand: " + ", ".join(f"{r:.3f}" for r in same))
    alike = all(
        u.run.events == s.run.events
        for u, s in zip(results["shorthand as units"], short, strict=True)
    )
    print(f"shorthand as units ran the shorthand's events exactly: {alike}\n")
    builds = [c.run.build_s for c in tree]
    target("import (s), cold", imports[0], imports[0] < 2, "< 2 s")
    target("import (s), median", median(imports), median(imports) < 2, "< 2 s")
    target("build (s), median", median(builds), median(builds) < 2, "< 2 s")
    target("build (s), slowest", max(builds), max(builds) < 2, "< 2 s")
    target("events/s, tree / shorthand, median", median(ratios), median(ratios) >= 1, ">= 1")


def per_round(numerators: list[Contender], denominators: list[Contender]) -> list[float]:
    """Events per second of one contender over another's, round by round."""
    return [
        a.run.events_per_s / b.run.events_per_s
        for a, b in zip(numerators, denominators, strict=True)
    ]


if __name__ == "__main__":
    main()

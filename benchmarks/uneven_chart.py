"""Benchmark 12: a 10,000-person org chart, imported, built and run for a working year.

A chart is generated with uneven spans and team sizes (seeded): teams of 2 to 15 people,
each under a team lead; leads under managers with spans of 2 to 12; managers under
directors with spans of 2 to 9; directors under one chief. It is written as a CSV,
imported with ``orgsim import-org``'s code (template: ``scenarios/hierarchy.yaml``, so
customers per person are the hierarchy's), then built and run for ``--days`` working
days. The shorthand hierarchy of the same number of employees runs beside it, with the
same seed: the explicit tree must not cost events per second.

Targets: import < 2 s, build < 2 s, events/s of the tree >= the shorthand's.
Run ``python benchmarks/uneven_chart.py``.
"""

from __future__ import annotations

import csv
import math
import tempfile
import time
from pathlib import Path

import numpy as np
from common import make_parser, print_table, run_orgsim, scenario_path, target

from orgsim.scenario.orgchart_io import import_org


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


def main(argv: list[str] | None = None) -> None:
    """Generate, import, build and run; print the figures and the targets."""
    parser = make_parser(__doc__.splitlines()[0], repeats=1)
    parser.add_argument("--people", type=int, default=10_000, help="rows of the chart")
    parser.add_argument("--days", type=float, default=260, help="working days run")
    args = parser.parse_args(argv)
    people, days = (300, 15.0) if args.tiny else (args.people, args.days)
    with tempfile.TemporaryDirectory() as folder:
        chart = Path(folder) / "chart.csv"
        rows = write_chart(chart, people, args.seed)
        start = time.perf_counter()
        text, _ = import_org(chart, name="generated")
        import_s = time.perf_counter() - start
        imported = Path(folder) / "generated.yaml"
        imported.write_text(text, encoding="utf-8")
        tree = run_orgsim(
            imported, args.seed, {"run.days": days}, keep_log=False, gather=False, keep_model=True
        )
    employees = len(tree.model.org.employees)
    overrides = {"structure.teams.count": math.ceil(employees / 6), "run.days": days}
    shorthand = run_orgsim(
        scenario_path("hierarchy"),
        args.seed,
        overrides,
        keep_log=False,
        gather=False,
        keep_model=True,
    )
    table = []
    for name, run in (("chart (tree)", tree), ("shorthand", shorthand)):
        org = run.model.org
        table.append([
            name, f"{len(org.employees):,}/{len(org.managers):,}", f"{len(org.teams):,}",
            f"{run.build_s:.2f}", f"{run.run_s:.1f}", f"{run.events:,}", f"{run.events_per_s:,.0f}",
        ])  # fmt: skip
    print(f"chart of {rows:,} rows imported in {import_s:.2f} s; {days:g} working days run\n")
    print_table(
        [
            "organisation",
            "employees/managers",
            "teams",
            "build (s)",
            "run (s)",
            "events",
            "events/s",
        ],
        table,
    )
    target("import (s)", import_s, import_s < 2, "< 2 s")
    target("build (s)", tree.build_s, tree.build_s < 2, "< 2 s")
    ratio = tree.events_per_s / shorthand.events_per_s
    target("events/s, tree / shorthand", ratio, ratio >= 1, ">= 1")


if __name__ == "__main__":
    main()

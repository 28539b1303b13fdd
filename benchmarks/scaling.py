"""Benchmark 2: how run time grows with the organisation, and what idle agents cost.

Scaling: each default scenario at 1x, 4x and 16x its team count (customers and
employees grow with the teams, demand per customer stays the same; every layer's
span is kept, so each manager's load stays the same: the table shows the mean
utilisation of each approval layer). The slope of log(run time) against log(events)
is 1.0 when cost grows with the work alone.

Idle agents: the hierarchy at 1x against the same hierarchy with ``--idle-customers``
times the customers, each sending that much less (the same pooled demand; churn is
off in both, so that they do the same work), over twice ``--repeats`` rounds. Build
time is shown apart from run time. Idle customers cost measurable run time if the run
time per event is higher with them in every round (a sign test, p <= 1/32 at 5 rounds).

Run ``python benchmarks/scaling.py --repeats 5``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from common import (
    DEFAULT_SCENARIOS,
    OrgRun,
    interleaved,
    loglog_slope,
    make_parser,
    median,
    print_table,
    run_orgsim,
    scenario_path,
    target,
    team_shape,
)

from orgsim import OrgModel, load_scenario

FACTORS = (1, 4, 16)


@dataclass(frozen=True)
class SizedRun:
    """One run with the size of its organisation and the load of its layers.

    Attributes:
        run: Timings and counts (the model itself is dropped).
        customers: Customers.
        employees: Employees.
        loads: Mean utilisation of each approval layer, bottom up, as ``a/b/c``.
    """

    run: OrgRun
    customers: int
    employees: int
    loads: str


def _layer_loads(model: OrgModel) -> str:
    """Mean utilisation of each approval layer's in-trays, bottom up, as ``a/b/c``."""
    by_layer: dict[int, list[float]] = defaultdict(list)
    for manager in model.org.managers:
        if manager.station is not None:
            by_layer[manager.layer].append(manager.station.statistics()["utilisation"])
    return "/".join(f"{sum(u) / len(u):.2f}" for _, u in sorted(by_layer.items())) or "-"


def _job(name: str, overrides: Mapping[str, Any], seed: int) -> SizedRun:
    """One timed run of a shipped scenario; the model is measured, then dropped."""
    run = run_orgsim(scenario_path(name), seed, overrides, gather=False, keep_model=True)
    model = run.model
    assert model is not None
    return SizedRun(
        replace(run, model=None),
        len(model.customers),
        len(model.org.employees),
        _layer_loads(model),
    )


def _sized_jobs(name: str, factors: Sequence[int], days: float) -> dict[str, partial[SizedRun]]:
    """Jobs running scenario ``name`` at each factor of its team count."""
    teams, _ = team_shape(name)
    return {
        f"{name} {f}x": partial(_job, name, {"structure.teams.count": teams * f, "run.days": days})
        for f in factors
    }


HEADERS = ("run", "customers", "employees", "events", "build s", "run s", "events/s", "layer util")


def _scaling_row(label: str, sized: Sequence[SizedRun]) -> list[str]:
    runs = [s.run for s in sized]
    return [
        label,
        f"{sized[0].customers:,}",
        f"{sized[0].employees:,}",
        f"{median([r.events for r in runs]):,.0f}",
        f"{median([r.build_s for r in runs]):.3f}",
        f"{median([r.run_s for r in runs]):.3f}",
        f"{median([r.events_per_s for r in runs]):,.0f}",
        sized[0].loads,
    ]


def _print_runs(title: str, results: Mapping[str, Sequence[SizedRun]]) -> None:
    print(title)
    print_table(HEADERS, [_scaling_row(label, runs) for label, runs in results.items()])


def _slope(sizes: Sequence[Sequence[SizedRun]], build: bool) -> float:
    """Slope of log(median time) on log(median events) over sizes; ``build`` adds build time."""
    events = [median([s.run.events for s in size]) for size in sizes]
    times = [median([s.run.run_s + s.run.build_s * build for s in size]) for size in sizes]
    return loglog_slope(events, times)


def scaling(
    names: Sequence[str], factors: Sequence[int], days: float, repeats: int, seed: int
) -> None:
    """Run and report the scaling of each scenario, with the slope of each.

    Args:
        names: Scenario stems.
        factors: Multiples of the team count.
        days: Days simulated per run.
        repeats: Rounds.
        seed: Seed of the first round.
    """
    jobs = {label: job for name in names for label, job in _sized_jobs(name, factors, days).items()}
    results = interleaved(jobs, repeats, seed)
    _print_runs(
        f"scaling: {days:g} days, {repeats} round(s), medians; layer util = approvers, bottom up",
        results,
    )
    for name in names:
        runs = [runs for label, runs in results.items() if label.startswith(f"{name} ")]
        slope = _slope(runs, build=False)
        target(f"{name}: slope of log(run s) on log(events)", slope, 0.9 <= slope <= 1.1, "0.9-1.1")
        print(f"           (with build time: {_slope(runs, build=True):.3f})")
    print()


SIGN_TEST_ROUNDS = 5
GOAL = "not slower in every round of 5 or more"
NO_CHURN = {"satisfaction.churn.probability": 0.0}
"""Churn off: a customer sending 1/k as much would otherwise churn on another path."""


def _idle_overrides(customers: int) -> dict[str, Any]:
    """Return the overrides that crowd the hierarchy with mostly idle customers.

    Args:
        customers: Multiple of the customers; each sends that much less (same demand).

    Returns:
        Dotted-path overrides.
    """
    demand = load_scenario(scenario_path("hierarchy")).demand
    return {
        "demand.customers_per_team": demand.customers_per_team * customers,
        "demand.requests_per_customer_per_day": demand.requests_per_customer_per_day / customers,
    }


def idle(customers: int, days: float, repeats: int, seed: int) -> None:
    """Run and report the hierarchy with and without many idle customers.

    Both runs have churn switched off, so that they do the same work: the same pooled
    Poisson demand, with the same kinds, values and work, spread over more customers.

    Args:
        customers: Multiple of the customers (each sends that much less).
        days: Days simulated per run.
        repeats: Rounds.
        seed: Seed of the first round.
    """
    busy = {"run.days": days} | NO_CHURN
    crowd = busy | _idle_overrides(customers)
    jobs = {
        "hierarchy": partial(_job, "hierarchy", busy),
        "+ idle": partial(_job, "hierarchy", crowd),
    }
    results = interleaved(jobs, repeats, seed)
    _print_runs(
        f"idle agents: hierarchy without churn, {days:g} days; x{customers} customers, each "
        f"sending 1/{customers} as much; {repeats} round(s), medians",
        results,
    )
    per_event = [[s.run.run_s / s.run.events for s in results[n]] for n in ("+ idle", "hierarchy")]
    ratios = [a / b for a, b in zip(*per_event, strict=True)]
    slower = sum(r > 1 for r in ratios)
    # Measurable: slower in every one of at least 5 rounds (a sign test, p <= 1/32).
    measurable = slower == len(ratios) >= SIGN_TEST_ROUNDS
    target("run time per event, idle / base (median)", median(ratios), not measurable, GOAL)
    print(f"           (idle slower in {slower} of {len(ratios)} rounds; ratios ", end="")
    print(f"{min(ratios):.3f} to {max(ratios):.3f})\n", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the scaling and the idle-agents benchmarks.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.
    """
    parser = make_parser("Scaling with organisation size, and the cost of idle agents.", repeats=5)
    parser.add_argument("--days", type=float, default=360.0, help="days simulated per run")
    parser.add_argument("--idle-customers", type=int, default=100, help="customer multiple")
    args = parser.parse_args(argv)
    days, factors, repeats = (20.0, (1, 4), 1) if args.tiny else (args.days, FACTORS, args.repeats)
    scaling(DEFAULT_SCENARIOS, factors, days, repeats, args.seed)
    idle(args.idle_customers, days, 2 * repeats, args.seed)


if __name__ == "__main__":
    main()

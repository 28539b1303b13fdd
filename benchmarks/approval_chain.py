"""Benchmark 1: the approval chain in orgsim against SimPy, Ciw, Mesa and a bare heapq loop.

Three single-server approval layers in series, Poisson arrivals at rate 0.8,
exponential reviews at rate 1.0, everything escalated (a Jackson tandem, mean
response 15.0 h). orgsim runs it as a scenario (:func:`orgsim.degenerate.tandem`);
the peers are those of :mod:`peers`. Each round runs every contender once with the
round's seed; the table shows medians over rounds and per-round ratios to orgsim.

A second table runs the whole model (two shipped scenarios, and one with every
mechanism group on) in child processes, on the express loop and on the general one,
and with ``--baseline DIR`` (another checkout, e.g. ``git worktree add /tmp/base
<commit>``) the same runs of that tree interleaved with this one's, so that an
optimisation's gain is measured in one run.

Run ``python benchmarks/approval_chain.py --requests 200000 --repeats 5``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from common import (
    BENCHMARKS,
    interleaved,
    make_parser,
    median,
    median_ratio,
    print_table,
    run_child,
    run_orgsim,
    scenario_path,
    tandem_scenario,
    target,
)
from peers import (
    DEFAULT_LAM,
    DEFAULT_MUS,
    PeerResult,
    jackson_mean_response,
    run_bespoke,
    run_bespoke_objects,
    run_ciw,
    run_heapq,
    run_mesa,
    run_simpy,
    run_simpy_callbacks,
)

REFERENCE = "orgsim"
GENERAL = "orgsim (general loop)"
STYLES = {
    "orgsim": "a scenario: the whole model, per-request log",
    GENERAL: "the same, every step through its callback (engine='general')",
    "orgsim (no log)": "a scenario, per-request log off",
    "heapq": "hand-written event loop (the floor)",
    "bespoke": "hand-written: this chain with orgsim's work per request (the ceiling)",
    "bespoke (objects)": "the same with orgsim's draws, counts and curve; lean slotted objects",
    "bespoke (orgsim's objects)": "the same, in orgsim's own Request and Station objects",
    "simpy": "processes + Resource (SimPy's documented style)",
    "simpy (callbacks)": "callbacks on timeouts, no processes (SimPy's fastest)",
    "ciw": "a Ciw network (Ciw's one style)",
    "mesa": "Mesa 3.5 DEVSimulator, callbacks (Mesa's event list)",
}
"""How each contender is written: the table says it, so that no peer is shown at its slowest."""
CEILINGS = ("bespoke", "bespoke (objects)", "bespoke (orgsim's objects)")
"""The hand-written chain, its state in lists and in objects: how near SimPy's fastest any
engine doing orgsim's work can come, and what holding that state in objects costs."""


def run_orgsim_chain(
    n_requests: int,
    lam: float,
    mus: tuple[float, ...],
    seed: int,
    keep_log: bool = True,
    engine: str = "express",
) -> PeerResult:
    """Run the approval chain as an orgsim scenario.

    Timed: validating the scenario, building the model and running it (orgsim draws
    its variates during the run). Not timed: gathering the summary (the mean response,
    over requests created after the warm-up, as the peers' untimed mean).

    Args:
        n_requests: Expected number of requests.
        lam: Poisson arrival rate (must be the scenario's, :data:`peers.DEFAULT_LAM`).
        mus: Service rate of each layer (must be :data:`peers.DEFAULT_MUS`).
        seed: The run's seed.
        keep_log: Keep the per-request log (needed for the mean response).
        engine: The model's loop: ``"express"`` (the default) or ``"general"``.

    Returns:
        The run's :class:`peers.PeerResult`; ``logical_events`` is orgsim's event count.
    """
    if lam != DEFAULT_LAM or tuple(mus) != DEFAULT_MUS:
        raise ValueError("the orgsim chain is built for the default rates only")
    scenario = tandem_scenario(n_requests)
    run = run_orgsim(scenario, seed, keep_log=keep_log, engine=engine)
    name = GENERAL if engine == "general" else REFERENCE if keep_log else f"{REFERENCE} (no log)"
    mean = run.summary["response_time_mean_h"]
    return PeerResult(name, run.requests, run.events, run.build_s + run.run_s, mean)


def contenders(with_nolog: bool) -> dict[str, Callable[..., PeerResult]]:
    """Return the contenders by name, orgsim first.

    Args:
        with_nolog: Also run orgsim with the per-request log switched off.

    Returns:
        Name to a function of ``(n_requests, lam, mus, seed)``.
    """
    runners: dict[str, Callable[..., PeerResult]] = {
        REFERENCE: run_orgsim_chain,
        GENERAL: partial(run_orgsim_chain, engine="general"),
    }
    if with_nolog:
        runners["orgsim (no log)"] = partial(run_orgsim_chain, keep_log=False)
    runners |= {
        "heapq": run_heapq,
        "bespoke": run_bespoke,
        "bespoke (objects)": run_bespoke_objects,
        "bespoke (orgsim's objects)": partial(run_bespoke_objects, model=True),
        "simpy": run_simpy,
        "simpy (callbacks)": run_simpy_callbacks,
        "ciw": run_ciw,
        "mesa": run_mesa,
    }
    return runners


def _rates(results: Sequence[PeerResult]) -> list[float]:
    return [r.logical_events / r.wall_s for r in results]


def _response_cells(response: float, theory: float) -> list[str]:
    """The mean response and its error against theory, or dashes if it was not measured."""
    if math.isnan(response):
        return ["-", "-"]
    return [f"{response:.3f}", f"{100 * (response / theory - 1):+.2f}%"]


def _row(
    results: Sequence[PeerResult], reference: Sequence[PeerResult], theory: float
) -> list[str]:
    """Format one contender's row: medians, the ratio to orgsim and the response error."""
    response = median([r.mean_response_h for r in results])
    return [
        results[0].name,
        f"{median([r.logical_events for r in results]):,.0f}",
        f"{median([r.wall_s for r in results]):.3f}",
        f"{median(_rates(results)):,.0f}",
        f"{median_ratio(_rates(results), _rates(reference)):.2f}",
        *_response_cells(response, theory),
        STYLES[results[0].name],
    ]


def report(results: dict[str, list[PeerResult]], n_requests: int) -> None:
    """Print the table and the two targets.

    Args:
        results: Each contender's results, in round order.
        n_requests: Requests per run.
    """
    theory = jackson_mean_response(DEFAULT_LAM, DEFAULT_MUS)
    rounds = len(results[REFERENCE])
    print(f"approval chain: M/M/1 x{len(DEFAULT_MUS)}, lam={DEFAULT_LAM}, ", end="")
    print(f"N={n_requests:,}, {rounds} round(s), medians; Jackson mean response {theory:g} h")
    headers = ["simulator", "events", "wall s", "events/s", "x orgsim", "resp h", "vs theory"]
    headers.append("style")
    reference = results[REFERENCE]
    print_table(headers, [_row(runs, reference, theory) for runs in results.values()])
    simpy = median_ratio(_rates(reference), _rates(results["simpy"]))
    fastest = median_ratio(_rates(reference), _rates(results["simpy (callbacks)"]))
    floor = median_ratio(_rates(results["heapq"]), _rates(reference))
    mesa = median_ratio(_rates(reference), _rates(results["mesa"]))
    callbacks = _rates(results["simpy (callbacks)"])
    ceilings = {name: median_ratio(_rates(results[name]), callbacks) for name in CEILINGS}
    target("orgsim events/s / SimPy (processes) events/s", simpy, simpy >= 3, ">= 3")
    target("orgsim events/s / SimPy (callbacks) events/s", fastest, fastest >= 1, ">= 1")
    print(f"  (no target)  orgsim events/s / Mesa events/s = {mesa:.3f}")
    for name, ratio in ceilings.items():
        print(f"  (no target)  {name} events/s / SimPy (callbacks) events/s = {ratio:.3f}")
    target("heapq events/s / orgsim events/s", floor, floor <= 3, "<= 3")


# --- the whole model, this tree against a baseline ------------------------------------

CHAIN = "approval chain"
"""The chain itself as a row of the whole model's table: this tree against the baseline's."""
MODEL_SCENARIOS = {
    CHAIN: None,
    "hierarchy": scenario_path("hierarchy"),
    "self_managing": scenario_path("self_managing"),
    "all_mechanisms": BENCHMARKS.parent / "tests" / "data" / "all_mechanisms.yaml",
}
"""The whole model's rows: the chain (``--requests``), the two shipped defaults, and every
mechanism group on (``--model-days`` each)."""


def measure_model(
    scenario: str, days: float, requests: int, seed: int, engine: str | None = None
) -> dict[str, Any]:
    """Build and run one of :data:`MODEL_SCENARIOS` (in a child): events, seconds, its tree.

    Timed as orgsim's chain: validating, building and running (not gathering), on the
    tree's default loop or on ``engine``.
    """
    import orgsim

    if scenario == CHAIN:
        run = run_orgsim(tandem_scenario(requests), seed, gather=False, engine=engine)
    else:
        overrides = {"run.days": days, "run.warmup_days": min(10.0, days / 4)}
        path = MODEL_SCENARIOS[scenario]
        run = run_orgsim(path, seed, overrides, gather=False, engine=engine)
    tree = str(Path(orgsim.__file__).resolve().parents[1])
    return {"events": run.events, "seconds": run.build_s + run.run_s, "tree": tree}


def model_rows(baseline: Path | None, days: float, requests: int, repeats: int, seed: int) -> None:
    """Print events/s of the whole model: this tree's two loops and the baseline, interleaved.

    This tree runs on its express loop and on its general one (``engine="general"``);
    the baseline (if given) on its own default.

    Args:
        baseline: Another checkout of orgsim, or ``None``.
        days: Working days per run.
        requests: Requests of the chain's run.
        repeats: Rounds; each runs every scenario in every tree once, in a fresh child.
        seed: Seed of the first round.
    """
    trees: dict[str, tuple[Path | None, str | None]] = {
        "this tree": (None, None),
        "general loop": (None, "general"),
    } | ({"baseline": (baseline, None)} if baseline else {})
    rates: dict[tuple[str, str], list[float]] = {}
    events: dict[str, int] = {}
    unread: dict[tuple[str, str], str] = {}  # a scenario an older tree cannot read
    for r in range(repeats):
        for name in MODEL_SCENARIOS:
            for label, (tree, engine) in trees.items():
                if (name, label) in unread:
                    continue
                payload = {"scenario": name, "days": days, "requests": requests, "seed": seed + r}
                payload |= {"engine": engine} if engine else {}
                try:
                    figures = run_child(Path(__file__), payload, tree)
                except RuntimeError as error:
                    if tree is None or "ScenarioError" not in str(error):
                        raise
                    unread[name, label] = str(error).strip().splitlines()[-1]
                    continue
                expected = Path(tree or BENCHMARKS.parent).resolve()
                if Path(figures["tree"]) != expected:
                    raise RuntimeError(f"the child ran {figures['tree']}, not {expected}")
                rates.setdefault((name, label), []).append(figures["events"] / figures["seconds"])
                events[name] = figures["events"]
    print(f"\nthe whole model: {days:g} working days, {repeats} round(s) in fresh children")
    headers = ["scenario", "events", *(f"events/s {label}" for label in trees)]
    rows = []
    for name in MODEL_SCENARIOS:
        row = [name, f"{events[name]:,}"]
        row += [
            f"{median(rates[name, label]):,.0f}" if (name, label) in rates else "n/a"
            for label in trees
        ]
        for label in list(trees)[1:]:
            measured = (name, label) in rates
            ratio = median_ratio(rates[name, "this tree"], rates[name, label]) if measured else None
            row.append(f"{ratio:.2f}" if ratio is not None else "n/a")
        rows.append(row)
    print_table(headers + [f"x {label}" for label in list(trees)[1:]], rows)
    if baseline:
        print(f"  baseline: {baseline}")
    for (name, _), why in unread.items():
        print(f"  n/a: the baseline cannot read {name} (newer settings): {why[:160]}")


def main(argv: list[str] | None = None) -> None:
    """Run every contender ``--repeats`` times, interleaved, and print the comparison.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.
    """
    parser = make_parser("Approval chain: orgsim against SimPy, Ciw and heapq.", repeats=5)
    parser.add_argument("--requests", type=int, default=200_000, help="requests per run")
    parser.add_argument("--no-log-row", action="store_true", help="add orgsim without its log")
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="another orgsim checkout")
    parser.add_argument("--model-days", type=float, default=250.0, help="whole model's days")
    parser.add_argument("--no-model-rows", action="store_true", help="the chain only")
    example = {"scenario": "hierarchy", "days": 9, "requests": 0, "seed": 1}
    parser.add_argument("--child", help=json.dumps(example))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_model(**json.loads(args.child))))
        return
    n_requests, repeats = (2_000, 1) if args.tiny else (args.requests, args.repeats)
    runners = contenders(args.no_log_row)
    # one small untimed round first: imports and first-use costs fall on no contender
    interleaved(
        {name: partial(run, 2_000, DEFAULT_LAM, DEFAULT_MUS) for name, run in runners.items()},
        1,
        args.seed,
    )
    jobs = {
        name: partial(runner, n_requests, DEFAULT_LAM, DEFAULT_MUS)
        for name, runner in runners.items()
    }
    report(interleaved(jobs, repeats, args.seed), n_requests)
    if not args.no_model_rows:
        days = 12.0 if args.tiny else args.model_days
        model_rows(args.baseline, days, n_requests, repeats, args.seed)


if __name__ == "__main__":
    main()

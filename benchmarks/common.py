"""Helpers shared by the benchmarks: timing orgsim, repeats, child processes, memory, tables.

Every benchmark runs its contenders side by side in one process (or one fresh child
process per configuration for memory), interleaving the repeats so that the noise of
a shared machine falls on all of them alike, and reports medians and ratios.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peers import DEFAULT_LAM, DEFAULT_MUS, WARMUP_FRACTION

from orgsim import OrgModel, load_scenario
from orgsim.results.run import collect
from orgsim.validate.degenerate import tandem

BENCHMARKS = Path(__file__).resolve().parent
SCENARIOS = BENCHMARKS.parent / "scenarios"
DEFAULT_SCENARIOS = ("hierarchy", "self_managing")


# --- command line ----------------------------------------------------------------------


def make_parser(description: str, repeats: int, seed: int = 1) -> argparse.ArgumentParser:
    """Return a parser with the options every benchmark shares.

    Args:
        description: What the benchmark measures.
        repeats: Default number of repetitions.
        seed: Default seed of the first repetition (repetition ``r`` uses ``seed + r``).

    Returns:
        A parser with ``--repeats``, ``--seed`` and ``--tiny``.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=repeats, help="repetitions (median)")
    parser.add_argument("--seed", type=int, default=seed, help="seed of the first repetition")
    parser.add_argument("--tiny", action="store_true", help="a few seconds, for CI smoke runs")
    return parser


# --- scenarios -------------------------------------------------------------------------


def scenario_path(name: str) -> Path:
    """Return the file of a scenario shipped in ``scenarios/``.

    Args:
        name: File stem, e.g. ``"hierarchy"``.

    Returns:
        The path of ``scenarios/<name>.yaml``.
    """
    return SCENARIOS / f"{name}.yaml"


def team_shape(name: str) -> tuple[int, int]:
    """Return the team count and team size of a shipped scenario.

    Args:
        name: File stem of the scenario.

    Returns:
        ``(teams.count, teams.size)``.
    """
    teams = load_scenario(scenario_path(name)).structure.teams
    return teams.count, teams.size


def tandem_scenario(n_requests: int) -> dict[str, Any]:
    """The approval-chain workload of :mod:`peers` as an orgsim scenario.

    Three single approvers in series, everything escalated, arrivals for
    ``n_requests / lam`` hours, the first ``WARMUP_FRACTION`` of the time excluded.
    """
    hours = n_requests / DEFAULT_LAM
    return tandem(DEFAULT_LAM, DEFAULT_MUS, hours, WARMUP_FRACTION * hours)


# --- timing orgsim ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRun:
    """Timings and counts of one orgsim run.

    Attributes:
        build_s: Seconds to validate the scenario and build the model.
        run_s: Seconds of ``model.run()``.
        collect_s: Seconds to gather the result (0 if not collected).
        events: Events processed by orgsim's loop.
        requests: Requests created.
        summary: The run's summary (empty if not collected).
        model: The model, kept only when asked for.
    """

    build_s: float
    run_s: float
    collect_s: float
    events: int
    requests: int
    summary: dict[str, Any]
    model: OrgModel | None = None

    @property
    def events_per_s(self) -> float:
        """Events per second of the run alone."""
        return self.events / self.run_s


def run_orgsim(
    scenario: str | Path | Mapping[str, Any],
    seed: int,
    overrides: Mapping[str, Any] | None = None,
    keep_log: bool = True,
    gather: bool = True,
    keep_model: bool = False,
    engine: str | None = None,
) -> OrgRun:
    """Build and run an orgsim model, timing each phase separately.

    Args:
        scenario: Scenario file or mapping.
        seed: The run's seed.
        overrides: Dotted-path overrides.
        keep_log: Keep the per-request log.
        gather: Also gather the result (``collect``) and keep its summary.
        keep_model: Keep the model in the result (for inspection).
        engine: The model's loop (``"express"`` or ``"general"``); ``None``: its default,
            the only choice of a tree older than the express loop.

    Returns:
        The run's :class:`OrgRun`.
    """
    gc.collect()
    start = time.perf_counter()
    chosen = {} if engine is None else {"engine": engine}
    model = OrgModel(
        scenario, rng=seed, overrides=dict(overrides or {}), keep_log=keep_log, **chosen
    )
    built = time.perf_counter()
    model.run()
    ran = time.perf_counter()
    summary = collect(model).summary if gather else {}
    done = time.perf_counter()
    return OrgRun(
        build_s=built - start,
        run_s=ran - built,
        collect_s=done - ran if gather else 0.0,
        events=model.loop.processed,
        requests=model.life.counts.created,
        summary=summary,
        model=model if keep_model else None,
    )


# --- repeats and statistics ------------------------------------------------------------


def interleaved[T](
    jobs: Mapping[str, Callable[[int], T]], repeats: int, seed: int
) -> dict[str, list[T]]:
    """Run every job once per round, round after round, so noise hits all jobs alike.

    Args:
        jobs: Named jobs; each takes the round's seed.
        repeats: Number of rounds.
        seed: Seed of the first round; round ``r`` uses ``seed + r``.

    Returns:
        Each job's results, in round order.
    """
    results: dict[str, list[T]] = {name: [] for name in jobs}
    for r in range(repeats):
        for name, job in jobs.items():
            gc.collect()
            results[name].append(job(seed + r))
    return results


def median(values: Sequence[float]) -> float:
    """Return the median of ``values``."""
    return float(statistics.median(values))


def median_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """Return the median over rounds of ``numerator / denominator`` (paired by round).

    Args:
        numerators: One value per round.
        denominators: One value per round, same length.

    Returns:
        The median of the per-round ratios.
    """
    return median([a / b for a, b in zip(numerators, denominators, strict=True)])


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Return the least-squares slope of ``log(y)`` against ``log(x)``.

    Args:
        xs: Positive abscissae (e.g. events).
        ys: Positive ordinates (e.g. seconds).

    Returns:
        The slope; 1.0 means ``y`` grows in proportion to ``x``.
    """
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    sxx = sum((x - mx) ** 2 for x in lx)
    return sum((x - mx) * (y - my) for x, y in zip(lx, ly, strict=True)) / sxx


# --- child processes and memory --------------------------------------------------------


def run_child(script: Path, payload: Mapping[str, Any], tree: Path | None = None) -> dict[str, Any]:
    """Run ``script --child JSON`` in a fresh interpreter and return its JSON answer.

    Args:
        script: A benchmark script whose ``main`` handles ``--child``.
        payload: The configuration, passed as JSON.
        tree: Another checkout of orgsim for the child to import (put first on its
            ``PYTHONPATH``), to measure an older commit beside this one; ``None``: this one.

    Returns:
        The JSON object the child printed on its last line of output.

    Raises:
        RuntimeError: The child failed.
    """
    command = [sys.executable, str(script), "--child", json.dumps(dict(payload))]
    env = None if tree is None else os.environ | {"PYTHONPATH": str(tree)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"child {command} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_kib(field: str) -> int | None:
    """Return a ``/proc/self/status`` field in KiB, or ``None`` where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux ``clear_refs``).

    Returns:
        Whether the mark could be reset; if not, :func:`peak_rss` falls back to
        ``ru_maxrss``, the peak since the process started.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return _status_kib("VmHWM") is not None


def current_rss() -> int:
    """Return the resident set size of this process now, in bytes."""
    kib = _status_kib("VmRSS")
    return 1024 * kib if kib is not None else peak_rss()


def peak_rss() -> int:
    """Return the peak resident set size of this process, in bytes (since the last reset)."""
    kib = _status_kib("VmHWM")
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return 1024 * kib


# --- output ----------------------------------------------------------------------------


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print an aligned table: the first column left-aligned, the others right-aligned.

    Args:
        headers: Column titles.
        rows: Cells, already formatted as text.
    """
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first = f"{cells[0]:<{widths[0]}}"
        rest = (f"{cell:>{width}}" for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    print(line(headers))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print(line(row))
    print(flush=True)


def target(label: str, value: float, ok: bool, goal: str) -> None:
    """Print one target line: the measured value, the goal and whether it is met.

    Args:
        label: What is measured.
        value: The measured figure.
        ok: Whether the target is met.
        goal: The target, as text.
    """
    print(f"  {'MET    ' if ok else 'NOT MET'}  {label} = {value:.3f}  (target {goal})", flush=True)

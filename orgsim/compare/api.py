"""``orgsim.compare``: scenarios run over common seeds, as tables and as a report.

Replication r of every scenario runs with seed ``seed + r``, so each structure faces
the very same customers and requests in it (common random numbers); differences to
the first scenario are taken replication by replication. With ``out``, each run is
appended to ``out/runs.jsonl`` as it ends, and a later call with the same scenarios
into the same folder skips the runs already there.

Example::

    import orgsim

    result = orgsim.compare(["scenarios/hierarchy.yaml", "scenarios/self_managing.yaml"])
    result.summary  # one row per scenario and figure (pandas)
    orgsim.compare.write_report(result, "results/comparison")

With ``workers`` above 1, call it under ``if __name__ == "__main__":`` in a script:
worker processes are spawned, and re-import the script that starts them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

from orgsim.compare import store
from orgsim.compare.comparison import Comparison
from orgsim.compare.defaults import DEFAULT_REPLICATIONS
from orgsim.compare.workers import Job, cores, run_jobs
from orgsim.results.run import assignments
from orgsim.scenario import limits, workload
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import short
from orgsim.scenario.loading import Overrides, load_scenario
from orgsim.scenario.schema import Scenario


def compare(
    scenarios: Sequence[str | Path | Scenario],
    replications: int = DEFAULT_REPLICATIONS,
    days: float | None = None,
    seed: int = 1,
    workers: int | None = None,
    overrides: Overrides = (),
    out: str | Path | None = None,
    force: bool = False,
    resume: bool = False,
    on_run: Callable[[dict[str, Any], int], object] | None = None,
    command: str = "",
    max_runs: int = limits.MAX_RUNS,
) -> Comparison:
    """Run every scenario ``replications`` times over common seeds and gather the runs.

    Args:
        scenarios: scenario files or validated scenarios; the first is the baseline.
        replications: runs per scenario (at least 2, for an interval).
        days: horizon in working days (default: each file's ``run.days``).
        seed: base seed: replication r of every scenario uses ``seed + r``.
        workers: processes at most (default: the machine's cores).
        overrides: dotted-path overrides applied to every scenario.
        out: a folder to keep the runs in as they end, and resume from.
        force: replace a different comparison held in ``out``.
        resume: insist that ``out`` holds this comparison already.
        on_run: called with each run's record as it ends, and the number of runs
            done so far (those found in ``out`` included): a progress bar.
        command: how the comparison was asked for, for the report.
        max_runs: refuse a comparison of more runs (scenarios x replications).

    Raises:
        ScenarioError: a scenario, an option or the output folder is not usable, or
            the comparison would make more than ``max_runs`` runs, or a run too much work.
    """
    sources = _sources(scenarios)
    replications = limits.check_count(replications, "replications", low=2)
    seed = limits.check_seed(seed)
    workers = None if workers is None else limits.check_count(workers, "workers")
    limits.check_runs(
        len(sources) * replications,
        limits.check_count(max_runs, "max_runs"),
        f"{len(sources)} scenario(s) x {replications:,} replications",
    )
    if out is not None and not isinstance(out, str | PathLike):
        raise ScenarioError(f"out: expected a folder name, found {short(out)}")
    if on_run is not None and not callable(on_run):
        raise ScenarioError(f"on_run: expected a function, found {short(on_run)}")
    loaded = load_all(sources, _with_days(overrides, days))
    for scenario in loaded:  # refused now, not once per run
        workload.check(scenario)
    hashes = [s.digest() for s in loaded]
    seeds = [seed + r for r in range(replications)]
    jobs = [Job(i, s) for i in range(len(loaded)) for s in seeds]
    done: dict[tuple[str, int], dict[str, Any]] = {}
    log = None
    if out is not None:
        folder = Path(out)
        ident = store.identity(list(zip([s.name for s in loaded], hashes, strict=True)))
        for record in store.open_folder(folder, ident, force, resume):
            done[record["scenario_hash"], record["seed"]] = record
        log = store.RunLog(folder / store.RUNS)
    pending = [j for j in jobs if (hashes[j.scenario], j.seed) not in done]
    resumed = len(jobs) - len(pending)
    finished = [resumed]

    def keep(record: dict[str, Any]) -> None:
        kept = log.append(record) if log else store.normalised(record)
        done[kept["scenario_hash"], kept["seed"]] = kept
        finished[0] += 1
        if on_run:
            on_run(kept, finished[0])

    start = time.perf_counter()
    used = run_jobs(loaded, hashes, pending, workers or cores(), keep) if pending else 0
    records = [done[hashes[j.scenario], j.seed] for j in jobs]
    return Comparison(loaded, seeds, records, used, time.perf_counter() - start, command, resumed)


def _sources(scenarios: object) -> list[Any]:
    """The scenarios as a list; a single file name is not a list of its characters."""
    if isinstance(scenarios, str | bytes | PathLike | Scenario | Mapping):
        raise ScenarioError(
            f"scenarios: expected a list of scenario files, the first the baseline, found "
            f"one: {short(scenarios)}; pass [{short(scenarios)}, ...]"
        )
    if not isinstance(scenarios, Iterable):
        raise ScenarioError(
            f"scenarios: expected a list of scenario files, found {short(scenarios)}"
        )
    return list(scenarios)


def _with_days(overrides: Overrides, days: float | None) -> list[Any]:
    """The overrides, with ``days`` as one more, so errors name files."""
    changes = assignments(overrides)
    return [*changes, *([("run.days", days)] if days is not None else [])]


def load_all(
    sources: Sequence[str | Path | Scenario], overrides: Mapping[str, Any] | Sequence[str]
) -> list[Scenario]:
    """The scenarios to compare, each with the same overrides, their names distinct."""
    if len(sources) < 1:
        raise ScenarioError("scenarios: at least one scenario file is needed")
    scenarios = [load_scenario(source, overrides) for source in sources]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(
            f"{', '.join(map(str, sources))}: the scenarios to compare need distinct "
            f"`name`s, got {names}"
        )
    return scenarios


def write_report(comparison: Comparison, directory: str | Path) -> dict[str, Path]:
    """Write report.html, report.md, summary.csv, runs.parquet and the figures.

    Returns:
        Each written file by its role (``"html"``, ``"markdown"``, ``"summary"``, ...).

    Raises:
        ScenarioError: ``comparison`` is not one, or ``directory`` not a folder name.
    """
    from orgsim.compare.report import write

    if not isinstance(comparison, Comparison):
        raise ScenarioError(
            f"write_report: expected the result of orgsim.compare(...), found {short(comparison)}"
        )
    if not isinstance(directory, str | PathLike):
        raise ScenarioError(f"write_report: expected a folder name, found {short(directory)}")

    return write(comparison, Path(directory))

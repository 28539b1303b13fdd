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

from orgsim.compare import attribution, store
from orgsim.compare import factors as factor_groups
from orgsim.compare.comparison import Comparison
from orgsim.compare.defaults import DEFAULT_REPLICATIONS
from orgsim.compare.measures import HEADLINE_KEYS
from orgsim.compare.workers import Job, cores, idle_cores, run_jobs
from orgsim.results import run_logs
from orgsim.results.files import ready_folder
from orgsim.results.run_logs import RunLogs
from orgsim.scenario import limits, workload
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import short
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.overrides import Overrides, as_pairs
from orgsim.scenario.schema import Scenario


def compare(
    scenarios: Sequence[str | Path | Scenario],
    replications: int = DEFAULT_REPLICATIONS,
    days: float | None = None,
    seed: int = 1,
    workers: int | None = None,
    overrides: Overrides = (),
    overrides_for: Mapping[str, Overrides] | None = None,
    variants: Mapping[str, Overrides] | None = None,
    out: str | Path | None = None,
    force: bool = False,
    resume: bool = False,
    on_run: Callable[[dict[str, Any], int], object] | None = None,
    command: str = "",
    explain: bool = False,
    factors: Mapping[str, Sequence[str]] | None = None,
    on_plan: Callable[[str, int], object] | None = None,
    max_runs: int = limits.MAX_RUNS,
    event_logs: str | Path | None = None,
    event_log_format: str = "xes.gz",
) -> Comparison:
    """Run every scenario ``replications`` times over common seeds and gather the runs.

    Args:
        scenarios: scenario files or validated scenarios; the first is the baseline.
        replications: runs per scenario (at least 2, for an interval).
        days: horizon in working days (default: each file's ``run.days``).
        seed: base seed: replication r of every scenario uses ``seed + r``.
        workers: processes at most (default: the machine's cores).
        overrides: dotted-path overrides applied to every scenario.
        overrides_for: per scenario name, overrides applied to that scenario only.
        variants: named copies of the first scenario, each with its overrides,
            compared after the scenarios (no file written): ``{"flatter":
            {"structure.layers[1].mandate": None}}``.
        out: a folder to keep the runs in as they end, and resume from.
        force: replace a different comparison held in ``out``.
        resume: insist that ``out`` holds this comparison already.
        on_run: called with each run's record as it ends, and the number of runs
            done so far (those found in ``out`` included): a progress bar.
        command: how the comparison was asked for, for the report.
        explain: also attribute each scenario's difference to the baseline to the
            factors they differ in (:mod:`~orgsim.compare.attribution`), running the
            mixes over the same seeds, into ``out/attribution-<i>/``.
        factors: with ``explain``, factor name -> setting paths grouped as one factor.
        on_plan: with ``explain``, called before each design's runs start with its
            description (run count and time estimate) and its run count.
        max_runs: refuse a comparison of more runs (scenarios x replications).
        event_logs: a folder where each run's event log is written as the run ends,
            ``NAME_seedSEED.FORMAT`` (:mod:`orgsim.results.run_logs`); sizes are
            checked first. Runs found done in ``out`` are not run again, nor logged;
            nor are the mixes ``explain`` runs.
        event_log_format: ``xes.gz`` (default), ``csv.gz``, ``xes`` or ``csv``.

    Raises:
        ScenarioError: a scenario, an option or the output folder is not usable, or
            the comparison would make more than ``max_runs`` runs, or a run too much work.
    """
    sources = _sources(scenarios)
    replications = limits.check_count(replications, "replications", low=2)
    seed = limits.check_seed(seed)
    workers = None if workers is None else limits.check_count(workers, "workers")
    limits.check_runs(
        (len(sources) + len(variants or {})) * replications,
        limits.check_count(max_runs, "max_runs"),
        f"{len(sources)} scenario(s) x {replications:,} replications",
    )
    if out is not None and not isinstance(out, str | PathLike):
        raise ScenarioError(f"out: expected a folder name, found {short(out)}")
    if on_run is not None and not callable(on_run):
        raise ScenarioError(f"on_run: expected a function, found {short(on_run)}")
    loaded, changes = load_all(sources, overrides, overrides_for, variants, days)
    for scenario in loaded:  # refused now, not once per run
        workload.check(scenario)
    logs = _run_logs(loaded, replications, event_logs, event_log_format)
    if explain:  # the user's factors checked before any run
        pairs = [factor_groups.differences(loaded[0], other) for other in loaded[1:]]
        factor_groups.check_own(factors or {}, pairs)
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
    if logs is not None:  # made only once every input, --out's folder too, is checked
        ready_folder(logs.folder, "--event-logs")
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
    used = run_jobs(loaded, hashes, pending, workers or cores(), keep, logs=logs) if pending else 0
    records = [done[hashes[j.scenario], j.seed] for j in jobs]
    wall_s = time.perf_counter() - start
    result = Comparison(loaded, seeds, records, used, wall_s, command, resumed, changes)
    if explain:
        for index in range(1, len(loaded)):
            where = None if out is None else Path(out) / f"attribution-{index}"
            again = {"workers": workers, "out": where, "force": force, "on_run": on_run,
                     "max_runs": max_runs}  # fmt: skip
            explained = _explain(result, index, factors, seed, on_plan, again)
            if explained is not None:
                result.attributions.append(explained)
    return result


def _run_logs(
    loaded: Sequence[Scenario], replications: int, folder: str | Path | None, fmt: str
) -> RunLogs | None:
    """The logs' place and format, checked (sizes, names) before any run."""
    if folder is None:
        return None
    logs = RunLogs(Path(folder), run_logs.check_format(fmt, "--event-log-format"))
    run_logs.check_sizes([(s, replications) for s in loaded], "--event-logs")
    stems = [run_logs.file_stem(s.name) for s in loaded]
    if len(set(stems)) < len(stems):
        raise ScenarioError(
            f"--event-logs: two scenarios would share a log's name ({', '.join(stems)}); "
            "give them distinct names"
        )
    return logs


def _explain(
    comparison: Comparison,
    index: int,
    own: Mapping[str, Sequence[str]] | None,
    seed: int,
    on_plan: Callable[[str, int], object] | None,
    again: dict[str, Any],
) -> attribution.Explained | None:
    """Scenario ``index``'s difference to the baseline, attributed (None: no difference)."""
    a, b = comparison.scenarios[0], comparison.scenarios[index]
    changed = factor_groups.differences(a, b)
    if not changed:
        return None
    grouped = factor_groups.group(changed, own)
    mixes: dict[int, Scenario] = {}

    def valid(mask: int) -> str | None:
        switched = [f for i, f in enumerate(grouped) if mask >> i & 1]
        name = f"{a.name} + " + ", ".join(f.name for f in switched)
        try:
            mixes[mask] = load_scenario(factor_groups.mix(a, switched, name))
        except ScenarioError as error:
            return str(error).splitlines()[-1].strip()
        return None

    try:
        design = attribution.plan(grouped, valid, seed)
    except ValueError:
        raise ScenarioError(
            f"--explain {b.name}: every order of switching its factors from {a.name} "
            f"passes through a mix the schema refuses; group the factors that must change "
            f"together with --factor NAME=PATH,PATH (factors: "
            f"{'; '.join(f.name + ' = ' + ', '.join(f.paths) for f in grouped)})"
        ) from None
    scenarios = [a, b, *(mixes[m] for m in design.masks[2:])]
    runs = len(scenarios) * comparison.replications
    if on_plan:
        on_plan(_plan_text(comparison, design, b.name, runs, again["workers"]), runs)
    mixed = compare(scenarios, comparison.replications, None, seed, **again)
    values = _values(mixed, FIGURES)
    frame = attribution.table(design, values, a.name, b.name)
    return attribution.Explained(a.name, b.name, design, frame, runs)


FIGURES = HEADLINE_KEYS
"""The figures attributed: the verdict's."""


def _values(mixed: Comparison, keys: Sequence[str]) -> dict[str, Any]:
    """Figure -> (mixes, seeds) array of each run's value, in the design's order."""
    runs = mixed.runs.set_index(["scenario", "seed"])
    index = [(name, seed) for name in mixed.names for seed in mixed.seeds]
    shape = (len(mixed.names), len(mixed.seeds))
    good = runs["error"].isna().reindex(index).to_numpy().reshape(shape)
    values = {}
    for key in keys:
        column = runs[key].astype(float).reindex(index).to_numpy().reshape(shape)
        values[key] = column.copy()
        values[key][~good] = float("nan")
    return values


def _plan_text(
    comparison: Comparison, design: attribution.Design, name: str, runs: int, workers: int | None
) -> str:
    """``"explaining b against a: 6 factors, full 2^6 design, 1,280 runs, about 4 min"``."""
    per_run = float(comparison.runs["wall_s"].mean())
    width = max(1, min(workers or cores(), idle_cores()))  # as run_jobs sizes its pool
    minutes = runs * per_run / width / 60
    return (
        f"explaining {name} against {comparison.names[0]}: {len(design.factors)} factors "
        f"({', '.join(f.name for f in design.factors)}); "
        f"{'full 2^' + str(len(design.factors)) if design.full else 'sampled'} design, "
        f"{len(design.masks)} mixes ({len(design.refused)} refused by the schema) x "
        f"{comparison.replications} replications = {runs:,} runs, about "
        f"{max(minutes, 0.1):.1f} min at {per_run:.2f} s a run on up to {width} process(es)"
    )


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


Changes = dict[str, list[tuple[str, Any]]]
"""Per scenario name, the overrides that made it differ from its file: (path, value)."""


def load_all(
    sources: Sequence[str | Path | Scenario],
    overrides: Overrides = (),
    overrides_for: Mapping[str, Overrides] | None = None,
    variants: Mapping[str, Overrides] | None = None,
    days: float | None = None,
) -> tuple[list[Scenario], Changes]:
    """The scenarios to compare, their names distinct, and each one's overrides.

    Every scenario takes ``overrides``, then its own from ``overrides_for``; each
    variant is the first scenario (with those) and its own overrides, named anew.
    ``days`` sets every horizon, and is not counted as a change (the header says it).

    Raises:
        ScenarioError: a scenario or an override is not valid, ``overrides_for`` names
            no compared scenario, or two scenarios share a name.
    """
    if len(sources) < 1:
        raise ScenarioError("scenarios: at least one scenario file is needed")
    shared = as_pairs(overrides)
    horizon = [("run.days", days)] if days is not None else []
    scenarios = [load_scenario(source, [*shared, *horizon]) for source in sources]
    changes: Changes = {s.name: list(shared) for s in scenarios}
    for name, own in (overrides_for or {}).items():
        if name not in changes:
            raise ScenarioError(
                f"--set-for {name}: no compared scenario is named so (the names: "
                f"{', '.join(changes)})"
            )
        at = [s.name for s in scenarios].index(name)
        pairs = as_pairs(own)
        scenarios[at] = load_scenario(sources[at], [*shared, *pairs, *horizon])
        changes[name] = [*shared, *pairs]
    for name, own in (variants or {}).items():
        pairs = as_pairs(own)
        try:
            scenarios.append(load_scenario(scenarios[0], [*pairs, ("name", name)]))
        except ScenarioError as error:
            raise ScenarioError(f"--variant {name}: {error}") from None
        changes[name] = [*changes[scenarios[0].name], *pairs]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(
            f"{', '.join(map(str, sources))}: the scenarios to compare need distinct "
            f"`name`s, got {names}"
        )
    return scenarios, changes


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

"""Running a scenario to its end and gathering what it measured: ``simulate``."""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from orgsim.results import metrics
from orgsim.results.escaping import csv_safe
from orgsim.results.event_log import traced_events
from orgsim.results.files import write_whole
from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import Overrides
from orgsim.scenario.schema import Scenario
from orgsim.sim.model import OrgModel
from orgsim.sim.tracing import Trace


@dataclass(frozen=True)
class SimulationResult:
    """What one run measured.

    Attributes:
        summary: flat dict of figures (see :data:`orgsim.metrics.SUMMARY_KEYS`).
        requests: one row per request created: ended (``resolved``, ``abandoned``) or still
            ``in_progress`` at the horizon.
        timeseries: one row per sampling interval (Mesa's DataCollector).
        stations: one row per queue, with its Little's-law figures after the warm-up.
        events: one row per traced step of every request (request, activity, resource,
            group, time_h, kind), if the run was traced; see
            :mod:`orgsim.results.event_log`.
    """

    summary: dict[str, Any]
    requests: pd.DataFrame
    timeseries: pd.DataFrame
    stations: pd.DataFrame
    events: pd.DataFrame | None = None

    def summary_json(self) -> str:
        """The summary as one line of strict JSON, keys in a fixed order."""
        return json.dumps(metrics.json_ready(self.summary))

    def write(self, directory: str | Path) -> Path:
        """Write summary.json, requests.parquet, timeseries.csv and stations.csv, each whole.

        Raises:
            OSError: a file could not be written; it is left as it was before.
        """
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        summary = json.dumps(metrics.json_ready(self.summary), indent=2) + "\n"
        write_whole(out / "summary.json", lambda path: path.write_text(summary))
        write_whole(
            out / "requests.parquet", lambda path: self.requests.to_parquet(path, index=False)
        )
        write_whole(
            out / "timeseries.csv", lambda path: self.timeseries.to_csv(path, index_label="step")
        )
        stations = csv_safe(self.stations)  # station names come from the scenario's text
        write_whole(out / "stations.csv", lambda path: stations.to_csv(path, index=False))
        return out


def simulate(
    scenario: Scenario | str | Path | Mapping[str, Any],
    seed: int = 0,
    days: float | None = None,
    overrides: Overrides = None,
    keep_log: bool = True,
    progress: bool = False,
    max_requests: int = limits.MAX_REQUESTS,
    trace: bool = False,
) -> SimulationResult:
    """Run ``scenario`` once with ``seed`` and return what it measured.

    Args:
        scenario: a scenario file, mapping or validated scenario.
        seed: the run's seed, from 0; the same scenario and seed give identical results.
        days: shortcut for the override ``run.days`` (applied last).
        overrides: dotted-path overrides, in any form :func:`load_scenario` takes:
            ``{"structure.layers[1].mandate": 5000}`` or ``["run.days=30"]``.
        keep_log: keep one row per request (the response-time percentiles need it).
        progress: on standard error, if it is a terminal: the build's time and counts,
            then a progress bar.
        max_requests: refuse a run expected to make more requests (see
            :mod:`orgsim.scenario.workload`).
        trace: record every request's steps for an event log (``result.events``);
            the figures are the same either way.

    Raises:
        ScenarioError: a bad scenario, override or seed, or a run beyond ``max_requests``.
    """
    max_requests = limits.check_count(max_requests, "max_requests")
    changes = assignments(overrides)
    if days is not None:
        changes.append(("run.days", days))
    start = time.perf_counter()
    model = OrgModel(
        scenario, rng=limits.check_seed(seed), overrides=changes, keep_log=keep_log,
        max_requests=max_requests,
    )  # fmt: skip
    if progress and sys.stderr.isatty():  # where a big run's first seconds went
        org, built = model.org, time.perf_counter() - start
        print(
            f"orgsim: built {len(org.employees):,} employees, {len(org.managers):,} managers "
            f"and {len(model.customers):,} customers in {built:.1f} s; running "
            f"{model.spec.run.days:g} days",
            file=sys.stderr,
            flush=True,
        )
    if trace:
        model.life.trace = Trace(model.loop)
    disable = None if progress else True  # None: tqdm shows the bar on a terminal only
    with tqdm(total=model.total_steps, unit="step", file=sys.stderr, disable=disable) as bar:
        model.run(on_step=bar.update)
    return collect(model)


def assignments(overrides: Overrides) -> list[Any]:
    """Overrides of any form as a list, so that ``days`` can follow them."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return list(overrides.items())
    if isinstance(overrides, str):
        return [overrides]
    try:
        return list(overrides)
    except TypeError:
        raise ScenarioError(
            f"overrides: expected PATH=VALUE strings or a mapping, found {overrides!r:.60}"
        ) from None


def collect(model: OrgModel) -> SimulationResult:
    """Gather the figures of a model that has run; every table's rows carry the seed."""
    requests = model.log.frame(in_progress=model.life.in_progress.values())
    stations = pd.DataFrame([station.statistics() for station in model.org.stations])
    summary = summarise(model, requests, stations)
    timeseries = model.datacollector.get_model_vars_dataframe()
    for table in (requests, stations, timeseries):
        table.insert(0, "seed", model.seed)
    events = traced_events(model) if model.life.trace is not None else None
    return SimulationResult(summary, requests, timeseries, stations, events)


def summarise(model: OrgModel, requests: pd.DataFrame, stations: pd.DataFrame) -> dict[str, Any]:
    """The run's flat summary: the stable keys first, then seed, hash and extras."""
    counts = model.life.counts
    after = metrics.measured(requests, model.warmup_h)
    availability = {
        m.station.name: m.review_share for m in model.org.managers if m.station is not None
    }
    load = metrics.manager_load(stations, availability)
    managers, employees = len(model.org.managers), len(model.org.employees)
    money = model.spec.money
    measured_h = model.horizon_h - model.warmup_h
    measured_days = measured_h / model.spec.run.hours_per_day
    figures: dict[str, Any] = {
        "requests_created": counts.created,
        "requests_resolved": counts.resolved,
        **metrics.response_times(after),
        **metrics.decision_quality(after),
        "satisfaction_mean": model.satisfaction_mean(),
        "churn_rate": counts.churned / len(model.customers),
        "manager_utilisation_mean": load["manager_utilisation_mean"],
        "trust_mean": model.trust_mean(),
        "management_hours_per_request": load["review_hours"] / len(after) if len(after) else 0.0,
        **metrics.value_at_stake(
            after,
            model.churned_after_warmup,
            money.lost_customer_value,
            {kind.name: kind.loss for kind in model.spec.demand.kinds},
        ),
        "management_cost": metrics.management_cost(managers, measured_h, money.manager_hourly_cost),
        "engagement_mean": model.engagement_mean(),
        "churn_rate_yearly": metrics.yearly_churn(
            model.churned_after_warmup, model.life.headcount.mean(model.loop.now), measured_days
        ),
    }
    figures |= metrics.cost_of_deciding(
        figures["management_cost"], model.timesheet.hours, money.employee_hourly_cost
    )
    figures["net_loss"] = figures["value_lost"] + figures["cost_of_deciding"]
    summary = {key: figures[key] for key in metrics.SUMMARY_KEYS}
    summary |= {
        "seed": model.seed,
        "scenario_hash": model.spec.digest(),
        "scenario": model.spec.name,
        "requests_abandoned": counts.abandoned,
        "requests_in_progress": counts.in_flight,
        "throughput_per_day": len(after) / measured_days,
        "customers": len(model.customers),
        "customers_arrived": model.newcomers.arrived,
        "customers_active": model.life.headcount.active,
        "crm_interventions": model.monitoring.interventions if model.monitoring else 0,
        "errors_discussed": model.retrospectives.discussed if model.retrospectives else 0,
        "employee_overhead_hours": figures["employee_overhead_hours"],
        "skill_mean": model.skill_mean(),
        **_ideas(model),
        "employees": employees,
        "managers": managers,
        "management_headcount_share": managers / (managers + employees),
        "events": model.loop.processed,
    }
    return summary


def _ideas(model: OrgModel) -> dict[str, Any]:
    """Ideas proposed, adopted (bad ones among them) and the mean hours to adoption."""
    ideas = model.ideas
    if ideas is None:
        return {
            "ideas_proposed": 0,
            "ideas_adopted": 0,
            "ideas_bad_adopted": 0,
            "idea_adoption_mean_h": math.nan,
        }
    return {
        "ideas_proposed": ideas.proposed,
        "ideas_adopted": ideas.adopted,
        "ideas_bad_adopted": ideas.bad_adopted,
        "idea_adoption_mean_h": ideas.adoption_mean_h(),
    }

"""``validate-log``: simulate a log's validation period and measure how far the log is.

The validation period runs from the calibration's cutoff to the log's end. Each
replication simulates a warm-up and then exactly that period on the log's working
calendar (so simulated events carry the same dates), and keeps the requests created
after the warm-up: the cases that started in the period. Both logs are cut at the
log's end, so a case not closed by then is open (censored) in both; cycle times and
hand-offs are compared over closed cases only, on each side, and the open ones are
counted.
Baselines come from the same run: the real training period against the validation
period (the process's own drift: for the cycle time, and the training period's own
escalation rate and hand-offs per case beside the validation period's, so that a reader
sees whether a miss is the model's or the log's), and an uncalibrated scenario.
Resource utilisation per level (front line, escalation) is estimated alike on both
logs over the period (:mod:`orgsim.calibrate.utilisation`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orgsim.calibrate import distances as d
from orgsim.calibrate.api import LogOptions
from orgsim.calibrate.cases import Cases, estimated_work_h
from orgsim.calibrate.estimate import _second_line
from orgsim.calibrate.split import split_cases
from orgsim.calibrate.utilisation import LEVELS, levels_by_role, utilisation
from orgsim.calibrate.writing import read_sidecar
from orgsim.results.event_log import Calendar
from orgsim.results.run import simulate
from orgsim.results.stats import mean_interval, wilson_interval
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.limits import check_count
from orgsim.scenario.loading import load_scenario

STEPS = {
    "Work request": "work",
    "Review": "work",
    "Send back for rework": "work",
    "Escalate": "escalate",
    "Deliver answer": "answer",
    "Close case": "close",
    "Dispatch request": "work",
}
"""The simulated log's activities as process steps; creation and decision instants drop."""

Z95 = 1.959963984540054

MAX_REPLICATIONS = 1_000
"""Most replications of one validation: each keeps its cycle times for the plots (a few
kilobytes), and an interval over replications is settled long before."""


@dataclass(frozen=True)
class Window:
    """The validation period on the working calendar."""

    calendar: Calendar
    cutoff: pd.Timestamp
    end: pd.Timestamp

    @property
    def days(self) -> float:
        """Working days from the cutoff to the end."""
        hours = self.calendar.working_hours(pd.Series([self.cutoff, self.end]))
        return max(float(hours[1] - hours[0]) / self.calendar.hours_per_day, 0.01)


def _steps_real(events: pd.DataFrame, cases: Cases) -> pd.Series:
    steps = pd.Series("work", index=events.index)
    steps[events["activity"].isin(cases.escalation_activities)] = "escalate"
    steps[events["activity"] == cases.answer_activity] = "answer"
    if cases.close_activity:
        steps[events["activity"] == cases.close_activity] = "close"
    return steps


def _summary(events: pd.DataFrame, closed: pd.Index, days: float) -> dict[str, Any]:
    """Per-log figures: cycle times and hand-offs of closed cases, escalation, throughput.

    An open case's hand-offs are not all made yet (its closing is to come): like its
    cycle time, they are counted on closed cases only, on either side.
    """
    per_case = events.groupby("case", sort=False)
    escalated = per_case["step"].apply(lambda s: bool((s == "escalate").any()))
    return {
        "cycle_h": d.cycle_times_h(events[events["case"].isin(closed)]),
        "escalated": escalated.to_numpy(dtype=float),
        "handoffs": d.handoffs_per_case(events[events["case"].isin(closed)]),
        "throughput_per_day": len(closed) / days,
        "cases": int(per_case.ngroups),
        "closed": len(closed),
    }


def _simulated_log(
    scenario: Any, seed: int, window: Window, warmup_days: float
) -> tuple[pd.DataFrame, pd.Index, dict[str, dict[str, Any]]]:
    """One replication's log of the validation period, on the log's calendar.

    Also the utilisation per level over the period (every event in it, warm-up cases'
    too), measured on the simulated log as on the real one.
    """
    hpd = scenario.run.hours_per_day
    calendar = Calendar(
        window.calendar.start, hpd, window.calendar.day_start_h, window.calendar.weekmask
    )
    cutoff_h = float(calendar.working_hours(pd.Series([window.cutoff]))[0])
    # the run's days fall on the log's days: its hour 0 is a working day's start
    from_h = warmup_days * hpd + cutoff_h % hpd
    days = from_h / hpd + window.days
    result = simulate(
        scenario, seed=seed, trace=True,
        overrides={"run.days": days, "run.warmup_days": warmup_days},
    )  # fmt: skip
    events = result.events
    busy = _simulated_utilisation(events, hpd, from_h, window.days * hpd)
    created = events[events["activity"] == "Create request"].set_index("request")["time_h"]
    kept = created.index[created >= from_h]
    events = events[events["request"].isin(kept)]
    times = calendar.timestamps(events["time_h"].to_numpy() - from_h + cutoff_h)
    log = pd.DataFrame(
        {
            "case": events["request"].astype(str).to_numpy(),
            "activity": events["activity"].astype(str).to_numpy(),
            "resource": events["resource"].to_numpy(),
            "time": times,
        }
    )
    log["step"] = log["activity"].map(STEPS)
    closing = "close" if (log["step"] == "close").any() else "answer"
    closed = pd.Index(log.loc[log["step"] == closing, "case"].unique())
    return log, closed, busy


def _simulated_utilisation(
    events: pd.DataFrame, hours_per_day: float, start_h: float, length_h: float
) -> dict[str, dict[str, Any]]:
    placed = pd.DataFrame(
        {
            "case": events["request"],
            "resource": events["resource"],
            "at_h": events["time_h"],
            "escalation": events["activity"] == "Escalate",
        }
    )
    placed["work_h"] = estimated_work_h(placed, Calendar(hours_per_day=hours_per_day))
    levels = levels_by_role(placed, _second_line(placed))
    return utilisation(placed, levels, (start_h, start_h + length_h))


def _real_utilisation(cases: Cases, window: Window) -> dict[str, dict[str, Any]]:
    events = cases.events
    start_h, end_h = cases.calendar.working_hours(pd.Series([window.cutoff, window.end]))
    levels = levels_by_role(events, _second_line(events))
    return utilisation(events, levels, (float(start_h), float(end_h)))


def _utilisation_side_by_side(
    real: dict[str, dict[str, Any]], runs: list[dict[str, dict[str, Any]]]
) -> dict[str, dict[str, Any]]:
    """Per level: the real log's utilisation and resources, the replications' interval."""
    table = {}
    for level in (*LEVELS, "all"):
        simulated = [run[level]["utilisation"] for run in runs if level in run]
        mine = real.get(level, {"utilisation": math.nan, "resources": 0})
        table[level] = {
            "real": mine["utilisation"],
            "real_resources": mine["resources"],
            "simulated": _interval(simulated) if simulated else None,
            "simulated_resources": float(
                np.mean([run[level]["resources"] for run in runs if level in run])
            )
            if simulated
            else 0.0,
        }
    return table


def _interval(values: list[float], share: bool = False) -> dict[str, float]:
    """Mean of replications with its t interval; a share's interval is cut to [0, 1]."""
    mean = float(np.mean(values))
    low, high = mean_interval(values) if len(values) > 1 else (mean, mean)
    if share:
        low, high = max(0.0, low), min(1.0, high)
    return {"mean": mean, "low": low, "high": high}


def _real_interval(values: np.ndarray, share: bool = False) -> dict[str, float]:
    """Mean per case with its 95% interval: Wilson's for a share of cases, else normal."""
    mean = float(values.mean()) if len(values) else math.nan
    if share and len(values):
        low, high = wilson_interval(int(values.sum()), len(values))
        return {"real": mean, "real_low": low, "real_high": high}
    half = Z95 * float(values.std(ddof=1)) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return {"real": mean, "real_low": mean - half, "real_high": mean + half}


def validate_log(
    scenario_path: str | Path,
    log_path: str | Path,
    replications: int = 5,
    seed: int = 1,
    uncalibrated: str | Path | None = None,
    warmup_days: float = 20.0,
    options: LogOptions | None = None,
    train_share: float = 0.7,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Distances and figures of the simulated validation period against the real one.

    ``progress(done, total)`` is called after each simulated run (the calibrated
    scenario's replications, then the uncalibrated baseline's). ``replications`` is at
    most :data:`MAX_REPLICATIONS`.
    """
    replications = check_count(replications, "replications", low=2)
    if replications > MAX_REPLICATIONS:
        raise ScenarioError(
            f"replications: {replications:,}, more than {MAX_REPLICATIONS:,}; an interval "
            "over replications is settled long before"
        )
    total = replications * (2 if uncalibrated is not None else 1)
    tick = (lambda done: progress(done, total)) if progress else (lambda done: None)
    facts = read_sidecar(Path(scenario_path)) or {}
    if options is None:
        saved = facts.get("options")
        options = (
            LogOptions(**{**saved, "escalations": _tuple(saved["escalations"])})
            if saved
            else LogOptions()
        )
    log, cases = options.read(Path(log_path))
    cutoff = pd.Timestamp(facts["cutoff"]) if "cutoff" in facts else None
    split = split_cases(
        cases.table["start"], log.events["time"], Path(log_path),
        cutoff.to_pydatetime() if cutoff is not None else None, train_share,
    )  # fmt: skip
    calendar = _calendar(facts, cases)
    window = Window(calendar, split.cutoff, split.end)
    events = cases.events.assign(step=lambda e: _steps_real(e, cases))
    table = cases.table
    validation_events = events[events["case"].isin(split.validation)]
    train_events = events[events["case"].isin(split.train)]
    closed = split.validation.intersection(table.index[table["closed"]])
    real = _summary(validation_events, closed, window.days)
    train_closed = split.train.intersection(table.index[table["closed"]])
    train_cycle = d.cycle_times_h(train_events[train_events["case"].isin(train_closed)])
    step_real = validation_events.assign(activity=validation_events["step"])
    scenario = load_scenario(scenario_path)
    per_run: dict[str, list[float]] = {
        k: []
        for k in (
            "cycle",
            "arrival",
            "circadian",
            "ngram",
            "escalation",
            "handoffs",
            "throughput",
            "median",
        )
    }
    sim_cycles, sim_arrivals, busy = [], None, []
    seeds = list(range(seed, seed + replications))
    for done, s in enumerate(seeds, 1):
        sim, sim_closed, used = _simulated_log(scenario, s, window, warmup_days)
        tick(done)
        busy.append(used)
        figures = _summary(sim, sim_closed, window.days)
        sim_cycles.append(figures["cycle_h"])
        if sim_arrivals is None:
            sim_arrivals = sim.groupby("case", sort=False)["time"].min()
        per_run["cycle"].append(d.binned_cycle_distance(real["cycle_h"], figures["cycle_h"]))
        per_run["arrival"].append(d.arrival_distance(validation_events, sim))
        per_run["circadian"].append(d.circadian_distance(validation_events, sim))
        per_run["ngram"].append(
            d.ngram_distance(
                step_real, sim.dropna(subset=["step"]).assign(activity=lambda e: e["step"])
            )
        )
        per_run["escalation"].append(float(figures["escalated"].mean()))
        per_run["handoffs"].append(float(figures["handoffs"].mean()))
        per_run["throughput"].append(figures["throughput_per_day"])
        per_run["median"].append(
            float(np.median(figures["cycle_h"])) if len(figures["cycle_h"]) else math.nan
        )
    baseline = []
    if uncalibrated is not None:
        other = load_scenario(uncalibrated)
        for done, s in enumerate(seeds, replications + 1):
            sim, sim_closed, _ = _simulated_log(other, s, window, warmup_days)
            tick(done)
            cycle = d.cycle_times_h(sim[sim["case"].isin(sim_closed)])
            baseline.append(d.binned_cycle_distance(real["cycle_h"], cycle))
    trained = _summary(train_events, train_closed, 1.0)  # the log's own drift, per figure
    escalation = _real_interval(real["escalated"], share=True) | {
        "real_training": _interval_of(trained["escalated"], share=True)
    }
    handoffs = _real_interval(real["handoffs"]) | {
        "real_training": _interval_of(trained["handoffs"])
    }
    drift = d.binned_cycle_distance(train_cycle, real["cycle_h"])
    cycle = _interval(per_run["cycle"])
    result: dict[str, Any] = {
        "scenario": str(scenario_path),
        "log": str(log_path),
        "replications": replications,
        "seeds": seeds,
        "validation": {
            "from": str(split.cutoff),
            "to": str(split.end),
            "working_days": round(window.days, 2),
            "cases_real": real["cases"],
            "closed_real": real["closed"],
            "open_real_censored": real["cases"] - real["closed"],
            "warmup_days_simulated": warmup_days,
        },
        "cycle_time_distance": cycle | {"unit": "h"},
        "arrival_distance": _interval(per_run["arrival"]) | {"unit": "h"},
        "circadian_distance": _interval(per_run["circadian"]) | {"unit": "h of the day"},
        "ngram_distance": _interval(per_run["ngram"]) | {"unit": "share, 0-1", "n": 3},
        "train_vs_validation_cycle_time_distance": drift,
        "uncalibrated_cycle_time_distance": (_interval(baseline) | {"scenario": str(uncalibrated)})
        if baseline
        else None,
        "cycle_time_median_h": {
            "real": float(np.median(real["cycle_h"])),
            "simulated": _interval(per_run["median"]),
        },
        "escalation_rate": escalation | {"simulated": _interval(per_run["escalation"], share=True)},
        "handoffs_per_case": handoffs | {"simulated": _interval(per_run["handoffs"])},
        "throughput_per_day": {
            "real": real["throughput_per_day"],
            "simulated": _interval(per_run["throughput"]),
        },
        "resource_utilisation": _utilisation_side_by_side(_real_utilisation(cases, window), busy),
    }
    result["targets"] = {
        "cycle_time_within_3x_drift": bool(cycle["mean"] <= 3 * drift),
        "cycle_time_under_a_tenth_of_uncalibrated": bool(
            baseline and cycle["mean"] < float(np.mean(baseline)) / 10
        ),
        "escalation_rate_inside_real_interval": _inside(result["escalation_rate"]),
        "handoffs_inside_real_interval": _inside(result["handoffs_per_case"]),
        "real_training_escalation_rate_inside_real_interval": _inside(
            result["escalation_rate"], "real_training"
        ),
        "real_training_handoffs_inside_real_interval": _inside(
            result["handoffs_per_case"], "real_training"
        ),
    }
    result["_samples"] = {
        "real_cycle_h": real["cycle_h"],
        "sim_cycle_h": np.concatenate(sim_cycles),
        "real_arrivals": validation_events.groupby("case", sort=False)["time"].min(),
        "sim_arrivals": sim_arrivals,
    }
    return result


def _inside(figure: dict[str, Any], which: str = "simulated") -> bool:
    """Whether the simulated mean (or the training period's) lies in the real 95% interval."""
    return bool(figure["real_low"] <= figure[which]["mean"] <= figure["real_high"])


def _interval_of(values: np.ndarray, share: bool = False) -> dict[str, float]:
    """A real period's mean per case with its 95% interval, as simulated figures are given."""
    figure = _real_interval(values, share)
    return {"mean": figure["real"], "low": figure["real_low"], "high": figure["real_high"]}


def _tuple(value: Any) -> tuple[str, ...] | None:
    return tuple(value) if value is not None else None


def _calendar(facts: dict[str, Any], cases: Cases) -> Calendar:
    saved = facts.get("calendar")
    if not saved:
        return cases.calendar
    return Calendar(
        date.fromisoformat(saved["start"]),
        saved["hours_per_day"],
        saved["day_start_h"],
        saved["weekmask"],
    )

"""Dispatchers and closers (``structure.intake``): hand-offs, their events, their queues."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from orgsim import simulate
from orgsim.calibrate.distances import handoffs_per_case
from orgsim.results.stats import proportion_interval
from orgsim.scenario.loading import load_scenario
from orgsim.validate import checks, degenerate

ROOT = Path(__file__).resolve().parent.parent
SELF_MANAGING = ROOT / "scenarios" / "self_managing.yaml"


TRIAGE = {"dist": "exponential", "mean": 0.2}


def _desk(dispatch: float = 0.0, closing: float = 0.0, **closing_extra: object) -> dict:
    """A small desk that decides everything itself, with intake shares as given."""
    scenario = degenerate.dispatched(0.6, 5.0, 1.5, hours=24 * 50, warmup_h=0)
    scenario["structure"]["intake"] = {
        "dispatch": {"share": dispatch, "people": 2, "time_h": TRIAGE},
        "closing": {"share": closing, "time_h": 0.1, **closing_extra},
    }
    if "same_person" not in closing_extra:
        scenario["structure"]["intake"]["closing"]["people"] = 1
    return scenario


def test_leaving_intake_out_or_at_its_defaults_changes_nothing():
    """Off (both shares 0) is the scenario as before: same figures, same digest."""
    plain = load_scenario(SELF_MANAGING, ["run.days=20"])
    off = load_scenario(SELF_MANAGING, ["run.days=20", "structure.intake.dispatch.share=0"])
    assert plain.digest() == off.digest()
    assert simulate(plain, seed=2).summary == simulate(off, seed=2).summary


def test_every_dispatched_and_closed_request_is_handed_off_twice_more():
    """Closing by a closer and triage by a dispatcher: one hand-off each, in the request log."""
    without = simulate(_desk(), seed=5).requests
    both = simulate(_desk(dispatch=1.0, closing=1.0), seed=5).requests
    assert (without.loc[without["outcome"] == "resolved", "handoffs"] == 0).all()
    resolved = both[both["outcome"] == "resolved"]
    assert len(resolved) > 500
    assert (resolved["handoffs"] == 2).all()


def test_the_worker_closing_is_no_hand_off():
    log = simulate(_desk(closing=1.0, same_person=True), seed=5).requests
    assert (log.loc[log["outcome"] == "resolved", "handoffs"] == 0).all()


def test_a_share_of_requests_is_dispatched():
    """Share 0.3: the dispatched share of resolved requests inside its 95% interval."""
    log = simulate(_desk(dispatch=0.3), seed=7).requests
    resolved = log[log["outcome"] == "resolved"]
    dispatched = int((resolved["handoffs"] == 1).sum())
    low, high = proportion_interval(dispatched, len(resolved))
    assert low <= 0.3 <= high, (dispatched, len(resolved))


def test_dispatch_costs_time_in_its_queue():
    """The same demand through a dispatcher takes longer: its triage and its queue."""
    plain = simulate(_desk(), seed=3).summary["response_time_mean_h"]
    dispatched = simulate(_desk(dispatch=1.0), seed=3).summary["response_time_mean_h"]
    assert dispatched > plain + 0.15  # the triage alone takes 0.2 h on average


def test_the_event_log_counts_the_hand_offs_as_a_real_log_does():
    """Dispatch and Close events carry the dispatcher's and the closer's names."""
    events = simulate(_desk(dispatch=1.0, closing=1.0), seed=4, trace=True).events
    resources = events.groupby("activity", observed=True)["resource"].agg(set)
    assert resources["Dispatch request"] == {"dispatcher 1", "dispatcher 2"}
    assert resources["Close case"] == {"closer 1"}
    closed = events.loc[events["activity"] == "Close case", "request"]
    log = events[events["request"].isin(closed)].rename(columns={"request": "case"})
    counts = handoffs_per_case(log[["case", "activity", "resource"]])
    assert len(counts) > 500
    assert np.all(counts == 2)


def test_an_intake_run_is_deterministic():
    scenario = _desk(dispatch=0.5, closing=0.5)
    first, second = simulate(scenario, seed=9), simulate(scenario, seed=9)
    assert first.summary == second.summary
    assert first.requests.equals(second.requests)


def test_a_dispatcher_then_a_worker_is_a_jackson_tandem_and_a_slower_one_fails_it():
    """Mean response against 1/(mu1 - lambda) + 1/(mu2 - lambda), 95% interval, 10 runs."""
    assert checks.dispatch_check(replications=10, hours=5_000).passed
    slower = checks.dispatch_check(replications=10, hours=5_000, simulated_dispatch_rate=1.0)
    assert not slower.passed, slower


@pytest.mark.parametrize(
    ("intake", "words"),
    [
        ({"dispatch": {"share": 1.5}}, ["structure.intake.dispatch.share", "1"]),
        ({"dispatch": {"people": 0}}, ["structure.intake.dispatch.people"]),
        ({"closing": {"same_person": True, "people": 2}}, ["closing.people", "same_person"]),
        ({"closing": {"share": 0.5, "by": "x"}}, ["structure.intake.closing", "by"]),
        ({"transfer": 0.2}, ["structure.intake", "transfer"]),
    ],
)
def test_nonsense_is_refused_with_exit_2_naming_the_field(tmp_path, intake, words):
    scenario = _desk()
    scenario["structure"]["intake"] = intake
    path = tmp_path / "desk.yaml"
    path.write_text(yaml.safe_dump(scenario))
    done = subprocess.run(
        [sys.executable, "-m", "orgsim.cli", "run", str(path), "--seed", "1", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def test_a_transfer_is_one_more_hand_off_between_two_workers_of_the_team():
    """Taken in charge by the account's worker, worked by a colleague: two names in the log."""
    scenario = _desk()
    scenario["structure"]["teams"]["size"] = 3
    scenario["structure"]["intake"] = {"transfer": {"share": 1.0, "time_h": 0.05}}
    result = simulate(scenario, seed=6, trace=True)
    resolved = result.requests[result.requests["outcome"] == "resolved"]
    assert len(resolved) > 500
    assert (resolved["handoffs"] == 1).all()
    events = result.events[result.events["request"].isin(resolved["request_id"])]
    works = events[events["activity"] == "Work request"]
    per_case = works.groupby("request")["resource"].agg(list)
    assert (per_case.str.len() == 2).all()
    assert all(first != second for first, second in per_case)


def test_the_pools_are_measured_as_queues():
    """Dispatch utilisation = arrival rate x share x mean triage / people (0.6 x 0.2 / 2),
    within 10% over 720 requests; the closers' pool is listed too."""
    stations = simulate(_desk(dispatch=1.0, closing=1.0), seed=8).stations.set_index("station")
    assert stations.loc["dispatch", "servers"] == 2
    assert stations.loc["dispatch", "utilisation"] == pytest.approx(0.6 * 0.2 / 2, rel=0.1)
    assert stations.loc["closing", "arrivals"] > 500

"""Invariants every run keeps, whatever the structure (Hypothesis-generated organisations)."""

import itertools
from unittest import mock

import pandas as pd
from hypothesis import HealthCheck, given, settings
from strategies import FRAME_HOURS, organisations

import orgsim.sim.model
from orgsim import OrgModel, load_scenario
from orgsim.results.run import collect
from orgsim.sim.engine import EventLoop

RUNS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


class RecordingLoop(EventLoop):
    """An event loop that remembers the time of every event it runs."""

    __slots__ = ("times",)

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def schedule(self, time_h, callback, argument=None):
        def recorded(arg, callback=callback):
            self.times.append(self.now)
            callback(arg)

        super().schedule(time_h, recorded, argument)


def _run(raw):
    scenario = load_scenario(raw)
    model = OrgModel(scenario, rng=1)
    model.run()
    return model, collect(model)


@RUNS
@given(organisations())
def test_requests_are_conserved(raw):
    model, result = _run(raw)
    counts = model.life.counts
    assert counts.created == counts.resolved + counts.abandoned + counts.in_flight
    outcomes = result.requests["outcome"].value_counts()
    assert outcomes.get("resolved", 0) == counts.resolved
    assert outcomes.get("abandoned", 0) == counts.abandoned
    assert outcomes.get("in_progress", 0) == counts.in_flight
    assert len(result.requests) == counts.created
    assert result.requests["request_id"].is_unique


@RUNS
@given(organisations())
def test_no_time_runs_backwards(raw):
    with mock.patch.object(orgsim.sim.model, "EventLoop", RecordingLoop):
        model, result = _run(raw)
    times = model.loop.times
    assert times == sorted(times)
    requests = result.requests
    decided = requests[requests["decided_h"].notna()]
    assert (decided["created_h"] <= decided["decided_h"]).all()
    assert (decided["decided_h"] <= model.horizon_h).all()
    ended = requests[requests["outcome"] != "in_progress"]
    assert (ended["decided_h"] <= ended["delivered_h"]).all()
    assert (ended["delivered_h"] <= model.horizon_h).all()
    assert (requests["wait_h"] >= 0).all()


@RUNS
@given(organisations())
def test_only_someone_with_the_authority_approves(raw):
    model, result = _run(raw)
    requests = result.requests
    approved = requests[requests["accepted"]]
    assert (approved["value"] <= approved["authority"]).all()
    # employees alone decide only within their mandate (or when nobody is above them)
    alone = requests[requests["level"] == 0]
    routes = {len(team.route) for team in model.org.teams}
    if routes != {0}:
        assert (alone["value"] <= model.org.employees[0].mandate).all()


@settings(RUNS, max_examples=40)
@given(organisations(), FRAME_HOURS)
def test_advancing_frame_by_frame_runs_exactly_as_stepping(raw, frames):
    """The browser UI's frames (OrgModel.advance) change nothing in a run."""
    stepped, _ = _run(raw)
    advanced = OrgModel(load_scenario(raw), rng=1)
    for hours in itertools.cycle(frames):
        if not advanced.running:
            break
        advanced.advance(hours)
    assert advanced.clock_h == stepped.clock_h
    assert bytes(advanced.log.rows) == bytes(stepped.log.rows)
    pd.testing.assert_frame_equal(
        advanced.datacollector.get_model_vars_dataframe(),
        stepped.datacollector.get_model_vars_dataframe(),
    )

"""Calibrating intake back from a simulated desk: dispatch, transfer and closing recovered.

The generating scenario is the truth. Tolerances: 3 binomial standard errors on each
share over the training cases (about 1,300); the dispatch pool's size exact.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pandas as pd
import pytest
from test_calibrate import TRUTH

from orgsim.calibrate.api import LogOptions, calibrate
from orgsim.calibrate.drift import by_quarter, drift_warnings
from orgsim.calibrate.roles import infer_roles
from orgsim.calibrate.validation import validate_log
from orgsim.results.event_log import Calendar, to_event_log, write_event_log
from orgsim.results.run import simulate
from orgsim.scenario.loading import load_scenario

DISPATCH, TRANSFER, CLOSING = 0.6, 0.3, 0.8


def _desk() -> dict:
    desk = copy.deepcopy(TRUTH)
    desk["structure"]["layers"] = []
    desk["structure"]["teams"]["employee_mandate"] = None  # no escalation: intake only
    for kind in desk["demand"]["kinds"]:
        kind["close_after_h"] = 6.0  # every case closed: by a closer, or by its worker
    desk["structure"]["intake"] = {
        "dispatch": {
            "share": DISPATCH,
            "people": 2,
            "time_h": {"dist": "exponential", "mean": 0.3},
        },
        "transfer": {"share": TRANSFER, "time_h": 0.1},
        "closing": {"share": CLOSING, "people": 1, "time_h": 0.2},
    }
    return desk


@pytest.fixture(scope="module")
def desk_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = simulate(_desk(), seed=12, trace=True)
    path = tmp_path_factory.mktemp("desk") / "desk.csv.gz"
    return write_event_log(to_event_log(result.events, Calendar(hours_per_day=8)), path)


def _within(recovered: float, truth: float, cases: int) -> bool:
    return abs(recovered - truth) <= 3 * math.sqrt(truth * (1 - truth) / cases)


def test_intake_is_recovered_from_a_simulated_desk(desk_log: Path, tmp_path: Path) -> None:
    """Closing share and pools as generated; a transfer of an undispatched case reads as a
    dispatch (the log cannot tell them apart), so dispatch and transfer are checked as
    the rule reads them: first changes ``d + (1 - d) t``, later ones ``d t``."""
    out = tmp_path / "back.yaml"
    done = calibrate(desk_log, out, LogOptions(kind_attribute="kind"), train_share=0.9)
    intake = load_scenario(out).structure.intake
    cases = len(done.split.train)
    first = DISPATCH + (1 - DISPATCH) * TRANSFER
    assert _within(intake.dispatch.share, first, cases), intake.dispatch.share
    assert _within(intake.transfer.share, DISPATCH * TRANSFER, cases), intake.transfer.share
    assert _within(intake.closing.share, CLOSING, cases), intake.closing.share
    assert intake.dispatch.people == 2  # two people who do nothing else
    # the closer's times come from start-time estimation, which counts an idle closer's
    # time since its last completion as work: longer than 0.2 h, so at least one closer
    assert intake.closing.people >= 1


def test_no_intake_is_read_into_a_desk_without_one(tmp_path: Path) -> None:
    """The plain truth (escalations, no intake): nothing dispatched, closed or transferred."""
    result = simulate(TRUTH, seed=11, days=40, trace=True)
    log = write_event_log(
        to_event_log(result.events, Calendar(hours_per_day=8)), tmp_path / "t.csv"
    )
    done = calibrate(log, tmp_path / "back.yaml", LogOptions(kind_attribute="kind"))
    assert "intake" not in done.calibration.scenario["structure"]
    assert done.calibration.inferred["intake"]["transfer_share"] == 0


def _table(shares: list[float], per_quarter: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    starts, escalated = [], []
    for q, share in enumerate(shares):
        for i in range(per_quarter):
            starts.append(
                pd.Timestamp("2020-01-01", tz="UTC") + pd.DateOffset(months=3 * q, days=i % 80)
            )
            escalated.append(i < share * per_quarter)
    table = pd.DataFrame(
        {"start": starts, "escalated": escalated}, index=[f"c{i}" for i in range(len(starts))]
    )
    events = pd.DataFrame({"case": table.index, "resource": "r", "activity": "a"})
    return table, events


def test_a_route_that_changes_in_the_last_quarter_is_warned_about() -> None:
    table, events = _table([0.0, 0.0, 0.0, 0.1], 200)
    quarters = by_quarter(table, events)
    assert list(quarters["escalation_share"]) == [0.0, 0.0, 0.0, 0.1]
    assert drift_warnings(quarters)
    steady, events = _table([0.05, 0.05, 0.05, 0.05], 200)
    assert drift_warnings(by_quarter(steady, events)) == []


def test_recent_days_take_route_shares_from_the_end_of_the_training_period(
    desk_log: Path, tmp_path: Path
) -> None:
    calibrate(desk_log, tmp_path / "a.yaml", LogOptions(kind_attribute="kind"))
    recent = calibrate(
        desk_log, tmp_path / "b.yaml", LogOptions(kind_attribute="kind"), recent_days=30
    )
    assert "last 30 days" in recent.calibration.inferred["route_shares_from"]
    assert recent.facts["recent_days"] == 30
    a, b = (load_scenario(tmp_path / n).structure.intake for n in ("a.yaml", "b.yaml"))
    assert a.dispatch.share != b.dispatch.share  # fewer cases, another estimate
    assert a.dispatch.people == b.dispatch.people  # pools from the whole period


def test_roles_ignore_changes_after_an_escalation() -> None:
    events = pd.DataFrame(
        {
            "case": ["a"] * 4,
            "activity": ["work", "escalate", "review", "answer"],
            "resource": ["e1", "e1", "m1", "e1"],
            "time": pd.date_range("2024-01-01", periods=4, freq="h", tz="UTC"),
            "work_h": [1.0] * 4,
            "escalation": [False, True, False, False],
        }
    )
    roles = infer_roles(events, pd.Series({"a": True}), None)
    assert (roles.dispatch_share, roles.transfer_share, roles.closing_share) == (0, 0, 0)


def test_a_flat_day_is_recovered_flat(desk_log: Path, tmp_path: Path) -> None:
    """About 1,300 training cases over 8 hours: each hour's relative rate within 0.3 of 1
    (3.5 standard errors of a Poisson count of about 165)."""
    done = calibrate(desk_log, tmp_path / "c.yaml", LogOptions(kind_attribute="kind"))
    profile = done.calibration.scenario["demand"]["day_profile"]
    assert len(profile) == 8
    assert max(abs(rate - 1) for rate in profile) < 0.3, profile


def test_validate_log_reproduces_the_hand_offs_of_a_desk_with_intake(
    desk_log: Path, tmp_path: Path
) -> None:
    """Calibrated back from the desk, the simulated hand-offs per closed case (3
    replications) lie inside the 95% interval of the training period it was calibrated on,
    and within 0.1 of the truth (0.6 + 0.3 + 0.8: a transfer of an undispatched case is read
    as a dispatch, which keeps the count); the training period's figures are reported."""
    out = tmp_path / "back.yaml"
    calibrate(desk_log, out, LogOptions(kind_attribute="kind"))
    result = validate_log(out, desk_log, replications=3, warmup_days=2)
    handoffs = result["handoffs_per_case"]
    assert {"mean", "low", "high"} <= set(handoffs["real_training"])
    assert {"mean", "low", "high"} <= set(result["escalation_rate"]["real_training"])
    simulated = handoffs["simulated"]["mean"]
    trained = handoffs["real_training"]
    assert trained["low"] <= simulated <= trained["high"], handoffs
    assert abs(simulated - (DISPATCH + TRANSFER + CLOSING)) < 0.1, handoffs

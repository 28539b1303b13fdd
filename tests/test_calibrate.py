"""orgsim calibrate and validate-log (issue 22): a known truth recovered, the helpdesk log."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from test_cli import assert_clean_error, run_cli
from test_log_reading import HELPDESK

from orgsim.calibrate.api import LogOptions, calibrate
from orgsim.calibrate.validation import validate_log
from orgsim.results.event_log import Calendar, to_event_log, write_event_log
from orgsim.results.run import simulate
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario

TRUTH = {
    "name": "truth",
    "demand": {
        "customers_per_team": 20,
        "requests_per_customer_per_day": 0.25,  # 2 teams x 20 x 0.25 = 10 a working day
        "kinds": [
            {
                "name": "routine",
                "share": 0.7,
                "value": 0,
                "work_h": {"dist": "lognormal", "mean": 1.5, "cv": 0.8},
                "expected_response_h": 8,
            },
            {
                "name": "deal",
                "share": 0.3,
                "value": {"dist": "uniform", "low": 0, "high": 2000},  # half above the mandate
                "work_h": {"dist": "gamma", "mean": 3.0, "cv": 0.5},
                "expected_response_h": 16,
            },
        ],
    },
    "structure": {
        "teams": {"count": 2, "size": 4, "employee_mandate": 1000},
        "layers": [
            {
                "name": "lead",
                "span": 2,
                "mandate": None,
                "review_time_h": {"dist": "exponential", "mean": 0.5},
            }
        ],
    },
    "culture": {"trust": {"initial": 1.0, "learning_rate": 0.0, "blame": False}},
    "satisfaction": {"churn": {"probability": 0.0}},
    "run": {"days": 150, "warmup_days": 1, "hours_per_day": 8},
}


@pytest.fixture(scope="module")
def truth_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = simulate(TRUTH, seed=11, trace=True)
    path = tmp_path_factory.mktemp("truth") / "truth.csv.gz"
    return write_event_log(to_event_log(result.events, Calendar(hours_per_day=8)), path)


def test_round_trip_recovers_the_generating_scenario(truth_log: Path, tmp_path: Path) -> None:
    """The generating scenario is the truth; tolerances: 5% on the arrival rate (about
    1,500 training cases: 2.6% is one standard error), 10% on work-time means (the
    start-time estimate holds a little idle time), 3 binomial standard errors on the
    escalation share, team count and size exact."""
    out = tmp_path / "back.yaml"
    done = calibrate(truth_log, out, LogOptions(kind_attribute="kind"), train_share=0.9)
    back = load_scenario(out)
    assert done.calibration.inferred["arrivals_per_day"] == pytest.approx(10, rel=0.05)
    kinds = {kind.name: kind for kind in back.demand.kinds}
    assert kinds["routine"].work_h.mean == pytest.approx(1.5, rel=0.10)
    assert kinds["deal"].work_h.mean == pytest.approx(3.0, rel=0.10)
    assert kinds["deal"].share == pytest.approx(0.3, abs=0.03)
    deals = int((done.cases.table.loc[done.split.train, "kind"] == "deal").sum())
    escalated = done.calibration.inferred["escalation_share"]
    assert abs(escalated["deal"] - 0.5) < 3 * math.sqrt(0.25 / deals)
    assert escalated["routine"] == 0
    assert (back.structure.teams.count, back.structure.teams.size) == (2, 4)
    assert [layer.name for layer in back.structure.layers] == ["second_line"]
    assert done.calibration.inferred["calendar"]["hours_per_day"] == 8


def test_validate_log_json_has_every_figure_with_baselines(truth_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "back.yaml"
    calibrate(truth_log, out, LogOptions(kind_attribute="kind"))
    code, text, err = run_cli(
        [
            "validate-log",
            str(out),
            str(truth_log),
            "--replications",
            "2",
            "--json",
            "--warmup-days",
            "2",
        ]
    )
    assert code == 0, err
    result = json.loads(text)
    for key in ("escalation_rate", "handoffs_per_case"):
        assert {"real", "simulated"} <= set(result[key])
    for key in ("cycle_time_distance", "arrival_distance", "uncalibrated_cycle_time_distance"):
        assert result[key]["low"] <= result[key]["mean"] <= result[key]["high"]
    assert result["train_vs_validation_cycle_time_distance"] >= 0
    # calibrated on its own truth, far closer than the uncalibrated hierarchy
    assert (
        result["cycle_time_distance"]["mean"]
        < result["uncalibrated_cycle_time_distance"]["mean"] / 3
    )
    _assert_utilisation_side_by_side(result["resource_utilisation"])


def _assert_utilisation_side_by_side(used: dict) -> None:
    """The truth's front line is busy its demand's work: 10 requests a day x 1.95 h mean
    (0.7 x 1.5 + 0.3 x 3.0) over 8 employees x 8 h = 0.305; the log's estimate within 15%
    (about 460 held-out cases: 4% standard error on the mean work, and the estimator
    counts no idle time as work here, so no more bias than that); the calibrated
    scenario's 95% interval over replications holds the real log's figure."""
    front = used["front line"]
    assert front["real_resources"] == 8
    assert front["real"] == pytest.approx(10 * 1.95 / 64, rel=0.15)
    assert front["simulated"]["low"] <= front["real"] <= front["simulated"]["high"]
    assert used["escalation"]["real_resources"] == 1  # the one lead of the 2 teams
    assert 0 < used["escalation"]["real"] < front["real"]
    assert used["all"]["real_resources"] == 9


@pytest.mark.parametrize("days", ["1e9", "inf"])
def test_a_recent_window_beyond_a_century_is_refused_not_a_traceback(
    truth_log: Path, tmp_path: Path, days: str
) -> None:
    out = tmp_path / "desk.yaml"
    code, text, err = run_cli(["calibrate", str(truth_log), "--out", str(out), "--recent", days])
    assert_clean_error(code, text, err)
    assert "at most 36,525" in err
    assert not out.exists()


def test_validate_log_bounds_its_replications_before_reading_anything(tmp_path: Path) -> None:
    """A thousand replications settle any interval; more would only hold the machine."""
    missing = tmp_path / "nowhere.csv"
    code, text, err = run_cli(
        ["validate-log", str(tmp_path / "none.yaml"), str(missing), "--replications", "1001"]
    )
    assert_clean_error(code, text, err)
    assert "allowed: 2 to 1,000" in err
    with pytest.raises(ScenarioError, match="more than 1,000"):
        validate_log(tmp_path / "none.yaml", missing, replications=1001)


def test_validate_log_reports_progress_after_each_run(truth_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "back.yaml"
    calibrate(truth_log, out, LogOptions(kind_attribute="kind"))
    seen: list[tuple[int, int]] = []
    validate_log(
        out, truth_log, replications=2, uncalibrated=out, warmup_days=2,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_calibrate_help_explains_the_column_mapping() -> None:
    code, out, _ = run_cli(["calibrate", "--help"])
    assert code == 0
    assert '--column case="Ticket ID"' in out
    assert "case: Ticket ID" in out


def test_calibrate_refuses_a_bad_log_before_writing(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("Ticket,concept:name,time:timestamp\nc1,Open,2024-03-04\n")
    out = tmp_path / "new" / "desk.yaml"  # not even its folder is made
    code, text, err = run_cli(["calibrate", str(log), "--out", str(out)])
    assert_clean_error(code, text, err)
    assert "--column ROLE=NAME" in err
    assert list(tmp_path.iterdir()) == [log]


@pytest.mark.skipif(not HELPDESK.exists(), reason=f"the helpdesk log is not at {HELPDESK}")
def test_helpdesk_calibrated_scenario_reproduces_the_held_out_cycle_times(tmp_path: Path) -> None:
    """Issue 22's target on the held-out 30%: cycle-time distance at most 3x the log's own
    drift and under a tenth of the uncalibrated hierarchy's (3 replications)."""
    out = tmp_path / "desk.yaml"
    code, _, err = run_cli(
        ["calibrate", str(HELPDESK), "--out", str(out), "--kind-attribute", "seriousness_2"]
    )
    assert code == 0, err
    assert yaml.safe_load(out.read_text())["run"]["hours_per_day"] == 11
    code, text, err = run_cli(
        ["validate-log", str(out), str(HELPDESK), "--replications", "3", "--json"]
    )
    assert code == 0, err
    result = json.loads(text)
    drift = result["train_vs_validation_cycle_time_distance"]
    assert 10 < drift < 25  # about 15 h, as the issue measured
    assert result["cycle_time_distance"]["mean"] <= 3 * drift
    assert (
        result["cycle_time_distance"]["mean"]
        < result["uncalibrated_cycle_time_distance"]["mean"] / 10
    )

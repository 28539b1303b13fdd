"""Every simulated run as an event log (issue 22): traced, on a calendar, read back whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cli import assert_clean_error, run_cli

from orgsim.calibrate.reading import read_log
from orgsim.results.escaping import csv_cell, csv_cell_read, csv_cell_reversible
from orgsim.results.event_log import Calendar, to_event_log, write_event_log
from orgsim.results.run import SimulationResult, simulate

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "hierarchy.yaml"


@pytest.fixture(scope="module")
def traced() -> SimulationResult:
    return simulate(SCENARIO, seed=3, days=15, trace=True)


def test_trace_changes_no_figure(traced: SimulationResult) -> None:
    plain = simulate(SCENARIO, seed=3, days=15)
    assert plain.events is None
    assert plain.summary == traced.summary
    pd.testing.assert_frame_equal(plain.requests, traced.requests)


def test_every_request_is_a_case_with_its_steps(traced: SimulationResult) -> None:
    events, requests = traced.events, traced.requests
    assert events["request"].nunique() == len(requests)
    steps = events.groupby("request")["activity"].apply(list)
    resolved = requests.loc[requests["outcome"] == "resolved", "request_id"]
    assert all(steps[r][0] == "Create request" for r in requests["request_id"])
    assert all(steps[r][-1] == "Deliver answer" for r in resolved)
    escalated = requests.loc[requests["level"] >= 2, "request_id"]  # a layer decided
    assert len(escalated) > 0
    assert all({"Escalate", "Review"} <= set(steps[r]) for r in escalated)
    in_order = events.groupby("request")["time_h"].apply(lambda t: bool(np.all(np.diff(t) >= 0)))
    assert in_order.all()
    decided = events[events["activity"] == "Decide"].set_index("request")["time_h"]
    done = requests.dropna(subset=["decided_h"]).set_index("request_id")["decided_h"]
    np.testing.assert_allclose(decided.loc[done.index], done)


def test_calendar_skips_weekends_and_keeps_working_hours() -> None:
    calendar = Calendar(date(2024, 1, 5), hours_per_day=8, day_start_h=9)  # a Friday
    stamps = calendar.timestamps(np.array([0.0, 7.5, 8.0, 16.25]))
    assert [str(s) for s in stamps] == [
        "2024-01-05 09:00:00+00:00",
        "2024-01-05 16:30:00+00:00",
        "2024-01-08 09:00:00+00:00",  # Monday
        "2024-01-09 09:15:00+00:00",
    ]


@pytest.mark.parametrize("name", ["run.xes.gz", "run.csv"])
def test_round_trip_through_the_reader(tmp_path: Path, traced: SimulationResult, name: str) -> None:
    log = to_event_log(traced.events, Calendar(hours_per_day=8))
    back = read_log(write_event_log(log, tmp_path / name), keep_names=True).events
    assert len(back) == len(log)
    order = back.sort_values(["case", "row"], kind="stable")
    expected = log.sort_values("case:concept:name", kind="stable")
    assert list(order["case"]) == list(expected["case:concept:name"])
    assert list(order["activity"]) == list(expected["concept:name"])
    assert list(order["resource"]) == list(expected["org:resource"])
    assert list(order["case:kind"]) == list(expected["case:kind"])
    gap = (
        order["time"].astype("int64").to_numpy()
        - expected["time:timestamp"].astype("datetime64[us, UTC]").astype("int64").to_numpy()
    )
    assert np.abs(gap).max() < 1_000  # microseconds: written to the millisecond


def test_cli_writes_the_log_and_refuses_a_bad_name_first(tmp_path: Path) -> None:
    target = tmp_path / "run.csv.gz"
    code, _, err = run_cli(["run", str(SCENARIO), "--days", "12", "--event-log", str(target)])
    assert code == 0, err
    assert read_log(target).events["case"].nunique() > 0
    bad = tmp_path / "run.json"
    code, out, err = run_cli(["run", str(SCENARIO), "--days", "12", "--event-log", str(bad)])
    assert_clean_error(code, out, err)
    assert "allowed suffixes" in err
    assert not bad.exists()


def test_waits_and_closing_appear_in_the_log_and_leave_other_draws_alone() -> None:
    timed = {f"demand.kinds[{i}].wait_h": {"dist": "exponential", "mean": 6} for i in range(4)}
    timed |= {"demand.kinds[0].close_after_h": {"dist": "empirical", "quantiles": [40, 60, 80]}}
    stay = {"satisfaction.churn": {"yearly_base_rate": None, "probability": 0}}  # nobody leaves
    plain = simulate(SCENARIO, seed=5, days=15, overrides=stay, trace=True)
    waited = simulate(SCENARIO, seed=5, days=15, overrides=stay | timed, trace=True)
    # the same demand: the waits come from a stream of their own
    before, after_ = (r.requests.set_index("request_id").sort_index() for r in (plain, waited))
    pd.testing.assert_frame_equal(
        before[["kind", "value", "good"]], after_[["kind", "value", "good"]]
    )
    first_work = waited.events[waited.events["activity"] == "Work request"].groupby("request")
    created = waited.requests.set_index("request_id")["created_h"]
    lag = (first_work["time_h"].min() - created.loc[first_work["time_h"].min().index]).mean()
    assert lag > 6 * 0.8  # at least the mean wait (work and queues add to it)
    closed = waited.events[waited.events["activity"] == "Close case"]
    assert set(closed["kind"]) == {"routine"}
    after = closed.set_index("request")["time_h"] - created.loc[closed["request"]].to_numpy()
    assert after.between(40 - 1e-9, 80 + 200).all()  # 40-80 h, or at a later answer
    assert (after <= 80 + 1e-9).mean() > 0.9


FORMULAS = ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0", "+1 x", "-x", "@SUM(A1)", "'=x"]
"""Texts a spreadsheet would run (OWASP's CSV injection), and one already quoted."""


def test_csv_log_quotes_formulas_and_reads_them_back(
    tmp_path: Path, traced: SimulationResult
) -> None:
    log = to_event_log(traced.events, Calendar(hours_per_day=8))
    cells = np.resize(np.array([*FORMULAS, "plain", "-1.5"], dtype=object), len(log))
    log["org:resource"] = cells
    log["case:kind"] = np.roll(cells, 1)
    path = write_event_log(log, tmp_path / "run.csv")
    written = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("org:resource", "case:kind"):
        run = written[column].str.startswith(("=", "+", "-", "@")) & (written[column] != "-1.5")
        assert not run.any(), written.loc[run, column].head()
    assert "''=x" in set(written["org:resource"])  # a quote added to the quoted, undone on reading
    back = read_log(path, keep_names=True).events.sort_values("row")
    assert list(back["resource"]) == list(log["org:resource"])
    assert list(back["case:kind"]) == list(log["case:kind"])


@given(st.text(alphabet=st.sampled_from("'=+-@\t1.ax "), max_size=6))
def test_reversible_csv_quoting_reads_back_any_text(text: str) -> None:
    written = csv_cell_reversible(text)
    assert csv_cell_read(written) == text
    assert written == text or written == "'" + text
    assert csv_cell(written.lstrip("'")) == written.lstrip("'") or written.startswith("'")


@pytest.mark.parametrize("name", ["run.xes.gz", "run.xes", "run.csv.gz"])
def test_markup_and_line_breaks_in_names_read_back_as_written(
    tmp_path: Path, traced: SimulationResult, name: str
) -> None:
    log = to_event_log(traced.events, Calendar(hours_per_day=8))
    odd = ['a "quoted" <b> & c', "two\nlines\ttab", "it's", "", "plain"]
    log["org:resource"] = np.resize(np.array(odd, dtype=object), len(log))
    log["case:kind"] = log["case:concept:name"].map(lambda case: odd[len(case) % 3])
    back = read_log(write_event_log(log, tmp_path / name), keep_names=True).events
    back = back.sort_values("row") if name.startswith("run.csv") else back
    expected = log.sort_values("case:concept:name", kind="stable") if "xes" in name else log
    order = back.sort_values(["case", "row"], kind="stable") if "xes" in name else back
    assert list(order["resource"]) == list(expected["org:resource"])
    assert list(order["case:kind"]) == list(expected["case:kind"])

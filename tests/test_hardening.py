"""Hostile input (issue 8): every class of fault found, each answered at its root.

Each test holds one reproducer of a class: it failed (a crash, a hang, a wrong figure, a
lost file) before the fix. The whole-range property test is in test_whole_range.py.
"""

from __future__ import annotations

import json
import math
import re
import signal
import struct
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from strategies import HIERARCHY, SELF_MANAGING, raw_scenario, write_yaml
from test_cli import assert_clean_error, run_cli

import orgsim
from orgsim.results.run import SimulationResult
from orgsim.scenario import limits, workload
from orgsim.scenario.distributions import buffered
from orgsim.scenario.errors import CapacityWarning, ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.schema import Scenario
from orgsim.sim.model import OrgModel
from orgsim.sim.requests import Request, RequestLog


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block takes longer than ``seconds``."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused(source: object, overrides: list[str], *parts: str) -> str:
    """The loader's message for ``source`` with ``overrides``: it must name every part."""
    with time_limit(10), pytest.raises(ScenarioError) as caught:
        load_scenario(source, overrides)  # type: ignore[arg-type]
    message = str(caught.value)
    for part in parts:
        assert part in message
    return message


# --- 1. valid per field, broken at build or run time ----------------------------------------


@pytest.mark.parametrize("name", ["team", "employee"])
def test_a_layer_may_not_take_a_reserved_level_name(name: str) -> None:
    refused(HIERARCHY, [f"structure.layers[0].name={name}"], "structure", repr(name), "reserved")


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("demand.requests_per_customer_per_day=5e-324", "demand.requests_per_customer_per_day"),
        ("structure.layers[1].absence.mean_days=1e308", "structure.layers[1].absence.mean_days"),
        ("structure.layers[1].absence.share=5e-324", "structure.layers[1].absence"),
        ("structure.layers[0].meeting_block_h=1e308", "structure.layers[0].meeting_block_h"),
        ("structure.layers[0].availability=1e-300", "structure.layers[0].availability"),
        ("demand.kinds[0].work_h={dist: exponential, mean: 1e308}", "demand.kinds[0].work_h"),
        ("structure.rework.work_fraction=1e308", "structure.rework.work_fraction"),
    ],
)
def test_values_that_break_the_model_are_refused_by_the_schema(override: str, field: str) -> None:
    refused(HIERARCHY, [override], field)


# --- 2. silently wrong results ----------------------------------------------------------------


def test_a_duration_cannot_become_nan() -> None:
    refused(
        SELF_MANAGING,
        ["structure.teams.consult_time_h=0", "structure.teams.coordination_cost=1e308"],
        "structure.teams.coordination_cost",
    )


def test_a_sampling_interval_beyond_the_horizon_is_refused() -> None:
    refused(HIERARCHY, ["run.sample_every_days=1e12"], "sample_every_days", "days")


def test_a_warm_up_that_rounds_to_the_horizon_is_refused() -> None:
    """Below days as a number of days, equal to it in hours: nothing would be measured."""
    days, hours = 15.511717760555667, 0.7
    warmup = math.nextafter(days, 0)
    assert warmup < days
    assert warmup * hours == days * hours
    refused(
        HIERARCHY,
        [f"run.days={days!r}", f"run.warmup_days={warmup!r}", f"run.hours_per_day={hours}"],
        "warmup_days",
    )


def test_a_span_beyond_any_organisation_is_refused() -> None:
    refused(HIERARCHY, [f"structure.layers[0].span={10**400}"], "structure.layers[0].span")


def test_too_many_samples_are_refused() -> None:
    refused(HIERARCHY, ["run.days=1e6", "run.sample_every_days=0.01"], "sample_every_days")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_a_sampler_never_hands_out_a_duration_that_is_not_finite(bad: float) -> None:
    draw = buffered(lambda n: np.full(n, bad))
    with pytest.raises(FloatingPointError):
        draw()


# --- 3. fixed-width fields ----------------------------------------------------------------------


def test_rework_rounds_are_bounded() -> None:
    refused(HIERARCHY, ["structure.rework.max_rounds=100000"], "structure.rework.max_rounds")


def test_the_request_log_holds_the_largest_figures_the_schema_allows() -> None:
    """Sizes from the schema's bounds, not from a run: the log's fields must hold them."""
    kinds = [f"k{i}" for i in range(limits.MAX_KINDS)]
    log = RequestLog(kinds, [f"l{i}" for i in range(limits.MAX_LAYERS + 2)])
    request = Request(2**62, 2**62, None, limits.MAX_KINDS - 1, 1e12, True, 1.0, 1.0, 0.0)  # type: ignore[arg-type]
    request.handoffs, request.hops = limits.max_handoffs(), limits.max_hops()
    request.reworks, request.level = limits.MAX_REWORK_ROUNDS, limits.MAX_LAYERS + 1
    log.record(request, 1.0, 0)
    frame = log.frame()
    assert frame["handoffs"].iloc[0] == limits.max_handoffs()
    assert frame["hops"].iloc[0] == limits.max_hops()
    assert frame["reworks"].iloc[0] == limits.MAX_REWORK_ROUNDS


def test_a_log_row_that_does_not_fit_is_a_packing_error_not_a_wrap() -> None:
    log = RequestLog(["k"], ["employee"])
    request = Request(0, 0, None, 0, 0.0, True, 1.0, 1.0, 0.0)  # type: ignore[arg-type]
    request.handoffs = 2**40
    with pytest.raises(struct.error):
        log.record(request, 1.0, 0)


# --- 4. hangs and runaway work --------------------------------------------------------------------


def test_lateral_handoff_candidates_are_bounded() -> None:
    refused(
        SELF_MANAGING,
        ["structure.teams.lateral_handoff.candidates=1000000000000"],
        "structure.teams.lateral_handoff.candidates",
    )


def test_a_very_long_override_path_is_refused_at_once() -> None:
    path = ".".join(["a"] * 30_000)
    started = time.perf_counter()
    refused(HIERARCHY, [f"{path}=1"], "override", "parts")
    assert time.perf_counter() - started < 1.0


def _alias_tree(levels: int) -> str:
    """YAML of a mapping whose aliases nest ``levels`` deep: 2**levels leaves, expanded."""
    lines = ["a0: &a0 {x: 1, y: 1}"]
    lines += [f"a{i}: &a{i} {{x: *a{i - 1}, y: *a{i - 1}}}" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_aliases_merged_through_extends_are_refused(tmp_path: Path) -> None:
    """Each file is small; merging the child's aliases over the parent's expands them."""
    tree = _alias_tree(40)
    (tmp_path / "parent.yaml").write_text("name: x\nstructure:\n  " + tree.replace("\n", "\n  "))
    (tmp_path / "child.yaml").write_text(
        "extends: parent.yaml\nstructure:\n  " + tree.replace("\n", "\n  ")
    )
    refused(tmp_path / "child.yaml", [], "child.yaml", "too large")


def test_a_file_too_large_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("name: x\n" + "#" * limits.MAX_FILE_BYTES)
    refused(path, [], str(path), "larger than")


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "/"])
def test_what_is_no_regular_file_is_refused_without_reading(special: str) -> None:
    refused(special, [], special)


def test_a_run_of_too_many_requests_is_refused_before_it_starts() -> None:
    scenario = load_scenario(HIERARCHY, ["demand.requests_per_customer_per_day=1e6"])
    with time_limit(10), pytest.raises(ScenarioError, match="max_requests") as caught:
        OrgModel(scenario)
    assert "requests" in str(caught.value)
    with pytest.warns(CapacityWarning):  # raised on purpose: it builds, and is overloaded
        model = OrgModel(scenario, max_requests=10**12)
    assert model.horizon_h > 0


def test_the_cli_refuses_a_runaway_run_at_once_and_the_limit_can_be_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = [
        "run",
        str(HIERARCHY),
        "--days",
        "12",
        "--set",
        "demand.requests_per_customer_per_day=9",
    ]
    started = time.perf_counter()
    code, out, err = run_cli([*args, "--max-requests", "1000"])
    assert_clean_error(code, out, err)
    assert "--max-requests" in err
    assert time.perf_counter() - started < 5
    code, out, _ = run_cli([*args, "--max-requests", "1000000", "--json"])
    assert code == 0
    assert json.loads(out)["requests_created"] > 1000


def test_too_many_people_are_refused() -> None:
    refused(HIERARCHY, ["structure.teams.count=1000000000"], "structure.teams.count")
    refused(HIERARCHY, ["structure.teams.count=10000", "structure.teams.size=1000"], "people")


def test_demand_beyond_capacity_is_warned_of(tmp_path: Path) -> None:
    overloaded = ["demand.kinds[0].work_h=50", "run.days=12"]
    with pytest.warns(CapacityWarning, match="utilisation above 1"):
        OrgModel(HIERARCHY, overrides=overloaded)
    code, _, err = run_cli(["run", str(HIERARCHY), *(f"--set={o}" for o in overloaded)])
    assert code == 0
    assert "orgsim: warning:" in err
    assert "utilisation" in err


def test_employee_utilisation_is_arrival_rate_times_work_over_people() -> None:
    """By hand: 25 customers x 2 a day / 8 h = 6.25 requests an hour on 5 people;
    mean work (1 x 1 h + 3 x 3 h) / 4 = 2.5 h; so 6.25 x 2.5 / 5 = 3.125; coordination
    with 4 colleagues at 0.001 each adds 0.004 of everyone's time."""
    kinds = [
        {"name": "a", "share": 1, "work_h": 1, "expected_response_h": 8},
        {"name": "b", "share": 3, "work_h": {"dist": "uniform", "low": 2, "high": 4},
         "expected_response_h": 8},
    ]  # fmt: skip
    scenario = load_scenario(
        HIERARCHY,
        {
            "demand.kinds": kinds,
            "demand.customers_per_team": 25,
            "demand.requests_per_customer_per_day": 2,
            "structure.teams.size": 5,
            "run.hours_per_day": 8,
        },
    )
    assert workload.employee_utilisation(scenario) == pytest.approx(3.125 + 0.004)
    assert workload.expected_requests(scenario) == pytest.approx(8 * 25 * 2 * 90)


def test_a_scenario_within_capacity_gives_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CapacityWarning)
        OrgModel(HIERARCHY, overrides=["run.days=12"])


# --- 5. results lost on output errors (orgsim run) ------------------------------------------------


def _no_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the output place must be checked before the run")

    monkeypatch.setattr("orgsim.results.run.simulate", fail)


def test_run_out_that_is_a_file_is_refused_before_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_run(monkeypatch)
    (tmp_path / "taken").write_text("x")
    code, out, err = run_cli(["run", str(HIERARCHY), "--out", str(tmp_path / "taken")])
    assert_clean_error(code, out, err)
    assert "taken" in err
    assert "not a folder" in err


def test_run_out_under_a_file_is_refused_before_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_run(monkeypatch)
    (tmp_path / "taken").write_text("x")
    code, out, err = run_cli(["run", str(HIERARCHY), "--out", str(tmp_path / "taken" / "out")])
    assert_clean_error(code, out, err)
    assert "taken" in err


def test_run_out_that_cannot_be_written_is_refused_before_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_run(monkeypatch)
    code, out, err = run_cli(["run", str(HIERARCHY), "--out", "/proc/orgsim-results"])
    assert_clean_error(code, out, err)
    assert "/proc/orgsim-results" in err
    assert "cannot write" in err


def test_results_are_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault while writing one file leaves the others whole, and no half file behind."""
    result = orgsim.simulate(HIERARCHY, seed=1, days=12)
    result.write(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def disk_full(self: pd.DataFrame, path: Path, *args: object, **kwargs: object) -> None:
        Path(path).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full)
    changed = SimulationResult(
        {**result.summary, "seed": 2}, result.requests, result.timeseries, result.stations
    )
    with pytest.raises(OSError, match="No space"):
        changed.write(tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(after) == set(before)  # no temporary file left behind
    assert after["requests.parquet"] == before["requests.parquet"]


def test_run_that_cannot_write_its_results_keeps_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(self: SimulationResult, directory: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SimulationResult, "write", disk_full)
    code, out, err = run_cli(["run", str(HIERARCHY), "--days", "12", "--out", str(tmp_path)])
    assert code == 2
    assert json.loads(out)["requests_created"] > 0  # the figures are not lost
    assert err.startswith("orgsim: error: ")
    assert "No space left on device" in err
    assert "Traceback" not in err


# --- 7. silent acceptance ----------------------------------------------------------------------


def test_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    text = HIERARCHY.read_text() + "\nstructure:\n  teams: {count: 1}\n"
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    (tmp_path / "base").symlink_to(HIERARCHY.parent / "base")
    refused(path, [], str(path), "duplicate key", "'structure'", "line")


def test_keys_merged_by_yaml_may_be_overridden(tmp_path: Path) -> None:
    """A YAML merge key (``<<``) followed by an explicit key is no duplicate."""
    path = tmp_path / "scenario.yaml"
    raw = raw_scenario(HIERARCHY)
    write_yaml(path, raw)
    text = path.read_text().replace("run:", "defaults: &d {days: 30}\nrun:", 1)
    path.write_text(text)
    refused(path, [], "defaults", "unknown key")  # the only problem: an unknown section


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("structure.teams.count=true", "structure.teams.count"),
        ("culture.trust.blame='yes'", "culture.trust.blame"),
        ("structure.teams.size=2.0", "structure.teams.size"),
        ("run.days='90'", "run.days"),
        ("structure.teams.pooled=1", "structure.teams.pooled"),
    ],
)
def test_values_of_the_wrong_type_are_refused(override: str, field: str) -> None:
    refused(HIERARCHY, [override], field)


def test_a_whole_number_is_still_a_number() -> None:
    assert load_scenario(HIERARCHY, ["run.days=30"]).run.days == 30
    assert load_scenario(HIERARCHY, ["run.days=1e2"]).run.days == 100  # YAML 1.2, as JSON


def test_numpy_numbers_from_a_program_are_numbers() -> None:
    scenario = load_scenario(
        HIERARCHY,
        {
            "structure.teams.size": np.int64(5),
            "run.days": np.float64(30),
            "culture.trust.blame": np.bool_(False),
            "structure.layers[0].review_time_h": {"dist": "exponential", "mean": np.int32(1)},
        },
    )
    assert (scenario.structure.teams.size, scenario.run.days) == (5, 30)
    assert scenario.culture.trust.blame is False


# --- 8. messages ----------------------------------------------------------------------------


def test_values_of_an_extended_file_are_not_echoed(tmp_path: Path) -> None:
    (tmp_path / "secrets.yaml").write_text("password: hunter2\ntoken: [s3cr3t]\n")
    (tmp_path / "scenario.yaml").write_text("extends: secrets.yaml\nname: x\nmine: visible\n")
    message = refused(tmp_path / "scenario.yaml", [], "secrets.yaml", "not a scenario file")
    assert "hunter2" not in message
    assert "s3cr3t" not in message
    assert "password" not in message  # nor its keys (issue 17): it may be any file at all
    (tmp_path / "secrets.yaml").write_text("run: {password: hunter2, token: [s3cr3t]}\n")
    message = refused(tmp_path / "scenario.yaml", [], "run.password", "run.token", "str", "list")
    assert "hunter2" not in message
    assert "s3cr3t" not in message
    assert "'visible'" in message  # the file's own values are shown


def test_a_broken_extended_file_is_located_not_quoted(tmp_path: Path) -> None:
    (tmp_path / "secrets.yaml").write_text("user: me\npassword: !!bool hunter2\n")
    (tmp_path / "scenario.yaml").write_text("extends: secrets.yaml\nname: x\n")
    message = refused(tmp_path / "scenario.yaml", [], "secrets.yaml", "broken YAML", "line 2")
    assert "hunter2" not in message


def test_a_long_extends_chain_names_its_depth(tmp_path: Path) -> None:
    write_yaml(tmp_path / "f0.yaml", raw_scenario(HIERARCHY))
    for index in range(1, 1200):
        (tmp_path / f"f{index}.yaml").write_text(f"extends: f{index - 1}.yaml\n")
    message = refused(tmp_path / "f1199.yaml", [], "extends", str(limits.MAX_EXTENDS_DEPTH))
    assert "nested too deeply" not in message


def test_a_chain_within_the_limit_loads(tmp_path: Path) -> None:
    write_yaml(tmp_path / "f0.yaml", raw_scenario(HIERARCHY))
    for index in range(1, limits.MAX_EXTENDS_DEPTH + 1):
        (tmp_path / f"f{index}.yaml").write_text(f"extends: f{index - 1}.yaml\n")
    scenario = load_scenario(tmp_path / f"f{limits.MAX_EXTENDS_DEPTH}.yaml")
    assert scenario.structure == load_scenario(HIERARCHY).structure  # the whole chain was read
    assert scenario.name == f"f{limits.MAX_EXTENDS_DEPTH}"  # a file's own name, its stem


@pytest.mark.parametrize("days", ["0.5", "1", "5", "0.02"])
def test_the_short_run_hint_works(days: str) -> None:
    message = refused(HIERARCHY, [f"run.days={days}"], "warmup_days")
    hints = re.findall(r"--set (run\.\w+=[^\s)]+)", message)
    assert any(hint.startswith("run.warmup_days=") for hint in hints)
    assert load_scenario(HIERARCHY, [f"run.days={days}", *hints]).run.days == float(days)


# --- 9. the Python API --------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", [None, 3, b"scenarios/hierarchy.yaml", ["a"]])
def test_simulate_with_no_scenario_is_a_scenario_error(scenario: object) -> None:
    with pytest.raises(ScenarioError, match="scenario"):
        orgsim.simulate(scenario)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True, 2**128])
def test_simulate_with_a_bad_seed_is_a_scenario_error(seed: object) -> None:
    with pytest.raises(ScenarioError, match="seed"):
        orgsim.simulate(HIERARCHY, seed=seed)  # type: ignore[arg-type]


def test_a_numpy_seed_is_a_seed() -> None:
    assert orgsim.simulate(HIERARCHY, seed=np.int64(3), days=12).summary["seed"] == 3


def test_simulate_takes_overrides_as_the_loader_does() -> None:
    listed = orgsim.simulate(HIERARCHY, seed=1, overrides=["run.days=12"], days=None)
    mapped = orgsim.simulate(HIERARCHY, seed=1, overrides={"run.days": 12})
    assert listed.summary == mapped.summary
    with_days = orgsim.simulate(HIERARCHY, seed=1, overrides=["run.days=30"], days=12)
    assert with_days.summary == mapped.summary


# --- issue 7 section 3: an unknown key on an override path ---------------------------------


def test_an_unknown_key_on_an_override_path_is_named_with_the_allowed_keys() -> None:
    message = refused(
        HIERARCHY, ["structure.layer[1].mandate=5"], "structure.layer", "unknown key", "layers"
    )
    assert "is no list" not in message


def test_the_schema_still_takes_every_shipped_scenario() -> None:
    for path in (HIERARCHY, SELF_MANAGING):
        assert isinstance(load_scenario(path), Scenario)

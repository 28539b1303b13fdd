"""The ``orgsim`` command: exit code 2 and one message for bad input; results for good input."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from strategies import BAD_INPUTS, HIERARCHY, ROOT, SELF_MANAGING, Bad, expected_parts, write_bad

from orgsim.cli import main
from orgsim.compare.measures import MEASURES
from orgsim.results.metrics import SUMMARY_KEYS


def run_args(seed: int = 1) -> list[str]:
    return ["run", str(HIERARCHY), "--seed", str(seed), "--days", "20", "--json"]


RUN = run_args()


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """``main(args)`` in this process: exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse: --help, usage errors
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


def bad_args(directory: Path, bad: Bad, command: str = "run") -> list[str]:
    path = write_bad(directory, bad)
    return [command, str(path), "--days", "15", *(f"--set={item}" for item in bad.overrides)]


def assert_clean_error(code: int, out: str, err: str) -> None:
    assert code == 2
    assert out == ""
    assert err.startswith("orgsim: error: ")
    assert "Traceback" not in err
    assert sum(line.startswith("orgsim: error") for line in err.splitlines()) == 1


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_run_with_bad_input_exits_2_with_one_message(tmp_path: Path, bad: Bad) -> None:
    code, out, err = run_cli(bad_args(tmp_path, bad))
    assert_clean_error(code, out, err)
    assert str(tmp_path / "scenario.yaml") in err
    for part in expected_parts(bad, tmp_path):
        assert part in err


@pytest.mark.parametrize("bad", ["unknown_key", "broken_yaml", "missing_file"])
def test_compare_with_a_bad_scenario_exits_2(tmp_path: Path, bad: str) -> None:
    args = bad_args(tmp_path, BAD_INPUTS[bad], command="compare")
    args[1:1] = [str(HIERARCHY)]  # the bad file second: the good one loads first
    code, out, err = run_cli([*args, "--replications", "2", "--out", str(tmp_path / "out")])
    assert_clean_error(code, out, err)
    assert "scenario.yaml" in err
    assert not (tmp_path / "out" / "runs.jsonl").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", str(HIERARCHY), "--days", "5"], "warmup_days"),
        (["run", str(HIERARCHY), "--days", "-1"], "run.days"),
        (["run", str(HIERARCHY), "--set", "run.days"], "PATH=VALUE"),
        (["compare", str(HIERARCHY), str(SELF_MANAGING), "--replications", "1"], "at least 2"),
        (["run"], "the following arguments are required: scenario"),
        (["run", str(HIERARCHY), "--days", "many"], "invalid float value: 'many'"),
        (["run", str(HIERARCHY), "--colour", "red"], "unrecognized arguments: --colour"),
        (["simulate"], "invalid choice: 'simulate'"),
    ],
)
def test_bad_command_line_exits_2(args: list[str], expected: str) -> None:
    code, out, err = run_cli(args)
    assert code == 2
    assert out == ""
    assert expected in err
    assert "Traceback" not in err


def test_compare_of_scenarios_with_equal_names_exits_2(tmp_path: Path) -> None:
    args = ["compare", str(HIERARCHY), str(HIERARCHY), "--replications", "2"]
    code, out, err = run_cli([*args, "--out", str(tmp_path)])
    assert_clean_error(code, out, err)


def test_run_for_an_infinite_horizon_exits_2() -> None:
    code, out, err = run_cli(["run", str(HIERARCHY), "--days", "inf"])
    assert_clean_error(code, out, err)
    assert "run.days" in err


def test_a_negative_seed_is_refused_by_the_argument_parser() -> None:
    code, out, err = run_cli(["run", str(HIERARCHY), "--seed", "-1"])
    assert (code, out) == (2, "")
    assert "argument --seed: must be 0 or more, got -1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("bad", ["broken_yaml", "index_out_of_range"])
def test_python_m_orgsim_cli_exits_2_without_traceback(tmp_path: Path, bad: str) -> None:
    args = bad_args(tmp_path, BAD_INPUTS[bad])
    done = subprocess.run(
        [sys.executable, "-m", "orgsim.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert_clean_error(done.returncode, done.stdout, done.stderr)
    assert args[1] in done.stderr


# --- good input ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def json_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """One short run with --json and --out: its standard output and its directory."""
    out = tmp_path_factory.mktemp("run")
    code, stdout, err = run_cli([*RUN, "--out", str(out)])
    assert code == 0, err
    return stdout, out


def test_run_json_prints_one_object_with_every_summary_key(json_run: tuple[str, Path]) -> None:
    stdout, _ = json_run
    assert stdout.endswith("\n")
    assert len(stdout.splitlines()) == 1
    summary = json.loads(stdout)
    assert isinstance(summary, dict)
    assert set(SUMMARY_KEYS) | {"seed", "scenario_hash"} <= summary.keys()
    assert summary["seed"] == 1
    assert summary["requests_created"] > 0


def test_run_twice_gives_identical_output(json_run: tuple[str, Path]) -> None:
    code, stdout, _ = run_cli(RUN)  # without --out: the summary must not depend on it
    assert code == 0
    assert stdout == json_run[0]


def test_another_seed_gives_another_run(json_run: tuple[str, Path]) -> None:
    code, stdout, _ = run_cli(run_args(seed=2))
    assert code == 0
    assert json.loads(stdout)["seed"] == 2
    assert stdout != json_run[0]


def test_run_out_writes_every_result_file(json_run: tuple[str, Path]) -> None:
    stdout, out = json_run
    for name in ("summary.json", "requests.parquet", "timeseries.csv", "stations.csv"):
        assert (out / name).stat().st_size > 0, name
    assert json.loads((out / "summary.json").read_text()) == json.loads(stdout)


def test_run_set_changes_the_scenario(json_run: tuple[str, Path]) -> None:
    code, stdout, _ = run_cli([*RUN, "--set", "structure.layers[1].mandate=50000"])
    assert code == 0
    assert json.loads(stdout)["scenario_hash"] != json.loads(json_run[0])["scenario_hash"]


def test_run_without_json_prints_a_table() -> None:
    code, stdout, _ = run_cli(["run", str(HIERARCHY), "--days", "15"])
    assert code == 0
    assert "response" in stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(stdout)


@pytest.mark.parametrize("command", [[], ["run"], ["compare"], ["validate"], ["ui"]])
def test_help_exits_0(command: list[str]) -> None:
    code, stdout, err = run_cli([*command, "--help"])
    assert code == 0
    assert stdout.startswith(f"usage: orgsim {' '.join(command)}".rstrip())
    assert err == ""


def test_compare_writes_runs_summary_report_and_figures(tmp_path: Path) -> None:
    args = ["compare", str(HIERARCHY), str(SELF_MANAGING), "--replications", "2"]
    code, stdout, err = run_cli([*args, "--days", "15", "--out", str(tmp_path)])
    assert code == 0, err
    runs = [json.loads(line) for line in (tmp_path / "runs.jsonl").read_text().splitlines()]
    assert sorted((r["scenario"], r["seed"]) for r in runs) == [
        ("hierarchy", 1),
        ("hierarchy", 2),
        ("self_managing", 1),
        ("self_managing", 2),
    ]
    summary = (tmp_path / "summary.csv").read_text()
    assert summary.startswith("scenario,figure,mean,low,high,n,diff,diff_low,diff_high,p_value")
    assert len(summary.splitlines()) == 1 + 2 * len(MEASURES)  # a row per scenario and figure
    parquet = pd.read_parquet(tmp_path / "runs.parquet")
    assert list(parquet.columns[:6]) == [
        "scenario", "scenario_hash", "seed", "replication", "error", "wall_s"
    ]  # fmt: skip
    assert set(SUMMARY_KEYS) <= set(parquet.columns)
    for name in ("report.html", "report.md", "figures/response_times.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert "self_managing" in stdout
    assert f"report in {tmp_path / 'report.html'}" in stdout


def test_ui_refuses_a_folder_without_scenarios_or_a_taken_port(tmp_path: Path) -> None:
    assert_clean_error(*run_cli(["ui", "--scenarios", str(tmp_path)]))
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run_cli(["ui", "--port", str(port)])
    assert_clean_error(code, out, err)
    assert f"--port {port}: cannot listen there" in err
    code, _, err = run_cli(["ui", "--port", "70000"])
    assert code == 2
    assert "must be from 1 to 65535" in err

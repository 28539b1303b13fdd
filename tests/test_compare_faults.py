"""A comparison's faults: no finished run is ever lost, no process is left behind.

Killed (SIGKILL) half-way and resumed, a comparison gives the same runs as one run
straight through; killed with a pool of workers, it leaves no process; a folder
holding another comparison is refused, not replaced; a failed run is reported, its
exit code is 1, and the other runs are complete.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from strategies import HIERARCHY, ROOT, SELF_MANAGING
from test_cli import assert_clean_error, run_cli

from orgsim.compare import extract, store, workers
from orgsim.scenario.errors import ScenarioError

# --- the runs file ------------------------------------------------------------------------


def test_a_torn_last_line_is_ignored_and_cut_before_the_next_append(tmp_path: Path):
    path = tmp_path / store.RUNS
    path.write_text('{"seed": 1}\n{"seed": 2}\n{"seed": 3, "respon')  # killed mid-write
    assert [r["seed"] for r in store.read_runs(path)] == [1, 2]
    store.RunLog(path).append({"seed": 4})
    assert [r["seed"] for r in store.read_runs(path)] == [1, 2, 4]
    assert path.read_text().endswith('{"seed": 4}\n')


IDENT = store.identity([("hierarchy", "aaaa"), ("self_managing", "bbbb")])


def test_a_folder_with_another_comparison_is_refused_not_emptied(tmp_path: Path):
    store.open_folder(tmp_path, IDENT, force=False, resume=False)
    store.RunLog(tmp_path / store.RUNS).append({"seed": 1})
    other = store.identity([("hierarchy", "aaaa"), ("cells", "cccc")])
    with pytest.raises(
        ScenarioError, match=r"other scenarios \(hierarchy, self_managing\).*--force"
    ):
        store.open_folder(tmp_path, other, force=False, resume=False)
    assert len(store.read_runs(tmp_path / store.RUNS)) == 1
    assert store.open_folder(tmp_path, other, force=True, resume=False) == []
    assert not (tmp_path / store.RUNS).exists()


def test_the_same_comparison_resumes_from_its_runs(tmp_path: Path):
    store.open_folder(tmp_path, IDENT, force=False, resume=False)
    store.RunLog(tmp_path / store.RUNS).append({"seed": 1})
    assert store.open_folder(tmp_path, IDENT, force=False, resume=True) == [{"seed": 1}]


def test_resume_without_a_comparison_and_a_folder_of_other_files_are_refused(tmp_path: Path):
    with pytest.raises(ScenarioError, match="--resume"):
        store.open_folder(tmp_path / "new", IDENT, force=False, resume=True)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ScenarioError, match="other files"):
        store.open_folder(tmp_path, IDENT, force=False, resume=False)
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("where", ["a_file", "under_a_file"])
def test_compare_into_an_unwritable_out_exits_2_before_any_run(tmp_path: Path, where: str):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    out = blocker if where == "a_file" else blocker / "sub"
    code, stdout, err = run_cli(
        ["compare", str(HIERARCHY), str(SELF_MANAGING), "--replications", "2", "--out", str(out)]
    )
    assert_clean_error(code, stdout, err)
    assert "--out" in err
    assert str(out) in err


# --- the command line ---------------------------------------------------------------------


def compare_args(out: Path, *extra: str, days: int = 15, replications: int = 2) -> list[str]:
    return [
        "compare", str(HIERARCHY), str(SELF_MANAGING), "--days", str(days),
        "--replications", str(replications), "--out", str(out), *extra,
    ]  # fmt: skip


def test_a_run_failing_in_the_model_gives_exit_1_and_a_report_naming_it(monkeypatch, tmp_path):
    real = extract.simulate

    def fragile(scenario, seed):
        if scenario.name == "self_managing" and seed == 1:
            raise RuntimeError("the model broke")
        return real(scenario, seed=seed)

    monkeypatch.setattr(extract, "simulate", fragile)
    code, stdout, err = run_cli(compare_args(tmp_path, "--workers", "1", replications=3))
    assert code == 1, err
    assert "Traceback" not in err
    assert "self_managing, seed 1: RuntimeError: the model broke" in stdout
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    assert len(runs) == 6
    assert runs["error"].notna().tolist() == [False, False, False, True, False, False]
    assert runs.loc[runs["error"].isna(), "response_time_mean_h"].notna().all()
    html = (tmp_path / "report.html").read_text()
    assert "orgsim compare " + str(HIERARCHY) in html  # how to repeat it
    assert "--replications 3 --days 15 --out" in html
    assert 'id="failures"' in html
    assert "RuntimeError: the model broke" in html
    assert "RuntimeError: the model broke" in (tmp_path / "report.md").read_text()


def test_rerunning_into_the_folder_of_another_comparison_exits_2_and_keeps_it(tmp_path: Path):
    assert run_cli(compare_args(tmp_path, "--workers", "1"))[0] == 0
    before = (tmp_path / "runs.jsonl").read_text()
    code, stdout, err = run_cli(
        [*compare_args(tmp_path, "--workers", "1"), "--set", "culture.trust.blame=false"]
    )
    assert_clean_error(code, stdout, err)
    assert "--force" in err
    assert (tmp_path / "runs.jsonl").read_text() == before


def test_rerunning_the_same_comparison_skips_its_finished_runs(tmp_path: Path):
    assert run_cli(compare_args(tmp_path, "--workers", "1"))[0] == 0
    code, stdout, _ = run_cli(compare_args(tmp_path, "--workers", "1", replications=3))
    assert code == 0
    assert "4 run(s) were already done" in stdout
    seeds = [(r["scenario"], r["seed"]) for r in store.read_runs(tmp_path / store.RUNS)]
    assert sorted(seeds) == sorted(
        (s, n) for s in ("hierarchy", "self_managing") for n in (1, 2, 3)
    )


@pytest.mark.parametrize("workers", ["0", "-1", "many"])
def test_workers_below_one_exit_2(workers: str, tmp_path: Path):
    code, stdout, err = run_cli(compare_args(tmp_path, "--workers", workers))
    assert (code, stdout) == (2, "")
    assert "argument --workers" in err


def test_compare_help_says_what_seed_and_set_do():
    code, stdout, _ = run_cli(["compare", "--help"])
    flat = " ".join(stdout.split())
    assert code == 0
    assert "%%" not in stdout
    assert "95%" in flat
    assert "base seed of all replications" in flat
    assert "every compared scenario" in flat
    assert "default: this machine's cores" in flat


# --- killed -------------------------------------------------------------------------------


def start(
    out: Path, *extra: str, days: int, replications: int, pool: bool = False
) -> subprocess.Popen:
    """``orgsim compare`` in its own process group (so the test can find all its processes).

    With ``pool``, workers start however small the work or busy the machine.
    """
    args = compare_args(out, *extra, days=days, replications=replications)
    return subprocess.Popen(
        [sys.executable, "-m", "orgsim.cli", *args],
        cwd=ROOT,
        env={**os.environ, **({"ORGSIM_WORKER_START_S": "0"} if pool else {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_lines(path: Path, count: int, process: subprocess.Popen, timeout_s: float = 120):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.read_text().count("\n") >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path} never reached {count} lines (exit {process.poll()})")


def group_members(group: int) -> list[int]:
    """Processes whose process group is ``group`` (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def runs_without_timing(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path).drop(columns="wall_s")


@pytest.mark.slow
def test_killed_half_way_and_resumed_gives_the_same_runs_as_straight_through(tmp_path: Path):
    days, replications = 40, 8
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    process = start(killed, "--workers", "1", days=days, replications=replications)
    wait_for_lines(killed / store.RUNS, 5, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = len(store.read_runs(killed / store.RUNS))
    assert 5 <= done < 2 * replications  # really half-way
    resumed = run_cli(compare_args(killed, "--resume", days=days, replications=replications))
    assert resumed[0] == 0, resumed[2]
    assert f"{done} run(s) were already done" in resumed[1]
    args = compare_args(straight, "--workers", "1", days=days, replications=replications)
    assert run_cli(args)[0] == 0
    pd.testing.assert_frame_equal(
        runs_without_timing(killed / "runs.parquet"), runs_without_timing(straight / "runs.parquet")
    )


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.skipif(workers.cores() < 2, reason="needs 2 cores for a pool")
def test_sigkill_of_compare_with_two_workers_leaves_no_process_behind(tmp_path: Path):
    process = start(tmp_path, "--workers", "2", days=90, replications=15, pool=True)
    deadline = time.monotonic() + 120
    while len(group_members(process.pid)) < 4 and time.monotonic() < deadline:  # + 2 workers
        time.sleep(0.05)  # + the resource tracker
    assert len(group_members(process.pid)) >= 4, "the pool never started"
    wait_for_lines(tmp_path / store.RUNS, 3, process)
    os.killpg(process.pid, 0)  # the group exists
    process.send_signal(signal.SIGKILL)  # the parent only: its workers must follow
    process.wait()
    deadline = time.monotonic() + 15
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_members(process.pid) == []
    assert all(json.loads(line) for line in (tmp_path / store.RUNS).read_text().splitlines())


def test_not_a_number_is_recorded_as_null(tmp_path: Path):
    kept = store.RunLog(tmp_path / store.RUNS).append({"a": float("nan"), "b": [1.0, float("inf")]})
    assert kept == {"a": None, "b": [1.0, None]}
    assert "NaN" not in (tmp_path / store.RUNS).read_text()


def test_a_full_disk_is_a_clear_error_and_keeps_the_runs_before(monkeypatch, tmp_path: Path):
    log = store.RunLog(tmp_path / store.RUNS)
    log.append({"seed": 1})

    def full(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", full)
    with pytest.raises(ScenarioError, match=r"runs.jsonl: cannot record a run \(No space left"):
        log.append({"seed": 2})
    monkeypatch.undo()
    assert store.read_runs(tmp_path / store.RUNS)[0] == {"seed": 1}

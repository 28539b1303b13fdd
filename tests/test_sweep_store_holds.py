"""A store that holds: one writer, keys written once, one schema, bad parts set aside."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sweep_stand_ins import ROOT, failing_runner, inline_backend, quick_runner, tiny_experiment
from test_compare_faults import group_members  # processes of a group, from /proc

from orgsim.cli import main
from orgsim.scenario.errors import ScenarioError, SweepWarning
from orgsim.sweep import parts as part_files
from orgsim.sweep.analyze import analyze
from orgsim.sweep.compact import JOURNAL
from orgsim.sweep.runner import run_sweep
from orgsim.sweep.store import Store

VOLATILE = ["wall_time_s", "orgsim_commit"]  # the commit: of the code that made each row
LAYERS = {  # a parameter of the hierarchy only, as in experiments/layers_vs_mandate.yaml
    "name": "approval_layers",
    "bases": ["hierarchy"],
    "levels": {1: {"structure.layers[2].mandate": None}, 2: {}},
}


def mixed(tmp: Path, **changes) -> Path:
    """Two bases, one parameter in both and one in the hierarchy only: 6 + 3 points."""
    parameters = [
        LAYERS,
        {"name": "mandate", "path": "structure.teams.employee_mandate", "values": [250, 500, 1000]},
    ]
    changes.setdefault("figures", ["satisfaction_mean", "churn_rate"])  # quick_runner's
    return tiny_experiment(tmp, parameters=parameters, **changes)


def comparable(directory: Path) -> pd.DataFrame:
    runs = Store(directory).runs().drop(columns=VOLATILE)
    return runs.sort_values("run_key").reset_index(drop=True)


@pytest.fixture(scope="module", autouse=True)
def inline():
    """Runs on a thread of the test process (the subprocess tests use real workers)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("orgsim.sweep.runner.backend", inline_backend)
        yield


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The mixed design run straight through (stand-in runs), with failures kept."""
    tmp = tmp_path_factory.mktemp("clean")
    report = run_sweep(mixed(tmp), tmp / "store", workers=1, runner=quick_runner)
    assert report.ran == report.total == (6 + 3) * 2
    return tmp / "store"


def test_the_readme_duckdb_query_reads_a_mixed_base_store_as_written(clean, tmp_path):
    report = run_sweep(mixed(tmp_path), tmp_path / "s", workers=1, runner=failing_runner)
    assert report.failed > 0  # parts with and without figures, with and without layers
    parts = sorted((tmp_path / "s" / "parts").glob("*.parquet"))
    assert len(parts) > 1
    assert len({pq.read_schema(p).remove_metadata() for p in parts}) == 1
    rows = duckdb.sql(f"select * from '{tmp_path}/s/parts/*.parquet'").df()
    assert len(rows) == report.total
    assert rows.loc[rows["base"] == "self_managing", "approval_layers"].isna().all()
    assert set(rows.loc[rows["base"] == "hierarchy", "approval_layers"]) == {1.0, 2.0}


def test_a_stored_run_key_written_again_is_a_no_op(clean, tmp_path):
    experiment = mixed(tmp_path)
    store = Store(tmp_path / "s")
    row = Store(clean).runs().iloc[0].to_dict()
    from orgsim.sweep.design import load_experiment

    store.open(load_experiment(experiment), experiment, resume=False)
    with store:
        assert store.write([row]) is not None
        assert store.write([row]) is None
    assert len(Store(tmp_path / "s").runs()) == 1


def test_a_second_sweep_into_a_store_being_written_is_refused(tmp_path, capsys):
    path = tiny_experiment(tmp_path, replications=4)
    out = tmp_path / "store"
    command = ["sweep", str(path), "--out", str(out)]
    first = subprocess.Popen(
        [sys.executable, "-m", "orgsim.cli", *command, "--workers", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not Store(out).has_runs() and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.02)
    assert first.poll() is None, "the first sweep ended before the second started"
    assert main([*command, "--resume", "--workers", "1"]) == 2
    error = capsys.readouterr().err
    assert re.search(r"another sweep is writing this store \(pid \d+", error)
    assert error.count("\n") == 1
    assert first.wait(timeout=300) == 0
    runs = Store(out).runs()
    assert len(runs) == 24
    assert runs["run_key"].is_unique


@pytest.mark.parametrize("damage", ["truncated", "empty"])
def test_a_damaged_part_is_quarantined_and_its_runs_made_again(clean, tmp_path, damage):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    victim = max((out / "parts").glob("*.parquet"), key=lambda p: len(pq.read_table(p)))
    lost = len(pq.read_table(victim))
    data = victim.read_bytes()
    damaged = data[: len(data) // 2] if damage == "truncated" else b""
    victim.write_bytes(damaged)
    report = run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner, resume=True)
    assert report.ran == lost
    assert [line.split(":")[0] for line in report.quarantined] == [victim.name]
    assert (out / "quarantine" / victim.name).read_bytes() == damaged
    pd.testing.assert_frame_equal(comparable(out), comparable(clean))


def test_analyze_sets_a_damaged_part_aside_and_warns_of_the_missing_runs(clean, tmp_path):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    victim = sorted((out / "parts").glob("*.parquet"))[-1]
    victim.write_bytes(b"PAR1 not really")
    with pytest.warns(SweepWarning) as caught:
        page = analyze(out)
    told = [str(warning.message) for warning in caught]
    assert told[0].startswith(f"unreadable part moved to quarantine/: {victim.name}")
    assert "incomplete design" in told[1]
    assert "missing" in told[1]
    assert "incomplete design" in page.read_text()


def test_an_incomplete_store_is_named_in_status_and_analysis(clean, tmp_path, capsys):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    parts = sorted((out / "parts").glob("*.parquet"))
    removed = sum(len(pq.read_table(p)) for p in parts[: len(parts) // 2])
    for part in parts[: len(parts) // 2]:
        part.unlink()
    assert main(["sweep", "--status", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"{18 - removed} of 18 runs stored, 0 failed; {removed} missing" in said
    assert main(["analyze", str(out)]) == 0
    assert f"warning: incomplete design: {18 - removed} of 18" in capsys.readouterr().err


def test_each_row_records_the_version_and_the_commit(clean):
    runs = Store(clean).runs()
    assert (runs["orgsim_version"] == __import__("orgsim").__version__).all()
    assert runs["orgsim_commit"].nunique() == 1
    commit = runs["orgsim_commit"].iloc[0].removesuffix("+dirty")
    assert re.fullmatch(r"[0-9a-f]{40}", commit)
    known = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{commit}^{{commit}}"])
    assert known.returncode == 0  # a commit of this checkout


def test_compaction_keeps_every_run_in_one_file(clean, tmp_path):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    before = len(list((out / "parts").glob("*.parquet")))
    assert main(["store", "compact", str(out)]) == 0
    assert len(list((out / "parts").glob("*.parquet"))) == 1 < before
    pd.testing.assert_frame_equal(comparable(out), comparable(clean))


def test_a_compaction_killed_after_its_files_are_in_is_finished_on_the_next_opening(
    clean, tmp_path
):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    old = sorted(p.name for p in (out / "parts").glob("*.parquet"))
    whole = pq.read_table(out / "parts" / old[0])
    # as if killed after the new file was renamed in, before the old ones were deleted
    pq.write_table(pq.read_table(out / "parts"), out / "parts" / "compact-1-0000.parquet")
    (out / "parts" / JOURNAL).write_text(
        json.dumps({"old": old, "new": ["compact-1-0000.parquet"]})
    )
    assert len(whole) > 0
    assert len(Store(out).runs()) == 18  # readers keep one row per run key meanwhile
    Store(out).check()
    assert [p.name for p in (out / "parts").glob("*.parquet")] == ["compact-1-0000.parquet"]
    pd.testing.assert_frame_equal(comparable(out), comparable(clean))


def test_a_compaction_killed_before_its_files_are_in_is_undone(clean, tmp_path):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    old = sorted(p.name for p in (out / "parts").glob("*.parquet"))
    pq.write_table(pq.read_table(out / "parts" / old[0]), out / "parts" / "compact-1-0000.parquet")
    journal = {"old": old, "new": ["compact-1-0000.parquet", "compact-1-0001.parquet"]}
    (out / "parts" / JOURNAL).write_text(json.dumps(journal))
    Store(out).check()
    assert sorted(p.name for p in (out / "parts").glob("*.parquet")) == old
    pd.testing.assert_frame_equal(comparable(out), comparable(clean))


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EROFS])
def test_a_refusing_disk_is_one_clear_line_and_resume_finishes(clean, tmp_path, monkeypatch, code):
    out, written = tmp_path / "store", []
    real = part_files.pq.write_table

    def flaky(table, where, *args, **kwargs):
        if len(written) >= 2:
            raise OSError(code, os.strerror(code))
        written.append(where)
        return real(table, where, *args, **kwargs)

    monkeypatch.setattr(part_files.pq, "write_table", flaky)
    with pytest.raises(ScenarioError, match=re.escape(os.strerror(code)) + r".*--resume"):
        run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    monkeypatch.undo()
    assert not list((out / "parts").glob(".*.tmp"))
    report = run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner, resume=True)
    assert report.stored_before > 0
    pd.testing.assert_frame_equal(comparable(out), comparable(clean))


def test_a_folder_that_is_not_a_store_is_refused_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "papers"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    assert main(["sweep", str(tiny_experiment(tmp_path)), "--out", str(out)]) == 2
    assert "not a sweep store and not empty (holds thesis.tex)" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


def test_a_damaged_experiment_json_is_one_clear_line(clean, tmp_path, capsys):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    meta = out / "experiment.json"
    text = meta.read_text()
    for damaged in (text[: len(text) // 2], json.dumps({"source": "x"})):
        meta.write_text(damaged)
        assert main(["analyze", str(out)]) == 2
        error = capsys.readouterr().err
        assert "experiment.json: damaged" in error
        assert error.count("\n") == 1


def test_analysis_as_a_file_is_one_clear_line(clean, tmp_path, capsys):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    (out / "analysis").write_text("not a folder")
    assert main(["analyze", str(out)]) == 2
    assert "analysis: is a file" in capsys.readouterr().err


def test_runs_of_another_design_without_experiment_json_are_refused(clean, tmp_path):
    out = tmp_path / "store"
    run_sweep(mixed(tmp_path), out, workers=1, runner=quick_runner)
    (out / "experiment.json").unlink()
    other = tiny_experiment(tmp_path, name="other", seed=77)
    with pytest.raises(ScenarioError, match="not all of them are of this design"):
        run_sweep(other, out, workers=1, runner=quick_runner, resume=True)


def test_store_query_runs_sql_over_the_design_runs(clean, capsys):
    sql = "select base, count(*) as n from runs group by base order by base"
    assert main(["store", "query", str(clean), sql, "--csv"]) == 0
    assert capsys.readouterr().out == "base,n\nhierarchy,12\nself_managing,6\n"
    assert main(["store", "query", str(clean), "select nonsense from runs"]) == 2
    assert "query: Binder Error" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_sigkill_of_the_sweep_leaves_no_process_behind(tmp_path):
    path = tiny_experiment(tmp_path, replications=8, set={"run.days": 30, "run.warmup_days": 1})
    out = tmp_path / "store"
    process = subprocess.Popen(
        [sys.executable, "-m", "orgsim.cli", "sweep", str(path), "--out", str(out), "--workers=2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not Store(out).has_runs() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None
    assert len(group_members(process.pid)) >= 3  # + 2 workers
    process.send_signal(signal.SIGKILL)  # the main process only: its workers must follow
    process.wait()
    deadline = time.monotonic() + 15
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_members(process.pid) == []
    assert Store(out).runs()["run_key"].is_unique


def test_analyze_help_reads_95_percent(capsys):
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    text = capsys.readouterr().out
    assert "95% confidence" in text
    assert "%%" not in text


@settings(max_examples=30, deadline=None, derandomize=True)
@given(data=st.data())
def test_any_bytes_as_a_part_are_set_aside_and_remade_never_a_traceback(clean, data):
    """Whatever a part file holds (noise, a cut of a real part, a part with a tail), a
    resume quarantines what it cannot read and makes its runs again: the store ends as a
    clean sweep's, and nothing raises."""
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        out = tmp / "store"
        run_sweep(mixed(tmp), out, workers=1, runner=quick_runner)
        parts = sorted((out / "parts").glob("*.parquet"))
        victim = data.draw(st.sampled_from(parts), label="part")
        real = victim.read_bytes()
        damaged = data.draw(
            st.one_of(
                st.binary(max_size=2048),
                st.integers(0, 999).map(lambda k: real[: k * len(real) // 1000]),  # a cut
                st.binary(min_size=1, max_size=64).map(lambda tail: real + tail),
            ),
            label="bytes",
        )
        victim.write_bytes(damaged)
        report = run_sweep(mixed(tmp), out, workers=1, runner=quick_runner, resume=True)
        assert [line.split(":")[0] for line in report.quarantined] == [victim.name]
        pd.testing.assert_frame_equal(comparable(out), comparable(clean))

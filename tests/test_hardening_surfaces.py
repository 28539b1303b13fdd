"""Issue 17: the newer surfaces (experiment files, sweeps, compare's outputs, the UI's
upload, the Python API) answer hostile input with one clear ScenarioError, never a
traceback, a hang or another file's content. One group of tests per class of the issue.
"""

from __future__ import annotations

import base64
import errno
import io
import os
from pathlib import Path

import pandas as pd
import pytest
from sweep_stand_ins import SCENARIOS, tiny_experiment
from test_hardening import time_limit

import orgsim
from orgsim import cli
from orgsim.results.escaping import csv_cell, markdown_text, to_csv
from orgsim.results.files import ready_folder
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.sweep.backends import backend, check_scheduler
from orgsim.sweep.design import load_experiment
from orgsim.sweep.points import design_size, plan
from orgsim.ui import upload
from orgsim.ui.settings import load_upload

HIERARCHY = SCENARIOS / "hierarchy.yaml"
SECRET = "hunter2-s3cr3t"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def refusal(call, *args, **kwargs) -> str:
    """The message of the ScenarioError ``call`` raises, within 10 s."""
    with time_limit(10), pytest.raises(ScenarioError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def experiment(tmp: Path, body: str, name: str = "e.yaml") -> Path:
    return write(tmp / name, f"name: e\nbases: [{HIERARCHY}]\n{body}")


# --- 1. no other file's content in a message; extends confined where the server reads --


def test_a_file_that_is_not_a_scenario_is_refused_without_echoing_its_content(tmp_path):
    secrets = write(tmp_path / "secrets", f"api_key: {SECRET}\ndb_password: {SECRET}\n")
    for call in (load_scenario, load_experiment):
        message = refusal(call, secrets)
        assert "not a" in message
        assert SECRET not in message
        assert "api_key" not in message


def test_an_extended_file_with_foreign_keys_is_refused_naming_lines_not_keys(tmp_path):
    write(tmp_path / "base.yaml", f"run: {{days: 5}}\napi_key: {SECRET}\n")
    child = write(tmp_path / "child.yaml", "extends: base.yaml\n")
    message = refusal(load_scenario, child)
    assert "line 2" in message
    assert "not sections of a scenario" in message
    assert SECRET not in message
    assert "api_key" not in message


def test_an_experiments_base_that_is_not_a_scenario_echoes_nothing(tmp_path):
    write(tmp_path / "secrets", f"token: {SECRET}\n")
    path = write(
        tmp_path / "e.yaml",
        "name: e\nbases: [secrets]\nparameters: [{name: d, path: run.days, values: [5]}]\n",
    )
    message = refusal(plan, load_experiment(path), path)
    assert SECRET not in message
    assert "token" not in message


def test_keys_in_messages_are_escaped_and_cut_short(tmp_path):
    path = write(tmp_path / "s.yaml", f'extends: {HIERARCHY}\n"\\e[2Jx{"y" * 200}": 1\n')
    message = refusal(load_scenario, path)
    assert "\x1b" not in message
    assert "\\x1b[2J" in message
    assert "y" * 100 not in message


def test_extends_outside_the_roots_is_refused_naming_the_rule(tmp_path):
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    write(outside / "parent.yaml", f"extends: {HIERARCHY}\nname: {SECRET}\n")
    for target in ("../outside/parent.yaml", str(outside / "parent.yaml"), "/etc/passwd"):
        child = write(inside / "child.yaml", f"extends: {target}\n")
        message = refusal(load_scenario, child, roots=[inside.resolve()])
        assert "may extend only files in its own folder" in message
        assert SECRET not in message
    child = write(inside / "child.yaml", "extends: ../outside/parent.yaml\n")
    assert load_scenario(child).name == "child"  # the command line reads anywhere


def test_an_upload_may_extend_the_scenarios_folder_but_not_the_servers_files(tmp_path):
    _path, scenario = load_upload("ok.yaml", b"extends: hierarchy.yaml\nname: ok\n", SCENARIOS)
    assert scenario.name == "ok"
    write(tmp_path / "private.yaml", f"extends: {HIERARCHY}\nname: {SECRET}\n")
    for target in (str(tmp_path / "private.yaml"), "base/../../../../../../etc/shadow"):
        content = f"extends: {target}\n".encode()
        message = refusal(load_upload, "evil.yaml", content, SCENARIOS)
        assert "may extend only" in message
        assert SECRET not in message


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("::", False)],
)
def test_ui_knows_which_hosts_reach_beyond_this_machine(host, loopback):
    assert cli._loopback(host) is loopback


# --- 2. experiment files are read as scenarios are -------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("seed: 1\nseed: 5\nparameters: [{name: d, path: run.days, values: [5]}]\n", "duplicate"),
        ("parameters: [{name: d, path: run.days, values: [5]}]\n# " + "x" * 1_100_000, "larger"),
        (
            'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
            + "".join(
                f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, c in zip("abcd", "bcde", strict=False)
            )
            + "parameters: [{name: d, path: run.days, values: [5]}]\n",
            "too large",
        ),
    ],
    ids=["duplicate keys", "size", "alias bomb"],
)
def test_an_experiment_file_is_bounded_and_strict(tmp_path, body, expected):
    assert expected in refusal(load_experiment, experiment(tmp_path, body))


def test_an_experiment_that_is_not_a_regular_file_is_refused():
    assert "not a regular file" in refusal(load_experiment, "/dev/zero")


def test_an_experiment_reads_numbers_with_an_exponent_as_numbers(tmp_path):
    path = experiment(tmp_path, "parameters: [{name: d, path: run.days, values: [1e1]}]\n")
    assert load_experiment(path).parameters[0].values == [10.0]


# --- 3. designs and runs bounded before they are built ---------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "parameters: [{name: d, path: run.days, range: [5, 10], steps: 1000000000}]\n",
        "sampler: {method: sobol, samples: 1073741824}\n"
        "parameters: [{name: d, path: run.days, range: [5, 10]}]\n",
        "sampler: {method: morris, trajectories: 1e8}\n"
        "parameters: [{name: d, path: run.days, range: [5, 10]}]\n",
        "replications: 1e9\nparameters: [{name: d, path: run.days, values: [5]}]\n",
        "parameters: [{name: a, path: run.days, range: [5, 10], steps: 1000},"
        " {name: b, path: culture.trust.initial, range: [0, 1], steps: 1000}]\n",
    ],
    ids=["steps", "sobol", "morris", "replications", "grid"],
)
def test_a_design_too_large_is_refused_before_it_is_built(tmp_path, body):
    path = experiment(tmp_path, body)
    assert "--max-runs" in refusal(plan, load_experiment(path), path)


def test_the_design_size_is_counted_exactly_and_its_limit_can_be_raised(tmp_path):
    path = tiny_experiment(tmp_path)  # 2 bases x 3 mandates x 2 replications
    design = load_experiment(path)
    assert design_size(design, ["hierarchy", "self_managing"]) == 6
    assert "12 runs, more than max_runs 11" in refusal(plan, design, path, max_runs=11)
    assert len(plan(design, path, max_runs=12)) == 12


def test_a_comparison_too_large_is_refused_before_anything_runs(tmp_path):
    message = refusal(orgsim.compare, [HIERARCHY, HIERARCHY], replications=5, max_runs=9)
    assert "10 runs" in message
    huge = [str(HIERARCHY)] * 2
    assert "--max-runs" in refusal(orgsim.compare, huge, replications=10**9, out=tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_sweep_workers_are_capped_at_the_cores():
    with backend(workers=100_000) as pool:
        assert pool.workers <= (os.cpu_count() or 1)


# --- 4. file-system and scheduler faults: exit 2, one line, nothing written first ------


def test_a_bad_scheduler_is_refused_before_the_store_is_made(tmp_path, capsys):
    out = tmp_path / "store"
    argv = ["sweep", str(tiny_experiment(tmp_path)), "--out", str(out)]
    for address in ("foo://bar:x", "tcp://host:99999", "tcp://a b:1"):
        assert cli.main([*argv, "--scheduler", address]) == 2
        assert not out.exists()
        error = capsys.readouterr().err
        assert error.count("\n") == 1
        assert "not the address of a Dask scheduler" in error
    assert check_scheduler("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"


def test_an_output_folder_that_cannot_be_one_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    for path in (tmp_path / "file", tmp_path / "dangling", Path("/proc/version/x")):
        assert "not a folder" in refusal(ready_folder, path)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES])
def test_a_file_system_fault_in_any_command_is_one_line_and_exit_2(
    tmp_path, monkeypatch, capsys, code
):
    def fail(directory, **options):
        raise OSError(code, os.strerror(code), str(tmp_path / "analysis" / "x.csv"))

    monkeypatch.setattr("orgsim.sweep.analyze.analyze", fail)
    assert cli.main(["analyze", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert os.strerror(code) in error
    assert "x.csv" in error


def test_a_full_disk_while_reporting_keeps_the_runs_and_the_same_command_resumes(
    tmp_path, monkeypatch, capsys
):
    argv = ["compare", str(HIERARCHY), "--days", "3", "--set", "run.warmup_days=0"]
    argv += ["--replications", "2", "--out", str(tmp_path / "c")]

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("orgsim.compare.api.write_report", full)
    assert cli.main(argv) == 2
    error = capsys.readouterr().err
    assert "No space left" in error
    assert "the same command resumes" in error
    monkeypatch.undo()
    assert cli.main(argv) == 0
    assert "2 run(s) were already done" in capsys.readouterr().out


# --- 5. designs that would be silently wrong are refused --------------------------------


@pytest.mark.parametrize(
    "parameters",
    [
        "[{name: t, path: culture.trust.initial, values: [0.1]},"
        " {name: u, path: culture.trust.initial, values: [0.9]}]",
        "[{name: t, path: culture.trust, values: [{initial: 0.1}]},"
        " {name: u, path: culture.trust.initial, values: [0.9]}]",
        "[{name: t, levels: {a: {culture.trust.initial: 0.1}}},"
        " {name: u, path: culture.trust.initial, values: [0.9]}]",
    ],
    ids=["same path", "one inside the other", "a level's path"],
)
def test_two_parameters_on_one_path_are_refused(tmp_path, parameters):
    path = experiment(tmp_path, f"parameters: {parameters}\n")
    message = refusal(load_experiment, path)
    assert "parameters 't' and 'u' both change" in message


def test_odd_morris_levels_are_refused_with_the_even_neighbours(tmp_path):
    body = "sampler: {method: morris, trajectories: 2, levels: 5}\n"
    path = experiment(tmp_path, body + "parameters: [{name: d, path: run.days, range: [5, 9]}]\n")
    assert "use 4 or 6" in refusal(load_experiment, path)


# --- 6. formulas and markup from scenarios made inert in CSV and Markdown ---------------


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1+cmd", "'+1+cmd"),
        ("\t=1", "'\t=1"),
        ("-2.5", "-2.5"),
        ("hierarchy", "hierarchy"),
        (3, 3),
    ],
)
def test_a_csv_cell_that_a_spreadsheet_would_run_is_quoted(cell, safe):
    assert csv_cell(cell) == safe


def test_markdown_text_renders_as_typed():
    text = markdown_text("<script>x</script> [a](javascript:alert(1)) ![i](http://e/i.png) |")
    assert "<" not in text
    assert "](" not in text.replace("\\](", "")
    assert "\\|" in text


def test_scenario_names_and_descriptions_are_inert_in_the_report(tmp_path):
    name, description = '=HYPERLINK("http://evil")', "<script>x</script> ![i](http://e/i.png)"
    scenario = load_scenario(
        HIERARCHY,
        {"name": name, "description": description, "run.days": 3, "run.warmup_days": 0},
    )
    other = load_scenario(scenario, {"name": "@SUM(1)"})
    result = orgsim.compare([scenario, other], replications=2)
    orgsim.compare.write_report(result, tmp_path)
    summary = pd.read_csv(tmp_path / "summary.csv", dtype=str, keep_default_na=False)
    cells = [c for column in summary for c in summary[column]] + list(summary.columns)
    assert not [c for c in cells if c[:1] in ("=", "@", "+")], "a formula in summary.csv"
    report = (tmp_path / "report.md").read_text()
    assert "<script>" not in report
    assert "![i](http" not in report
    level = pd.read_csv(io.StringIO(to_csv(pd.DataFrame({"level": [name]}), index=False)))
    assert level["level"][0] == "'" + name


# --- 7. the UI's upload ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["..", ".", "/", "../../x.yaml", "", "a/../../b", "\x00.yaml"])
def test_an_upload_of_any_name_is_kept_inside_its_folder(name):
    path, scenario = load_upload(name, b"extends: hierarchy.yaml\nname: up\n", SCENARIOS)
    assert path.parent.name.startswith("orgsim-upload-")
    assert path.suffix == ".yaml"
    assert scenario.name == "up"


def test_an_oversized_upload_is_refused_by_the_server_too():
    content = base64.b64encode(b"#" * 2_000_000).decode()
    message = refusal(upload.received, {"name": "big.yaml", "content": content}, 1_000_000)
    assert "larger than 1,000,000" in message
    assert "not loaded" in upload.too_large({"name": "big.yaml", "size": 30_000_000}, 1_000_000)
    assert refusal(upload.received, {"name": "x", "content": "!!"}, 100)


# --- 8. the Python API checks its arguments ---------------------------------------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: orgsim.compare("a.yaml"), "expected a list of scenario files"),
        (lambda: orgsim.compare(123), "expected a list"),
        (lambda: orgsim.compare(None), "expected a list"),
        (lambda: orgsim.compare(["missing.yaml"], overrides=5), "overrides"),
        (lambda: orgsim.compare(["missing.yaml"], out=5), "out: expected a folder"),
        (lambda: orgsim.compare(["missing.yaml"], seed=True), "seed"),
        (lambda: orgsim.compare(["missing.yaml"], replications=2.5), "replications"),
        (lambda: orgsim.compare(["missing.yaml"], workers=True), "workers"),
        (lambda: orgsim.compare(["missing.yaml"], overrides=None), "no such scenario file"),
        (lambda: orgsim.simulate(HIERARCHY, max_requests="x"), "max_requests"),
        (lambda: orgsim.simulate(HIERARCHY, seed=True), "seed"),
        (lambda: orgsim.compare.write_report(None, "out"), "expected the result of"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_python_api_answers_bad_arguments_with_a_scenario_error(call, expected):
    assert expected in refusal(call)

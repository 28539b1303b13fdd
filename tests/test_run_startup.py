"""``orgsim run`` on a terminal says where a run's first seconds go, before its progress bar."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from orgsim.cli import main
from orgsim.scenario.loading import load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "uneven.yaml"
SHORT = ["--set", "run.days=3", "--set", "run.warmup_days=1", "--json"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _stderr_of_run(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO) -> list[str]:
    monkeypatch.setattr(sys, "stderr", stream)
    assert main(["run", str(SCENARIO), *SHORT]) == 0
    return stream.getvalue().splitlines()


def test_on_a_terminal_the_read_load_and_build_times_are_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _stderr_of_run(monkeypatch, _Terminal())
    tree = load_scenario(SCENARIO).tree
    employees = sum(team.spec.size for team in tree.teams)
    seconds = r"\d+\.\d s"
    assert re.fullmatch(
        rf"orgsim: {re.escape(str(SCENARIO))} read and checked in {seconds}, "
        rf"the simulator loaded in {seconds}",
        lines[0],
    )
    assert re.fullmatch(
        rf"orgsim: built {employees:,} employees, \d+ managers and [\d,]+ customers in "
        rf"{seconds}; running 3 days",
        lines[1],
    )
    assert capsys.readouterr().out.startswith("{")  # the figures alone on standard output


def test_in_a_pipe_nothing_is_added(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not any(
        line.startswith("orgsim:") for line in _stderr_of_run(monkeypatch, io.StringIO())
    )

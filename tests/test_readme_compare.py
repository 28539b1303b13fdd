"""The README's main command prints what the README shows (its excerpt, line by line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
MAIN = "orgsim compare scenarios/hierarchy.yaml scenarios/self_managing.yaml"


def readme_excerpt() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    assert MAIN in readme
    [block] = re.findall(r"The comparison prints this.*?```\n(.*?)```", readme, flags=re.DOTALL)
    return [line for line in block.splitlines() if line.strip() and line.strip() != "..."]


@pytest.mark.slow
def test_the_main_command_prints_the_readme_excerpt(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(ROOT)
    args = MAIN.split()[1:]
    code, stdout, err = run_cli([*args, "--out", str(tmp_path)])
    assert code == 0, err
    printed = stdout.splitlines()
    excerpt = readme_excerpt()
    assert len(excerpt) >= 10
    missing = [line for line in excerpt if line not in printed]
    assert missing == [], "README.md shows lines the command does not print"

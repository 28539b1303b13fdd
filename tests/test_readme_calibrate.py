"""The README's walk-through from a real event log runs as written (issue 22)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from test_log_reading import HELPDESK

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def walk_through() -> list[str]:
    section = README[
        README.index("## From a real event log") : README.index("## What a run measures")
    ]
    [block] = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


@pytest.mark.slow
@pytest.mark.skipif(not HELPDESK.exists(), reason=f"the helpdesk log is not at {HELPDESK}")
def test_the_walk_through_runs_as_written(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "scenarios").symlink_to(ROOT / "scenarios")
    (tmp_path / "shared").symlink_to(HELPDESK.parent.parent)
    (repo / "desk").mkdir()
    for command in walk_through():
        if command.startswith("printf"):
            subprocess.run(command, shell=True, cwd=repo, check=True)  # our own README's line
            continue
        argv = shlex.split(command)
        argv[0] = str(Path(sys.executable).parent / argv[0].removeprefix(".venv/bin/"))
        done = subprocess.run(argv, cwd=repo, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stderr[-2000:])
        assert done.stdout.strip()
    assert (repo / "desk" / "desk_report" / "report.html").exists()
    assert (repo / "desk" / "validation" / "cycle_times.png").exists()
    assert "cycle time (h)" in (repo / "desk" / "validation" / "report.md").read_text()
    assert (repo / "desk" / "comparison" / "report.html").exists()

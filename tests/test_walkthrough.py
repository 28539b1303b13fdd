"""docs/your_organisation.md: its commands run as written, in order, in one fresh folder."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WALKTHROUGH = (ROOT / "docs" / "your_organisation.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", WALKTHROUGH, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


@pytest.mark.slow  # a comparison of two 600-person organisations: about 45 s here
def test_the_walkthrough_runs_as_written_and_finds_what_it_says(tmp_path: Path) -> None:
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    outputs = []
    for command in commands():
        argv = shlex.split(command)
        argv[0] = str(Path(sys.executable).parent / argv[0].removeprefix(".venv/bin/"))
        done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
        outputs.append(done.stdout)
    assert [c.split()[1] for c in commands()] == ["import-org", "run", "redesign", "compare"]
    imported, _, redesigned, _ = outputs
    assert "with 2 or fewer direct reports (2)" in imported
    assert "with 16 or more direct reports (3)" in imported
    assert "(compression) (1)" in imported
    printed = {
        "people": "611 -> 605",
        "managers": "63 -> 57",
        "depth": "5 -> 4",
        "span": "18 -> 33",
    }
    for what, change in printed.items():  # as the command prints it, and as the text says
        assert re.search(rf"{what}[^\n]*: {change}", redesigned), what
        assert f"{what} {change}" in WALKTHROUGH, what
    assert (tmp_path / "acme.yaml").read_text() == (
        ROOT / "scenarios/examples/acme.yaml"
    ).read_text()
    assert (tmp_path / "acme_report" / "report.html").is_file()

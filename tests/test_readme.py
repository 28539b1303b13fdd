"""The README's examples run as written (examples are tests)."""

import re
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orgsim.ui.browser import free_port

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
VENV_BIN = ".venv/bin/"


def tour_commands() -> list[str]:
    """The shell commands of the README's tour, one per command (continuations joined)."""
    tour = README[README.index("## A short tour") : README.index("## Scenarios")]
    blocks = re.findall(r"```bash\n(.*?)```", tour, flags=re.DOTALL)
    lines = "\n".join(blocks).replace("\\\n", " ").splitlines()
    return [line for line in lines if line.strip()]


def test_the_python_tour_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    [block] = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # our own README
    assert namespace["model"].clock_h == 8.0
    assert namespace["result"].summary["scenario"] == "self_managing"


def test_the_tour_names_the_venv_so_it_works_after_the_set_up() -> None:
    commands = tour_commands()
    assert len(commands) >= 5
    for command in commands:
        assert command.startswith(VENV_BIN), command


def as_run_here(command: str, folder: Path) -> list[str]:
    """The command's words, its program from the venv running these tests, in ``folder``.

    The set-up's venv is the one running the tests; the scenarios are the repo's.
    """
    (folder / "scenarios").symlink_to(ROOT / "scenarios")
    argv = shlex.split(command, comments=True)
    argv[0] = str(Path(sys.executable).parent / argv[0].removeprefix(VENV_BIN))
    return argv


@pytest.mark.parametrize("command", [c for c in tour_commands() if " ui" not in c])
def test_every_tour_command_runs_as_written(command: str, tmp_path: Path) -> None:
    argv = as_run_here(command, tmp_path)
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()


def test_the_tour_s_ui_command_serves_as_written(tmp_path: Path) -> None:
    [command] = [c for c in tour_commands() if " ui" in c]
    argv = as_run_here(command, tmp_path)
    # as written, but on a free port: 8765 may be taken by an `orgsim ui` already running
    port = free_port()
    # a server runs until stopped: it has run as written once it serves the page
    with subprocess.Popen(
        [*argv, "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE, text=True
    ) as server:
        try:
            address = re.search(r"http://\S+", server.stdout.readline()).group(0)
            assert address.startswith(f"http://127.0.0.1:{port}")
            _wait_for_page(address)
        finally:
            server.terminate()


def _wait_for_page(address: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(address, timeout=5) as page:  # our own server
                assert page.status == 200
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)

"""Which code made a run: orgsim's version and, in a git checkout, its commit."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

NOT_A_CHECKOUT = "unknown, not a checkout"


@functools.cache
def commit() -> str:
    """The checkout's commit, ``+dirty`` if files differ from it; else NOT_A_CHECKOUT."""
    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return NOT_A_CHECKOUT
    try:
        head = _git(root, "rev-parse", "HEAD")
        changed = _git(root, "status", "--porcelain", "--untracked-files=no", "--", "orgsim")
    except (OSError, subprocess.SubprocessError):
        return NOT_A_CHECKOUT
    return f"{head}+dirty" if changed else head


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=True
    )
    return done.stdout.strip()

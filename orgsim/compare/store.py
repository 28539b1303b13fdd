"""Where a comparison keeps its runs: a folder, its identity, and runs appended durably.

Each finished run is appended to ``runs.jsonl`` as one line, flushed and synced to
disk before the next is counted, so a comparison killed at any moment keeps every
run it finished; a line torn by the kill is ignored on reading and cut off before
the next append. ``comparison.json`` names the scenarios (and their hashes) the
folder belongs to, so that re-running the same comparison resumes it, and a
different one is refused instead of silently replacing it. Every other file is
written whole: a temporary name, then a rename.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from orgsim.scenario.errors import ScenarioError

RUNS = "runs.jsonl"
MANIFEST = "comparison.json"
FORMAT = "orgsim-comparison/1"


def identity(scenarios: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """What makes two comparisons the same: the scenarios' names and hashes, in order."""
    return {"format": FORMAT, "scenarios": [{"name": n, "hash": h} for n, h in scenarios]}


def open_folder(directory: Path, ident: dict[str, Any], force: bool, resume: bool) -> list[dict]:
    """Make ``directory`` ready for this comparison and return the runs it already holds.

    Raises:
        ScenarioError: the folder cannot be written, holds another comparison (without
            ``force``), holds something else, or holds nothing to ``resume``.
    """
    _ensure_writable(directory)
    manifest = directory / MANIFEST
    held = _read_manifest(manifest)
    if held is not None and _same(held, ident):
        return read_runs(directory / RUNS)
    if resume and not force:
        raise ScenarioError(f"--resume: {directory} holds no comparison of these scenarios")
    if not force and (held is not None or any(directory.iterdir())):
        what = _describe(held) if held is not None else "other files"
        raise ScenarioError(
            f"--out {directory}: the folder holds {what}; choose another --out, or add "
            "--force to replace it"
        )
    (directory / RUNS).unlink(missing_ok=True)
    write_whole(manifest, json.dumps(ident, indent=2) + "\n")
    return []


def _same(held: dict[str, Any], ident: dict[str, Any]) -> bool:
    return held.get("format") == ident["format"] and held.get("scenarios") == ident["scenarios"]


def _describe(held: dict[str, Any]) -> str:
    names = [str(s.get("name")) for s in held.get("scenarios", []) if isinstance(s, dict)]
    return f"a comparison of other scenarios ({', '.join(names) or 'unnamed'})"


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        held = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return held if isinstance(held, dict) else None


def _ensure_writable(directory: Path) -> None:
    """Create ``directory`` and check that a file can be written in it, before any run."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ScenarioError(
            f"--out {directory}: cannot write there ({reason}); expected a folder that "
            "can be created or written"
        ) from None


def read_runs(path: Path) -> list[dict[str, Any]]:
    """The runs recorded in ``path``; a torn last line (the run being written) is ignored."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return []
    complete = text.split("\n")[:-1]  # what follows the last newline is torn, or empty
    return [json.loads(line) for line in complete if line]


class RunLog:
    """Appends runs to ``runs.jsonl``, each line on disk before :meth:`append` returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        _cut_torn_tail(path)

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append ``record``; return it as read back (JSON-normalised, as on resuming).

        Raises:
            ScenarioError: the disk refused the write; the runs before it are kept.
        """
        line = json.dumps(strict(record), allow_nan=False)  # as normalised()
        try:
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")
                file.flush()
                os.fsync(file.fileno())
        except OSError as error:
            _cut_torn_tail(self.path)
            raise ScenarioError(
                f"{self.path}: cannot record a run ({error.strerror}); the runs finished "
                "before are kept, and re-running the command resumes from them"
            ) from None
        return json.loads(line)


def normalised(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` as it reads back from ``runs.jsonl``, kept there or not."""
    return json.loads(json.dumps(strict(record), allow_nan=False))


def strict(value: Any) -> Any:
    """``value`` with every NaN or infinity as None: strict JSON, as other tools read it."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: strict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strict(item) for item in value]
    return value


def _cut_torn_tail(path: Path) -> None:
    """Truncate ``path`` after its last newline, so the next line starts clean."""
    try:
        with path.open("rb+") as file:
            data = file.read()
            end = data.rfind(b"\n") + 1
            if end != len(data):
                file.truncate(end)
    except (FileNotFoundError, OSError):
        return


def write_whole(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    binary = isinstance(data, bytes)
    with tempfile.NamedTemporaryFile(
        "wb" if binary else "w",
        encoding=None if binary else "utf-8",
        dir=path.parent,
        prefix=f".{path.name}.",
        suffix=".tmp",
        delete=False,
    ) as tmp:
        tmp.write(data)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, path)
    return path

"""Writing results safely: check the output folder before a run, write each file whole.

A run may take hours; finding then that ``--out`` names a file, lies under one, or sits on
a read-only disk would lose it. And a file written in place and cut short (a full disk,
a kill) leaves half a file that a reader takes for a whole one. So the folder is checked
first, and each file is written under a temporary name in the same folder, then renamed
over the final name (``os.replace`` is atomic on POSIX): a reader sees the old file or the
new one, never a part.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from orgsim.scenario.errors import ScenarioError


def ready_folder(path: Path, option: str = "--out") -> Path:
    """Create ``path`` (and its parents) if need be and check that files can be written in it.

    ``option`` names the folder in messages (``--out``, or what the command made of it).

    Raises:
        ScenarioError: ``path`` is a file, lies under one, or cannot be written.
    """
    try:
        for place in (path, *path.parents):
            if place.exists() or place.is_symlink():
                if not place.is_dir():
                    where = "is" if place == path else f"lies under {place}, which is"
                    raise ScenarioError(f"{option} {path}: {where} not a folder")
                break
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass  # a probe: permissions, a read-only or vanished file system
    except OSError as error:
        raise ScenarioError(f"{option} {path}: cannot write there ({error.strerror})") from None
    return path


def write_whole(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary)`` on a temporary file beside ``path``, then rename it to ``path``.

    On any failure the temporary file is removed and ``path`` is left as it was.
    """
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return path

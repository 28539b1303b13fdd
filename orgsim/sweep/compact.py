"""Compaction: a store's many small parts rewritten as a few large ones, safe against a kill.

A sweep writes a part per group of runs; a long one leaves thousands, which every
reader then opens. Compaction reads them all (one row per run key), writes files of
up to ``rows_per_file`` rows, and deletes the old parts. A journal
(``parts/.compact.json``, the old parts and the new files) is written first, so a
compaction killed at any moment is finished or undone on the store's next opening:
the new files are kept only if all of them were written. Until then a reader may see
a run twice; the store's own reads keep one row per run key.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orgsim.results.files import write_whole
from orgsim.sweep.parts import conform, write_part

JOURNAL = ".compact.json"
ROWS_PER_FILE = 1_000_000


def compact(parts: Path, columns: pa.Schema, rows_per_file: int = ROWS_PER_FILE) -> int:
    """Rewrite the parts in ``parts`` as few files of ``columns``; return how many now."""
    old = sorted(parts.glob("*.parquet"))
    if len(old) <= 1:
        return len(old)
    data = pa.concat_tables(conform(pq.read_table(path), columns) for path in old)
    _, first = np.unique(data["run_key"].to_numpy(zero_copy_only=False), return_index=True)
    order = [("base", "ascending"), ("point", "ascending"), ("replication", "ascending")]
    data = data.take(np.sort(first)).sort_by(order)
    stamp = time.time_ns()
    chunks = range(0, max(len(data), 1), rows_per_file)
    new = [parts / f"compact-{stamp}-{i:04d}.parquet" for i in range(len(chunks))]
    record = {"old": [p.name for p in old], "new": [p.name for p in new]}
    write_whole(parts / JOURNAL, lambda temporary: temporary.write_text(json.dumps(record)))
    for path, start in zip(new, chunks, strict=True):
        write_part(data.slice(start, rows_per_file), path)
    _finish(parts, record)
    return len(new)


def recover(parts: Path) -> None:
    """Finish or undo a compaction that was killed (a journal is left)."""
    journal = parts / JOURNAL
    if not journal.exists():
        return
    try:
        record = json.loads(journal.read_text())
        record["old"], record["new"]  # both must be there
    except (ValueError, KeyError, TypeError):
        journal.unlink()  # cut short before any new file was renamed in: nothing to undo
        return
    if all((parts / name).exists() for name in record["new"]):
        _finish(parts, record)
        return
    for name in record["new"]:  # some new files missing: the old parts still hold all
        with contextlib.suppress(FileNotFoundError):
            (parts / name).unlink()
    journal.unlink()


def _finish(parts: Path, record: dict[str, list[str]]) -> None:
    for name in record["old"]:
        with contextlib.suppress(FileNotFoundError):
            (parts / name).unlink()
    (parts / JOURNAL).unlink()

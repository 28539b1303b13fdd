"""Where a sweep keeps its runs: a folder of Parquet part files, read with DuckDB.

Each finished group of runs becomes one part file, written under a temporary name
and then renamed, so a part is either whole or absent: a sweep killed at any moment
loses only the runs still in flight, and ``--resume`` skips every run key already
stored. Readers (``orgsim analyze``, DuckDB, pandas) may query the folder while a
sweep writes to it. Layout::

    DIR/experiment.json    the design (to resume and to analyse), its digest, source
    DIR/parts/*.parquet    one row per run
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from orgsim.scenario.errors import ScenarioError
from orgsim.sweep.design import Experiment

META = "experiment.json"
PARTS = "parts"


class Store:
    """A sweep's results folder."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.parts = self.directory / PARTS

    def open(self, experiment: Experiment, source: str | Path, resume: bool) -> None:
        """Make the folder ready for ``experiment``: new, or resumed by the same design.

        Raises:
            ScenarioError: the folder holds runs and ``resume`` is off, or holds
                another design's runs.
        """
        if self.has_runs() and not resume:
            raise ScenarioError(
                f"--out {self.directory}: holds a sweep's runs already; pass --resume to "
                "continue it, or choose another folder"
            )
        meta = self.directory / META
        if meta.exists() and resume:
            stored = json.loads(meta.read_text())
            if stored["digest"] != experiment.digest():
                raise ScenarioError(
                    f"--out {self.directory}: holds the runs of another design "
                    f"({stored['source']}, digest {stored['digest']}); --resume continues "
                    "the same experiment only"
                )
        self.parts.mkdir(parents=True, exist_ok=True)
        for stale in self.parts.glob(".*.tmp"):  # a part a killed sweep did not finish
            stale.unlink()
        record = {
            "source": str(source),
            "digest": experiment.digest(),
            "experiment": experiment.model_dump(mode="json", by_alias=True),
        }
        write_whole(meta, json.dumps(record, indent=2).encode())

    def experiment(self) -> Experiment:
        """The design stored with the runs."""
        meta = self.directory / META
        if not meta.exists():
            raise ScenarioError(f"{self.directory}: no sweep here (no {META})")
        return Experiment.model_validate(json.loads(meta.read_text())["experiment"])

    def has_runs(self) -> bool:
        """Whether any part file is stored."""
        return self.parts.is_dir() and any(self.parts.glob("*.parquet"))

    def write(self, rows: Sequence[dict[str, Any]]) -> Path:
        """Store finished runs as one part file, whole or not at all."""
        table = pa.Table.from_pylist(list(rows))
        if "error" in table.column_names and pa.types.is_null(table.schema.field("error").type):
            table = table.set_column(
                table.column_names.index("error"), "error", table["error"].cast(pa.string())
            )
        name = f"part-{time.time_ns()}-{os.getpid()}.parquet"
        path = self.parts / name
        temporary = self.parts / f".{name}.tmp"
        pq.write_table(table, temporary)
        os.replace(temporary, path)
        return path

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` against the view ``runs`` (every stored run), in DuckDB."""
        import duckdb

        with duckdb.connect() as db:
            if self.has_runs():
                pattern = str(self.parts / "*.parquet").replace("'", "''")
                db.execute(
                    f"create view runs as select * from read_parquet('{pattern}', "
                    "union_by_name = true)"
                )
            else:
                db.execute("create view runs as select ''::varchar as run_key where false")
            return db.execute(sql).df()

    def keys(self) -> set[str]:
        """The run keys stored so far."""
        return set(self.query("select run_key from runs")["run_key"])

    def runs(self) -> pd.DataFrame:
        """Every stored run, one row each, ordered by base, point and replication."""
        if not self.has_runs():
            return pd.DataFrame()
        return self.query("select * from runs order by base, point, replication")


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary name: never half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)

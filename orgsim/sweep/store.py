"""Where a sweep keeps its runs: a folder of Parquet part files, read with DuckDB.

Each finished group of runs becomes one part file, written under a temporary name
and then renamed, so a part is either whole or absent: a sweep killed at any moment
loses only the runs still in flight, and ``--resume`` skips every run key already
stored. One sweep writes a store at a time (:mod:`orgsim.sweep.lock`); a run key
stored already is never written again, and reads keep one row per key. Readers
(``orgsim analyze``, DuckDB, pandas) may query the folder while a sweep writes to it.
Layout::

    DIR/experiment.json    the design (to resume and to analyse), its ids, the columns
    DIR/parts/*.parquet    one row per run, the same columns in every part
    DIR/timeseries/        each run's daily series, if the experiment keeps them
    DIR/quarantine/        parts found unreadable, set aside (their runs are made again)
    DIR/.lock              held by the sweep writing the store
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import pandas as pd
import pyarrow as pa

from orgsim.results.files import ready_folder, write_whole
from orgsim.scenario.errors import ScenarioError
from orgsim.sweep import compact as compaction
from orgsim.sweep import parts as part_files
from orgsim.sweep.design import Experiment
from orgsim.sweep.execute import SERIES
from orgsim.sweep.growth import design_id, shrinks
from orgsim.sweep.lock import LOCK, StoreLock
from orgsim.sweep.provenance import commit

META = "experiment.json"
PARTS = "parts"
SERIES_FOLDER = "timeseries"
OWN = frozenset({META, PARTS, SERIES_FOLDER, part_files.QUARANTINE, LOCK, "analysis"})
"""What a store's folder may hold (besides hidden temporary files)."""


class Store:
    """A sweep's results folder.

    Attributes:
        directory: the folder.
        parts: its part files' folder.
        quarantined: the parts set aside by the last check, each with its fault.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.parts = self.directory / PARTS
        self.quarantined: list[str] = []
        self._lock = StoreLock(self.directory)
        self._keys: set[str] = set()
        self._meta: dict[str, Any] = {}

    # --- writing ------------------------------------------------------------------------

    def open(
        self,
        experiment: Experiment,
        source: str | Path,
        resume: bool,
        layout: dict[str, int] | None = None,
    ) -> None:
        """Make the folder ready for ``experiment`` and take the store's lock.

        The lock is held until :meth:`close`. A design that grew (more replications,
        a Sobol N doubled) resumes into the store of the smaller one.

        Args:
            experiment: the design to be stored.
            source: its file, recorded.
            resume: continue a store that holds runs already.
            layout: the number of design points per base (to tell what is missing).

        Raises:
            ScenarioError: the folder is not a store, another sweep writes it, it holds
                runs and ``resume`` is off, or it holds another design's runs.
        """
        self._check_folder()
        ready_folder(self.directory)
        self._lock.acquire()
        try:
            self._prepare(experiment, source, resume, layout or {})
        except BaseException:
            self.close()
            raise

    def _prepare(
        self, experiment: Experiment, source: str | Path, resume: bool, layout: dict[str, int]
    ) -> None:
        self._mend()
        stored = self._read_meta() if (self.directory / META).exists() else None
        if self.has_runs() and not resume:
            raise ScenarioError(
                f"--out {self.directory}: holds a sweep's runs already; pass --resume to "
                "continue it, or choose another folder"
            )
        identity = design_id(experiment)
        if stored is not None and self.has_runs():
            self._check_same_design(stored, experiment, identity)
        elif self.has_runs():
            self._check_orphan_runs(identity)
        params = {p.name: p.numeric for p in experiment.parameters}
        params |= {link.name: True for link in experiment.links}
        self._meta = {
            "source": str(source),
            "digest": experiment.digest(),
            "design_id": identity,
            "experiment": experiment.model_dump(mode="json", by_alias=True),
            "layout": layout,
            "parameters": params,
            "figure_columns": (stored or {}).get("figure_columns", []),
        }
        self._keys = self.keys(every_design=True)
        self._save_meta()
        try:
            self.parts.mkdir(exist_ok=True)
        except OSError as error:
            raise ScenarioError(f"{self.parts}: cannot make it ({error.strerror})") from None

    def _check_folder(self) -> None:
        """Refuse a file, or a non-empty folder that is not a store (as compare does)."""
        folder = self.directory
        if folder.exists() and not folder.is_dir():
            raise ScenarioError(f"--out {folder}: is a file, not a folder")
        if not folder.is_dir() or (folder / META).exists() or (folder / PARTS).exists():
            return
        try:
            foreign = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        except OSError as error:
            raise ScenarioError(f"--out {folder}: cannot read it ({error.strerror})") from None
        if [name for name in foreign if name not in OWN]:
            raise ScenarioError(
                f"--out {folder}: a folder that is not a sweep store and not empty (holds "
                f"{', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); "
                "choose a new or empty folder"
            )

    def _check_same_design(self, stored: dict, experiment: Experiment, identity: str) -> None:
        if stored.get("design_id") != identity:
            raise ScenarioError(
                f"--out {self.directory}: holds the runs of another design "
                f"({stored.get('source')}); --resume continues the same experiment only "
                "(with more replications, or a Sobol N doubled)"
            )
        old = Experiment.model_validate(stored["experiment"])
        if change := shrinks(old, experiment):
            raise ScenarioError(
                f"--out {self.directory}: the design would shrink ({change}); a store "
                "keeps its runs: use the larger design, or another folder"
            )

    def _check_orphan_runs(self, identity: str) -> None:
        """Runs without experiment.json join only if every one is of this design."""
        ids = set(self.query("select distinct design_id from all_runs")["design_id"])
        if ids != {identity}:
            raise ScenarioError(
                f"--out {self.directory}: holds runs but no {META}, and not all of them "
                "are of this design; choose another folder"
            )

    def _mend(self) -> None:
        """Finish a killed compaction, drop unfinished parts, set unreadable ones aside."""
        if not self.parts.is_dir():
            return
        compaction.recover(self.parts)
        for stale in self.parts.glob(".*.tmp"):  # a part a killed sweep did not finish
            stale.unlink()
        self.quarantined = part_files.quarantine(self.parts)
        if (series := self.directory / SERIES_FOLDER).is_dir():
            self.quarantined += part_files.quarantine(series)

    def close(self) -> None:
        """Give up the store's lock."""
        self._lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, rows: Sequence[dict[str, Any]]) -> Path | None:
        """Store finished runs as one part file, whole or not at all.

        Runs whose key is stored already are left out (a second write is a no-op).
        Returns the part's path, or None if nothing was new.
        """
        if not self._lock.held:
            raise ScenarioError(f"{self.directory}: write without the store's lock")
        extra = {"design_id": self._meta["design_id"], "orgsim_commit": commit()}
        fresh = [row | extra for row in rows if row["run_key"] not in self._keys]
        if not fresh:
            return None
        self._write_series(fresh)  # first: a run counts as stored once its row is
        if new := part_files.new_columns(fresh, self.columns()):
            self._widen(new)
        path = self.parts / f"part-{fresh[0]['run_key']}-{len(fresh)}.parquet"
        part_files.write_part(part_files.table(fresh, self.columns()), path)
        self._keys.update(row["run_key"] for row in fresh)
        return path

    def _write_series(self, rows: list[dict[str, Any]]) -> None:
        """Move the rows' daily series (if kept) into a part of the series table."""
        records = [
            {
                "run_key": row["run_key"],
                "base": row["base"],
                "point": row["point"],
                "replication": row["replication"],
                **record,
            }
            for row in rows
            for record in row.pop(SERIES, None) or ()
        ]
        if records:
            folder = self.directory / SERIES_FOLDER
            folder.mkdir(exist_ok=True)
            name = f"series-{rows[0]['run_key']}-{len(rows)}.parquet"
            part_files.write_part(pa.Table.from_pylist(records), folder / name)

    def timeseries(self) -> pd.DataFrame:
        """This design's runs' daily series (``keep: timeseries``), one row per run and day."""
        import duckdb

        folder = self.directory / SERIES_FOLDER
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            return pd.DataFrame()
        keys = self.query("select run_key from runs")
        pattern = str(folder / "*.parquet").replace("'", "''")
        with duckdb.connect() as db:
            db.register("design_keys", keys)
            return db.execute(
                f"select distinct on (run_key, step) * from read_parquet('{pattern}', "
                "union_by_name = true) where run_key in (select run_key from design_keys) "
                "order by base, point, replication, step"
            ).df()

    def _widen(self, figures: list[str]) -> None:
        """Add figure columns to the schema and rewrite the stored parts to it."""
        import pyarrow.parquet as pq

        self._meta["figure_columns"] = [*self._meta["figure_columns"], *figures]
        columns = self.columns()
        for path in sorted(self.parts.glob("*.parquet")):
            part_files.write_part(part_files.conform(pq.read_table(path), columns), path)
        self._save_meta()

    def compact(self, rows_per_file: int = compaction.ROWS_PER_FILE) -> tuple[int, int]:
        """Rewrite the parts as few large files; return the parts before and after.

        Raises:
            ScenarioError: no store here, or a sweep writes it now.
        """
        self._meta = self._read_meta()
        self._lock.acquire()
        try:
            self._mend()
            before = len(list(self.parts.glob("*.parquet")))
            return before, compaction.compact(self.parts, self.columns(), rows_per_file)
        finally:
            self.close()

    def columns(self) -> pa.Schema:
        """The columns every part holds."""
        return part_files.schema(self._meta["parameters"], self._meta["figure_columns"])

    def _save_meta(self) -> None:
        text = json.dumps(self._meta, indent=2).encode()
        try:
            write_whole(self.directory / META, lambda temporary: temporary.write_bytes(text))
        except OSError as error:
            raise ScenarioError(
                f"{self.directory / META}: cannot write ({error.strerror or error})"
            ) from None

    # --- reading ------------------------------------------------------------------------

    def _read_meta(self) -> dict[str, Any]:
        meta = self.directory / META
        if not meta.is_file():
            raise ScenarioError(f"{self.directory}: no sweep here (no {META})")
        try:
            record = json.loads(meta.read_text())
            Experiment.model_validate(record["experiment"])
            record["design_id"], record["parameters"], record["figure_columns"]  # all must be there
        except OSError as error:
            raise ScenarioError(f"{meta}: cannot read it ({error.strerror})") from None
        except (ValueError, KeyError, TypeError) as error:
            raise ScenarioError(
                f"{meta}: damaged or of an older orgsim ({type(error).__name__}); "
                "the runs in parts/ are intact: sweep again into this folder with --resume"
            ) from None
        return record

    def experiment(self) -> Experiment:
        """The design stored with the runs."""
        return Experiment.model_validate(self._read_meta()["experiment"])

    def layout(self) -> dict[str, int]:
        """Design points per base of the stored design."""
        return dict(self._read_meta().get("layout", {}))

    def check(self) -> list[str]:
        """Mend the store if no sweep writes it now (see :meth:`open`); the parts set aside."""
        if self.parts.is_dir() and self._lock.try_acquire():
            try:
                self._mend()
            finally:
                self.close()
        return self.quarantined

    def has_runs(self) -> bool:
        """Whether any part file is stored."""
        return self.parts.is_dir() and any(self.parts.glob("*.parquet"))

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` in DuckDB over the views ``runs`` and ``all_runs``.

        ``runs`` holds this design's runs, one row per run key; ``all_runs`` every
        stored row.
        """
        import duckdb

        with duckdb.connect() as db:
            if self.has_runs():
                pattern = str(self.parts / "*.parquet").replace("'", "''")
                db.execute(
                    "create view all_runs as select * from "
                    f"read_parquet('{pattern}', union_by_name = true)"
                )
                identity = self._meta.get("design_id") or self._stored_design_id()
                where = "design_id = $id" if identity else "true"
                db.execute(
                    f"create view runs as select distinct on (run_key) * from all_runs "
                    f"where {where}".replace("$id", _sql_text(identity or ""))
                )
            else:
                for view in ("runs", "all_runs"):
                    db.execute(
                        f"create view {view} as select ''::varchar as run_key, "
                        "''::varchar as design_id where false"
                    )
            try:
                return db.execute(sql).df()
            except duckdb.Error as error:
                raise ScenarioError(f"query: {str(error).splitlines()[0]}") from None

    def _stored_design_id(self) -> str | None:
        meta = self.directory / META
        return self._read_meta()["design_id"] if meta.exists() else None

    def keys(self, every_design: bool = False) -> set[str]:
        """The run keys stored so far (of this design, or of any)."""
        view = "all_runs" if every_design else "runs"
        return set(self.query(f"select run_key from {view}")["run_key"])

    def runs(self) -> pd.DataFrame:
        """This design's stored runs, one row each, ordered by base, point and replication."""
        if not self.has_runs():
            return pd.DataFrame()
        return self.query("select * from runs order by base, point, replication")

    def contrasts(self) -> pd.DataFrame:
        """Paired differences of each base against the first, per setting and figure."""
        from orgsim.sweep.contrasts import contrasts

        return contrasts(self.experiment(), self.runs())

    def sobol(self) -> pd.DataFrame:
        """Sobol (or Morris) indices per base, figure and parameter; empty for other designs."""
        from orgsim.sweep.sensitivity import sensitivity

        runs = self.runs()
        return sensitivity(self.experiment(), runs[runs["error"].isna()] if len(runs) else runs)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"

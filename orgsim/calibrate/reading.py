"""Reading an event log (CSV, CSV.gz, XES, XES.gz) into one checked table.

Every check runs before anything is written, and each refusal names the file, the row
(CSV: its line; XES: the event's place and its trace) and the field at fault, with what
is allowed. Resource names become stable pseudonyms (``resource 1``, ``resource 2``, ...
in order of first appearance in time) unless ``keep_names``: a log names people.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from orgsim.calibrate.bounded import MAX_EVENTS, MAX_LOG_BYTES, LogError, log_format, open_log
from orgsim.calibrate.xes import read_xes
from orgsim.results.escaping import csv_read_back
from orgsim.results.log_format import REQUIRED_ROLES, ROLES

MAPPING_HELP = (
    "map your columns with --column ROLE=NAME (repeatable) or --columns FILE (YAML, "
    "ROLE: NAME per line); roles: " + ", ".join(ROLES)
)

_TZ_SUFFIX = r"(?:Z|[+-]\d\d:?\d\d)$"


@dataclass(frozen=True)
class EventLog:
    """A checked event log: one row per event, each case's events in time order.

    Attributes:
        events: columns ``case``, ``activity``, ``time`` (UTC if the log gave offsets,
            else as written), ``resource`` and ``group`` (``""`` where absent),
            ``lifecycle`` (``complete`` where absent), ``row`` (where the event is in the
            file) and every other attribute by its name, as text.
        path: the file read.
        notes: how the reader treated the log (pseudonyms, reordering).
    """

    events: pd.DataFrame
    path: Path
    notes: list[str] = field(default_factory=list)


def read_log(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    *,
    keep_names: bool = False,
    sort_events: bool = False,
    max_bytes: int = MAX_LOG_BYTES,
    max_events: int = MAX_EVENTS,
) -> EventLog:
    """Read and check an event log.

    Args:
        path: a ``.csv``, ``.csv.gz``, ``.xes`` or ``.xes.gz`` file.
        columns: role -> column name in the file, for names that are not the standard
            ones (see :data:`orgsim.results.log_format.ROLES`).
        keep_names: keep resource names as they are (default: pseudonyms).
        sort_events: order each case's events by time (ties keep the file's order)
            instead of refusing a case whose events are out of order.
        max_bytes: most bytes read, uncompressed.
        max_events: most events read.

    Raises:
        LogError: the log cannot be used; the message says where and why.
    """
    path = Path(path)
    names = _column_names(columns or {}, path)
    kind = log_format(path)
    with open_log(path, max_bytes) as stream:
        raw = (
            _read_xes(stream, path, max_events)
            if kind == "xes"
            else _read_csv(stream, path, max_events)
        )
    if raw.empty:
        raise LogError(f"{path}: the log holds no events")
    events = _roles(raw, names, path, kind)
    events["time"] = _timestamps(events.pop("timestamp"), events, names["timestamp"], path, kind)
    notes: list[str] = []
    events = _in_case_order(events, path, kind, sort_events, notes)
    if not keep_names:
        _pseudonyms(events, notes)
    return EventLog(events.reset_index(drop=True), path, notes)


def _column_names(columns: Mapping[str, str], path: Path) -> dict[str, str]:
    unknown = sorted(set(columns) - set(ROLES))
    if unknown:
        raise LogError(
            f"{path}: column mapping: unknown role {unknown[0]!r}; allowed: {', '.join(ROLES)}"
        )
    return {role: columns.get(role, standard) for role, standard in ROLES.items()}


def _read_csv(stream: object, path: Path, max_events: int) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            stream, dtype=str, keep_default_na=False, nrows=max_events + 1, engine="c"
        )
    except pd.errors.EmptyDataError:
        raise LogError(f"{path}: the log holds no events (the file is empty)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error) as error:
        raise LogError(f"{path}: not a readable CSV file ({str(error).strip()[:200]})") from None
    if len(frame) > max_events:
        raise LogError(
            f"{path}: more than {max_events:,} events, the reader's bound (--max-events raises it)"
        )
    csv_read_back(frame)  # '=x, quoted as a spreadsheet's export and orgsim's do, is =x
    frame["row"] = np.arange(2, len(frame) + 2)  # the header is line 1
    return frame


def _read_xes(stream: object, path: Path, max_events: int) -> pd.DataFrame:
    columns = read_xes(stream, path, max_events)  # type: ignore[arg-type]
    if not len(columns["_row"]):
        return pd.DataFrame()
    named = {k: pd.Series(values, dtype="str") for k, values in columns.items() if k[0] != "_"}
    return pd.DataFrame(named).assign(row=columns["_row"], trace=columns["_trace"])


def where(events: pd.DataFrame, index: int, path: Path, kind: str) -> str:
    """Where event ``index`` of ``events`` is in the file, for a message."""
    row = int(events["row"].iloc[index])
    if kind == "csv":
        return f"{path}: row {row}"
    return f"{path}: event {row} (trace {int(events['trace'].iloc[index])})"


def _roles(raw: pd.DataFrame, names: dict[str, str], path: Path, kind: str) -> pd.DataFrame:
    """The file's columns renamed to their roles; required ones present and filled."""
    missing = [f"{role} ({names[role]!r})" for role in REQUIRED_ROLES if names[role] not in raw]
    if missing:
        present = [c for c in raw.columns if c not in ("row", "trace")]
        shown = ", ".join(repr(c) for c in present[:30]) + (", ..." if len(present) > 30 else "")
        raise LogError(
            f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the log has {shown}; {MAPPING_HELP}"
        )
    events = raw.rename(columns={names[role]: role for role in ROLES if names[role] in raw})
    for role in REQUIRED_ROLES:
        empty = events[role].isna() | (events[role] == "")
        if empty.any():
            at = where(events, int(np.flatnonzero(empty.to_numpy())[0]), path, kind)
            raise LogError(f"{at}: {names[role]} is empty; every event needs its {role}")
    for role, default in (("resource", ""), ("group", ""), ("lifecycle", "complete")):
        events[role] = events[role].fillna(default) if role in events else default
    return events


def _timestamps(
    column: pd.Series, events: pd.DataFrame, name: str, path: Path, kind: str
) -> pd.Series:
    """ISO 8601 timestamps: all with an offset (read as UTC) or all without (as written)."""
    text = column.astype(str).str.strip()
    dated = text.str.match(r"\d{4}-\d\d-\d\d").to_numpy()
    if not dated.all():
        _not_a_timestamp(events, int(np.flatnonzero(~dated)[0]), text, name, path, kind)
    aware = text.str.contains(_TZ_SUFFIX, regex=True).to_numpy()
    if aware.any() and not aware.all():
        odd = int(np.flatnonzero(~aware if aware.sum() > len(aware) / 2 else aware)[0])
        raise LogError(
            f"{where(events, odd, path, kind)}: {name} {text.iloc[odd]!r} "
            f"{'has no' if aware.sum() > len(aware) / 2 else 'has a'} time-zone offset, unlike "
            "the rest of the log: mixed time zones cannot be ordered; give every timestamp an "
            "offset (e.g. 2012-10-09T14:50:17+00:00) or none"
        )
    parsed = pd.to_datetime(text, format="ISO8601", utc=bool(aware.all()), errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        _not_a_timestamp(events, int(np.flatnonzero(bad)[0]), text, name, path, kind)
    return parsed.astype("datetime64[us, UTC]" if aware.all() else "datetime64[us]")


def _not_a_timestamp(
    events: pd.DataFrame, index: int, text: pd.Series, name: str, path: Path, kind: str
) -> None:
    raise LogError(
        f"{where(events, index, path, kind)}: {name} {text.iloc[index]!r} is not a timestamp; "
        "allowed: ISO 8601, e.g. 2012-10-09T14:50:17+00:00 or 2012-10-09 14:50:17"
    )


def _in_case_order(
    events: pd.DataFrame, path: Path, kind: str, sort_events: bool, notes: list[str]
) -> pd.DataFrame:
    """Each case's events in time order: refused when they are not, or sorted if asked."""
    events["case"] = events["case"].astype(str)
    order = np.lexsort((events["row"].to_numpy(), pd.factorize(events["case"])[0]))
    events = events.iloc[order]
    same_case = events["case"].to_numpy()[1:] == events["case"].to_numpy()[:-1]
    backwards = same_case & (np.diff(events["time"].astype("int64").to_numpy()) < 0)
    if not backwards.any():
        return events
    if sort_events:
        notes.append(
            f"{int(backwards.sum()):,} events came before an earlier-stamped event of their "
            "case; each case's events were ordered by time (--sort-events; ties keep the "
            "file's order)"
        )
        return events.sort_values(["case", "time"], kind="stable")
    at = int(np.flatnonzero(backwards)[0]) + 1
    raise LogError(
        f"{where(events, at, path, kind)}: case {events['case'].iloc[at]!r}: this event "
        f"({events['time'].iloc[at]}) comes after one stamped later "
        f"({events['time'].iloc[at - 1]}); events of a case must be in time order; orgsim "
        "does not reorder them silently: sort the log by case and time, or pass "
        "--sort-events to order each case's events by time"
    )


def _pseudonyms(events: pd.DataFrame, notes: list[str]) -> None:
    """Resources renamed ``resource 1``, ``resource 2``, ... by first appearance in time."""
    named = events["resource"] != ""
    if not named.any():
        return
    first = (
        events.loc[named].groupby("resource", sort=False)["time"].min().sort_values(kind="stable")
    )
    pseudonym = {name: f"resource {i}" for i, name in enumerate(first.index, start=1)}
    events["resource"] = events["resource"].map(pseudonym).fillna("")
    notes.append(
        f"{len(pseudonym)} resource names replaced by pseudonyms (resource 1 ... "
        f"resource {len(pseudonym)}, in order of first appearance); --keep-names keeps them"
    )

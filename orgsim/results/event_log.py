"""A run as an event log: every request a case, every traced step an event.

The columns are XES's standard names (:mod:`orgsim.results.log_format`), and times
are real calendar timestamps: working hour ``h`` of the run falls on working day
``h // hours_per_day`` of a :class:`Calendar` (weekends skipped), at
``day_start_h + h % hours_per_day`` o'clock. So pm4py, ProM, Disco or Celonis read a
simulated organisation as they read a real one, and ``orgsim calibrate`` reads it back.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np
import pandas as pd

from orgsim.results.escaping import csv_safe_reversible
from orgsim.results.files import write_whole
from orgsim.results.log_format import (
    ACTIVITY,
    CASE,
    CASE_PREFIX,
    GROUP,
    LIFECYCLE,
    RESOURCE,
    TIMESTAMP,
    XES_NAMESPACE,
)
from orgsim.sim.tracing import ACTIVITIES, NOBODY

if TYPE_CHECKING:
    from orgsim.sim.model import OrgModel

WEEKDAYS = "1111100"
"""numpy's weekmask of a Monday-to-Friday week."""


@dataclass(frozen=True)
class Calendar:
    """Where working hours fall in real time.

    Attributes:
        start: the first working day (rolled forward to a working day).
        hours_per_day: working hours a day, the scenario's ``run.hours_per_day``.
        day_start_h: the hour of the day work starts (8.0 is 08:00), in UTC.
        weekmask: numpy's working-day mask from Monday, e.g. ``1111100``.
    """

    start: date = date(2024, 1, 1)
    hours_per_day: float = 8.0
    day_start_h: float = 8.0
    weekmask: str = WEEKDAYS

    def timestamps(self, hours: np.ndarray) -> pd.DatetimeIndex:
        """The UTC instants of working hours ``hours`` counted from the run's start."""
        hours = np.asarray(hours, dtype=float)
        day = np.floor(hours / self.hours_per_day).astype(np.int64)
        dates = np.busday_offset(
            np.datetime64(self.start, "D"), day, roll="forward", weekmask=self.weekmask
        )
        within_us = ((hours - day * self.hours_per_day + self.day_start_h) * 3.6e9).round()
        instants = dates.astype("datetime64[us]") + within_us.astype("timedelta64[us]")
        return pd.DatetimeIndex(instants).tz_localize("UTC")

    def working_hours(self, instants: pd.Series) -> np.ndarray:
        """Where ``instants`` fall on the working-hour axis from :attr:`start`.

        The inverse of :meth:`timestamps`: time outside working hours counts nothing, so an
        instant in the night sits at the end of the day before.
        """
        times = pd.to_datetime(instants)
        if times.dt.tz is not None:
            times = times.dt.tz_convert("UTC").dt.tz_localize(None)
        days = times.dt.floor("D").to_numpy().astype("datetime64[D]")
        start = np.datetime64(self.start, "D")
        whole = np.busday_count(start, days, weekmask=self.weekmask)
        working = np.is_busday(days, weekmask=self.weekmask)
        clock_h = (times - times.dt.floor("D")).dt.total_seconds().to_numpy() / 3600
        within = np.clip(clock_h - self.day_start_h, 0, self.hours_per_day) * working
        return whole * self.hours_per_day + within


def agent_names(model: OrgModel) -> dict[int, tuple[str, str]]:
    """Each employee's, manager's, dispatcher's and closer's resource name and group, by id."""
    names: dict[int, tuple[str, str]] = {}
    for number, employee in enumerate(model.org.employees, start=1):
        names[employee.unique_id] = (f"employee {number}", f"team {employee.team.index + 1}")
    counts: dict[int, int] = {}
    for manager in model.org.managers:
        counts[manager.layer] = counts.get(manager.layer, 0) + 1
        layer = model.org.levels[manager.layer]
        names[manager.unique_id] = (f"{layer} {counts[manager.layer]}", layer)
    if model.life.intake is not None:
        names |= model.life.intake.names
    return names


def traced_events(model: OrgModel) -> pd.DataFrame:
    """The run's trace as a table in working hours: one row per event, by case then time.

    A case closed after the horizon is still open in the log (censored): its closing
    event is left out.
    """
    trace = model.life.trace
    if trace is None:
        raise ValueError("the model ran without a trace: set model.life.trace before the run")
    names = agent_names(model) | {NOBODY: ("", "")}
    agents = np.asarray(trace.agent, dtype=np.int64)
    known, codes = np.unique(agents, return_inverse=True)
    resources = np.array([names.get(int(a), ("", ""))[0] for a in known], dtype=object)
    groups = np.array([names.get(int(a), ("", ""))[1] for a in known], dtype=object)
    kinds = [kind.name for kind in model.spec.demand.kinds]
    frame = pd.DataFrame(
        {
            "request": np.asarray(trace.request, dtype=np.int64),
            "activity": pd.Categorical.from_codes(np.asarray(trace.activity), ACTIVITIES),
            "resource": resources[codes],
            "group": groups[codes],
            "time_h": np.asarray(trace.time_h, dtype=float),
            "kind": pd.Categorical.from_codes(np.asarray(trace.kind), kinds),
        }
    )
    frame = frame[frame["time_h"] <= model.horizon_h]
    return frame.sort_values(["request", "time_h"], kind="stable", ignore_index=True)


def to_event_log(events: pd.DataFrame, calendar: Calendar) -> pd.DataFrame:
    """The traced events with standard column names and calendar timestamps."""
    return pd.DataFrame(
        {
            CASE: "request " + events["request"].astype(str),
            ACTIVITY: events["activity"].astype(str),
            RESOURCE: events["resource"],
            GROUP: events["group"],
            TIMESTAMP: calendar.timestamps(events["time_h"].to_numpy()),
            LIFECYCLE: "complete",
            CASE_PREFIX + "kind": events["kind"].astype(str),
        }
    )


def write_event_log(log: pd.DataFrame, path: Path) -> Path:
    """Write ``log`` (from :func:`to_event_log`) whole, as CSV or XES by the file's suffix.

    ``.csv``, ``.csv.gz``, ``.xes`` and ``.xes.gz`` are written; timestamps in ISO 8601
    with their offset. A CSV cell a spreadsheet would run as a formula (a resource or
    case attribute from a scenario's text: ``=HYPERLINK(...)``) is quoted with a ``'``
    (OWASP), reversibly: :func:`orgsim.calibrate.reading.read_log` strips the quote
    again (:func:`orgsim.results.escaping.csv_cell_read`), so values round-trip.

    Raises:
        ValueError: another suffix.
        OSError: the file could not be written; it is left as it was.
    """
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        named = [c for c in log.columns if c != TIMESTAMP]  # formula-quoted, reversibly
        text = csv_safe_reversible(log, named).assign(**{TIMESTAMP: _iso(log[TIMESTAMP])})
        # the temporary name has no suffix; level 6, gzip's own default: 2.5x faster than 9
        packed = {"method": "gzip", "compresslevel": 6} if name.endswith(".gz") else None
        return write_whole(path, lambda tmp: text.to_csv(tmp, index=False, compression=packed))
    if name.endswith((".xes", ".xes.gz")):
        packed = name.endswith(".gz")  # level 6, gzip's own default: 2.5x faster than 9, +11%
        opener = partial(gzip.open, compresslevel=6) if packed else open
        return write_whole(path, lambda tmp: _write_xes(log, opener(tmp, "wt", encoding="utf-8")))
    raise ValueError(f"{path}: allowed suffixes: .xes, .xes.gz, .csv, .csv.gz")


def _iso(times: pd.Series) -> pd.Series:
    """UTC instants as ISO 8601 to the millisecond with their offset, in numpy's C loop."""
    utc = times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ms]")
    text = np.char.add(np.datetime_as_string(utc, unit="ms"), "+00:00")
    return pd.Series(text.astype(object), index=times.index)


_XES_HEADER = f"""<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="{XES_NAMESPACE}">
<extension name="Concept" prefix="concept" uri="{XES_NAMESPACE}concept.xesext"/>
<extension name="Time" prefix="time" uri="{XES_NAMESPACE}time.xesext"/>
<extension name="Organizational" prefix="org" uri="{XES_NAMESPACE}org.xesext"/>
<extension name="Lifecycle" prefix="lifecycle" uri="{XES_NAMESPACE}lifecycle.xesext"/>
"""


XES_CHUNK = 100_000
"""Events turned into text at a time: the XES writer's memory stays bounded."""

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
             ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))  # fmt: skip
"""XML's escapes in a double-quoted attribute (``&`` first), line breaks and tabs kept."""


def _strings(key: str, values: pd.Series, skip_empty: bool) -> np.ndarray:
    """``<string key="KEY" value="..."/>`` for each value, escaped once per distinct value.

    Missing values, and empty ones if ``skip_empty``, give ``""`` (no attribute).
    """
    codes, distinct = pd.factorize(values)
    text = pd.Series(distinct, dtype=object).astype(str)
    for char, entity in _ENTITIES:
        text = text.str.replace(char, entity, regex=False)
    text = (f'<string key="{key}" value="' + text + '"/>').to_numpy(dtype=object)
    if skip_empty:
        text[np.asarray(distinct, dtype=object) == ""] = ""
    return np.append(text, "")[codes]  # code -1 (missing): the last, ""


def _write_xes(log: pd.DataFrame, stream: TextIO) -> None:
    """XES 1849-2016, one trace per case (rows of a case together), case attributes on it.

    Built column by column over chunks of :data:`XES_CHUNK` events (numpy's elementwise
    ``+`` on text), not event by event: a million events in seconds.
    """
    case_attributes = [c for c in log.columns if c.startswith(CASE_PREFIX) and c != CASE]
    cases = log[CASE].to_numpy()
    first = np.r_[True, cases[1:] != cases[:-1]]
    last = np.r_[first[1:], True]
    with stream:
        stream.write(_XES_HEADER)
        for begin in range(0, len(log), XES_CHUNK):
            rows = slice(begin, begin + XES_CHUNK)
            stream.write("".join(_xes_events(log.iloc[rows], first[rows], last[rows],
                                             case_attributes).tolist()))  # fmt: skip
        stream.write("</log>\n")


def _xes_events(
    part: pd.DataFrame, first: np.ndarray, last: np.ndarray, case_attributes: list[str]
) -> np.ndarray:
    """Each event's XES text, its trace opened before a case's first and closed after its last."""
    trace = "<trace>" + _strings("concept:name", part[CASE], False)
    for column in case_attributes:
        trace = trace + _strings(column.removeprefix(CASE_PREFIX), part[column], False)
    text = np.where(first, trace, "") + "<event>"
    for column in (ACTIVITY, RESOURCE, GROUP, LIFECYCLE):
        text = text + _strings(column, part[column], True)
    times = ('<date key="time:timestamp" value="' + _iso(part[TIMESTAMP]) + '"/></event>').to_numpy(
        dtype=object
    )
    return text + times + np.where(last, "</trace>\n", "")

"""A log's cases and events on the working-hour axis: the facts every estimate starts from.

Processing times where a log holds only completion times are estimated as in the
start-time estimation literature (Martin, Depaire & Caris 2016; Chapela-Campa & Dumas
2022, used by Simod): an event started when both its case and its resource were free,
that is at the later of the case's previous event and the resource's previous
completion; a span longer than one working day holds idle time and is capped at the day.
Where the log has ``lifecycle:transition`` start/complete pairs, the start is the
recorded one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orgsim.calibrate.calendar import infer_calendar
from orgsim.calibrate.reading import EventLog
from orgsim.results.event_log import Calendar

ESCALATION_PATTERN = re.compile(r"escalat|upgrade|second.?line|2nd.?line|level.?2", re.IGNORECASE)
"""Activities taken for escalations when none are named: the words logs use for them."""


@dataclass(frozen=True)
class Cases:
    """Events with their working-hour positions and estimated durations, and one row a case.

    Attributes:
        events: the log's events (``complete`` ones) with ``at_h`` (working hours from the
            calendar's start), ``work_h`` (estimated processing time) and ``escalation``.
        table: per case: ``start_h``, ``answer_h``, ``end_h``, ``closed`` (the case's
            last activity is the closing one; otherwise it is open, censored), ``kind``,
            ``escalated``, ``work_h`` (front-line processing before the answer),
            ``escalation_h`` (from escalations to the case's next events, before the answer).
        calendar: the working calendar inferred.
        answer_activity, close_activity: which activities answer and close a case.
        escalation_activities: which activities are escalations.
    """

    events: pd.DataFrame
    table: pd.DataFrame
    calendar: Calendar
    answer_activity: str
    close_activity: str | None
    escalation_activities: tuple[str, ...]


def build_cases(
    log: EventLog,
    kind_attribute: str | None = None,
    escalations: tuple[str, ...] | None = None,
    answer: str | None = None,
    close: str | None = None,
) -> Cases:
    """Place a log's events on its working calendar and summarise each case."""
    events = _completions(log.events)
    starts = events.groupby("case", sort=False)["time"].min()
    calendar = infer_calendar(events, starts)
    events["at_h"] = calendar.working_hours(events["time"])
    events["work_h"], events["queue_h"] = _durations(events, calendar)
    names = tuple(escalations) if escalations is not None else _escalations_by_name(events)
    events["escalation"] = events["activity"].isin(names)
    close = close if close is not None else _closing_activity(events)
    answer = answer if answer is not None else _answer_activity(events, close)
    table = _case_table(events, answer, close, _kinds(log.events, kind_attribute))
    return Cases(events, table, calendar, answer, close, names)


def _completions(events: pd.DataFrame) -> pd.DataFrame:
    """Complete events only, each with its recorded start if the log pairs them."""
    lifecycle = events["lifecycle"].str.lower()
    done = events[lifecycle != "start"].copy()
    done["recorded_start"] = pd.NaT
    started = events[lifecycle == "start"]
    if len(started):
        key = ["case", "activity", "resource"]
        started = started.assign(n=started.groupby(key).cumcount())
        done = done.assign(n=done.groupby(key).cumcount())
        pairs = started.set_index([*key, "n"])["time"]
        done["recorded_start"] = pairs.reindex(
            pd.MultiIndex.from_frame(done[[*key, "n"]])
        ).to_numpy()
    return done.reset_index(drop=True)


def _durations(events: pd.DataFrame, calendar: Calendar) -> tuple[np.ndarray, np.ndarray]:
    """Each event's processing time and its queueing time.

    Processing: recorded, or from the later of case and resource free. Queueing: the case
    was ready, its resource still busy.
    """
    case_prev = events.groupby("case", sort=False)["at_h"].shift()
    by_resource = events[events["resource"] != ""].sort_values("at_h", kind="stable")
    resource_prev = by_resource.groupby("resource", sort=False)["at_h"].shift()
    ready = np.fmax(case_prev.to_numpy(), resource_prev.reindex(events.index).to_numpy())
    estimate = events["at_h"].to_numpy() - ready
    queue = np.nan_to_num(ready - case_prev.to_numpy(), nan=0.0)
    if events["recorded_start"].notna().any():
        started = events["recorded_start"].fillna(events["time"])
        recorded = events["at_h"].to_numpy() - calendar.working_hours(started)
        estimate = np.where(events["recorded_start"].notna(), recorded, estimate)
    work = np.clip(np.nan_to_num(estimate, nan=0.0), 0, calendar.hours_per_day)
    return work, np.clip(queue, 0, None)


def _escalations_by_name(events: pd.DataFrame) -> tuple[str, ...]:
    names = events["activity"].unique()
    return tuple(sorted(str(n) for n in names if ESCALATION_PATTERN.search(str(n))))


def _closing_activity(events: pd.DataFrame) -> str | None:
    """The activity that ends at least half of the cases, if one does."""
    last = events.groupby("case", sort=False)["activity"].last().value_counts()
    return str(last.index[0]) if last.iloc[0] >= 0.5 * last.sum() else None


def _answer_activity(events: pd.DataFrame, close: str | None) -> str:
    """The activity most often just before the closing one (or ending the case)."""
    before = events.groupby("case", sort=False)["activity"].shift(-1)
    candidates = events.loc[before == close, "activity"] if close else events["activity"]
    if close is None:
        candidates = events.groupby("case", sort=False)["activity"].last()
    return str(candidates.value_counts().index[0])


def _kinds(events: pd.DataFrame, attribute: str | None) -> pd.Series:
    """Each case's kind: its first value of ``attribute`` (event or case attribute)."""
    cases = events.groupby("case", sort=False)
    if attribute is None:
        return pd.Series("request", index=cases.size().index)
    column = attribute if attribute in events else f"case:{attribute}"
    values = events[column].replace("", np.nan)
    return values.groupby(events["case"], sort=False).first().fillna("(none)").astype(str)


def _case_table(
    events: pd.DataFrame, answer: str, close: str | None, kinds: pd.Series
) -> pd.DataFrame:
    cases = events.groupby("case", sort=False)
    table = pd.DataFrame(
        {
            "start": cases["time"].min(),
            "start_h": cases["at_h"].min(),
            "end_h": cases["at_h"].max(),
            "last": cases["activity"].last(),
            "escalated": cases["escalation"].any(),
        }
    )
    answered = events[events["activity"] == answer].groupby("case", sort=False)["at_h"].max()
    table["answer_h"] = answered.reindex(table.index)
    table["closed"] = table["last"] == close if close else True
    table["answer_h"] = table["answer_h"].fillna(table["end_h"].where(table["closed"]))
    first_answer = events["at_h"] <= table["answer_h"].reindex(events["case"]).to_numpy()
    front = first_answer & ~events["escalation"].to_numpy()
    table["work_h"] = events[front].groupby("case", sort=False)["work_h"].sum().reindex(table.index)
    table["work_h"] = table["work_h"].fillna(0.0)
    table["queue_h"] = events[front].groupby("case", sort=False)["queue_h"].sum()
    table["queue_h"] = table["queue_h"].reindex(table.index).fillna(0.0)
    gap = events.groupby("case", sort=False)["at_h"].shift(-1) - events["at_h"]
    up = first_answer & events["escalation"].to_numpy()
    table["escalation_h"] = gap[up].groupby(events.loc[up, "case"], sort=False).sum()
    table["escalation_h"] = table["escalation_h"].reindex(table.index).fillna(0.0)
    table["kind"] = kinds.reindex(table.index).fillna("(none)")
    return table


def estimated_work_h(events: pd.DataFrame, calendar: Calendar) -> np.ndarray:
    """Each event's processing time by the estimator above, for any log placed on a calendar.

    ``events`` need ``case``, ``resource`` and ``at_h``, each case's events in time order;
    a ``recorded_start`` column is used where present.
    """
    if "recorded_start" not in events:
        events = events.assign(recorded_start=pd.NaT)
    return _durations(events, calendar)[0]

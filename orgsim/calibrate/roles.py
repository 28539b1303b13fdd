"""Who receives, who works, who closes: roles read from the order of a case's events.

The rule works on any log of this shape, not on the names of one log's activities. A
case's hand-offs are the changes of resource between its consecutive events
(:func:`orgsim.calibrate.distances.handoffs_per_case`). Three positions are told apart:

* **dispatch**: the case's first event is by someone other than its second (received
  by one person, handed to another). The dispatch share is the share of cases with two
  events or more where this is so; the dispatch time is that first event's processing
  time (start-time estimation, :mod:`orgsim.calibrate.cases`).
* **closing**: a closed case's last event, of the log's closing activity (where it has
  one apart from the answer), is by someone other than the one before it. Its share is
  over closed cases with three events or more (with two, the one change is the
  dispatch); its time is the closing event's processing time.
* **transfer**: any other change between two events of the case's work, escalations and
  what follows them excepted (those are the escalation route's). The transfer share is
  the mean number of such changes per case, at most 1. A completion-only log cannot
  tell a transfer of a case nobody dispatched from a dispatch (both are a first change
  of person): it is read as a dispatch, and the sum of the two shares, the hand-offs
  before the answer, is what the log pins down.

A resource's role in the report is the position most of its events take (opening a
case, closing it, or the work between). Head counts are by time share: each resource
counts for the share of its events in a position, over the months it is active, so a
person who triages half the time is half a dispatcher, and the mean over months of that
sum is the position's head count (:mod:`orgsim.calibrate.estimate` rounds it, and raises
it where the log's own flow would keep the pool busier than it can be).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Roles:
    """What the order of events says about intake and closing.

    Attributes:
        dispatch_share, closing_share, transfer_share: chances a case passes each.
        dispatch_fte, closing_fte: people in each position, by time share, per mean month.
        dispatch_h, closing_h, transfer_h: processing times of those events, in hours.
        dispatch_work_h: per case, the dispatch event's processing time (0 where none):
            it is not the worker's, and comes off the case's front-line work.
        profiles: per resource: ``events``, ``opening``, ``closing`` (shares of its
            events in those positions) and ``role``.
    """

    dispatch_share: float
    closing_share: float
    transfer_share: float
    dispatch_fte: float
    closing_fte: float
    dispatch_h: np.ndarray
    closing_h: np.ndarray
    transfer_h: np.ndarray
    dispatch_work_h: pd.Series
    profiles: pd.DataFrame


def infer_roles(events: pd.DataFrame, closed: pd.Series, closing_activity: str | None) -> Roles:
    """Roles from a log's ``events`` and ``closed`` (per case: whether it is closed).

    ``events`` holds each case's events together and in order, with ``case``,
    ``activity``, ``resource``, ``time``, ``work_h`` and ``escalation``
    (:class:`~.cases.Cases`). Closing is read only where the log has a closing activity
    of its own (``closing_activity``, not the answer): otherwise the last change of
    person is the answer's way back.
    """
    named = events[events["resource"] != ""]
    by_case = named.groupby("case", sort=False)
    position = by_case.cumcount()
    from_end = by_case.cumcount(ascending=False)
    size = by_case["resource"].transform("size")
    previous = by_case["resource"].shift()
    changed = previous.notna() & (previous != named["resource"])
    upward = by_case["escalation"].cummax().astype(bool)
    opening = _before(changed, named["case"]) & (position == 0)
    is_closed = named["case"].map(closed).fillna(False).astype(bool)
    closing = changed & (from_end == 0) & (size >= 3) & is_closed
    closing &= named["activity"] == closing_activity if closing_activity else False
    # changes after an escalation are the escalation route's own passes
    transfer = changed & (position >= 2) & (from_end >= 1) & ~upward.shift(fill_value=False)
    lengths = by_case.size()
    two_or_more = int((lengths >= 2).sum())
    closed_long = int(((lengths >= 3) & lengths.index.map(closed).fillna(False)).sum())
    cases = by_case.ngroups
    profiles = _profiles(named, opening, closing)
    months = _months(named["time"])
    dispatch_work = named.loc[opening, ["case", "work_h"]].set_index("case")["work_h"]
    return Roles(
        dispatch_share=float(opening.sum() / two_or_more) if two_or_more else 0.0,
        closing_share=float(closing.sum() / closed_long) if closed_long else 0.0,
        transfer_share=min(1.0, float(transfer.sum() / cases)) if cases else 0.0,
        dispatch_fte=_time_share(named, opening, months),
        closing_fte=_time_share(named, closing, months),
        dispatch_h=named.loc[opening, "work_h"].to_numpy(),
        closing_h=named.loc[closing, "work_h"].to_numpy(),
        transfer_h=named.loc[_before(transfer, named["case"]), "work_h"].to_numpy(),
        dispatch_work_h=dispatch_work,
        profiles=profiles,
    )


def _before(flags: pd.Series, cases: pd.Series) -> pd.Series:
    """True at the event just before each flagged one of the same case."""
    return flags.groupby(cases, sort=False).shift(-1, fill_value=False).astype(bool)


def _months(times: pd.Series) -> pd.Series:
    plain = times.dt.tz_convert("UTC").dt.tz_localize(None) if times.dt.tz else times
    return plain.dt.to_period("M")


def _time_share(named: pd.DataFrame, position: pd.Series, months: pd.Series) -> float:
    """Per mean month, the sum over active resources of their share of events in ``position``."""
    if named.empty:
        return 0.0
    frame = pd.DataFrame({"month": months, "resource": named["resource"], "in": position})
    shares = frame.groupby(["month", "resource"])["in"].mean()
    return float(shares.groupby(level="month").sum().mean())


def _profiles(named: pd.DataFrame, opening: pd.Series, closing: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"resource": named["resource"], "opening": opening, "closing": closing})
    profiles = frame.groupby("resource").agg(
        events=("opening", "size"), opening=("opening", "mean"), closing=("closing", "mean")
    )
    work = 1 - profiles["opening"] - profiles["closing"]
    roles = pd.DataFrame(
        {"dispatch": profiles["opening"], "closing": profiles["closing"], "work": work}
    )
    profiles["role"] = roles.idxmax(axis=1)
    return profiles.sort_values("events", ascending=False)

"""A request in flight, and the columnar log of requests that have ended.

A :class:`Request` lives only while it is being worked; when it ends, its figures are
appended to the typed arrays of :class:`RequestLog` (8 bytes or less a field, no
Python object per value) and the object is dropped, so memory grows with the log's
rows, not with objects.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from orgsim.sim.agents import Employee

OUTCOME_RESOLVED = 0
OUTCOME_ABANDONED = 1
"""The customer had left before the answer came back."""
OUTCOME_IN_PROGRESS = 2
"""Still in the organisation at the horizon: no answer yet (``delivered_h`` is NaN)."""
OUTCOMES = ["resolved", "abandoned", "in_progress"]


class Request:
    """One customer request and where it stands."""

    __slots__ = (
        "accepted",
        "account",
        "authority",
        "climb",
        "close_after_h",
        "created_h",
        "decided_h",
        "decider_id",
        "difficulty",
        "distance",
        "employee",
        "expected_h",
        "good",
        "handoffs",
        "hops",
        "id",
        "kind",
        "last",
        "level",
        "pending",
        "position",
        "readings",
        "recommends",
        "reworks",
        "route",
        "shared",
        "solved",
        "stage",
        "value",
        "votes",
        "wait_h",
        "work_h",
    )

    def __init__(
        self,
        request_id: int,
        account: int,
        employee: Employee,
        kind: int,
        value: float,
        good: bool,
        work_h: float,
        expected_h: float,
        created_h: float,
    ) -> None:
        self.id = request_id
        self.account = account
        self.employee = employee
        self.kind = kind
        self.value = value
        self.good = good
        self.work_h = work_h
        self.expected_h = expected_h
        self.created_h = created_h
        self.hops = self.handoffs = self.reworks = 0
        self.level = self.decider_id = -1
        self.accepted = False
        self.authority = 0.0
        self.decided_h = -1.0
        # Escalation state: the team's route (shared), the stage in hand and its place
        # on the route, the last stage this value needs, and the votes and reviews there.
        self.route: list[Any] = []
        self.stage: Any = None
        self.position = self.last = -1
        self.votes = self.pending = self.climb = self.distance = 0
        self.wait_h = 0.0  # hours queued, summed over every queue entered
        self.close_after_h = 0.0  # when a ticket system closes the case (event log only)
        # The decision mechanisms' state (orgsim.sim.deliberation), used only when one is on:
        # how hard it is, whether someone at the stage knew it, the stage's shared reading,
        # the advice process's readings, and the escalator's recommendation.
        self.difficulty = 0.0
        self.solved = True
        self.shared = -1.0
        self.readings: list[tuple[bool, float]] = []
        self.recommends: bool | None = None


COLUMNS: dict[str, str] = {
    "request_id": "q",
    "customer_id": "q",
    "kind": "h",
    "value": "d",
    "good": "?",
    "created_h": "d",
    "decided_h": "d",
    "delivered_h": "d",
    "level": "h",
    "decider_id": "q",
    "authority": "d",
    "accepted": "?",
    "hops": "h",
    "handoffs": "h",
    "reworks": "h",
    "wait_h": "d",
    "outcome": "b",
}
"""The log's columns and their ``struct`` codes: q int64, h int16, d float64, ? bool, b int8."""

ROW = struct.Struct("<" + "".join(COLUMNS.values()))
ROW_DTYPE = np.dtype([(name, "<" + code) for name, code in COLUMNS.items()])
"""One packed row (85 bytes), and the same layout for numpy to read the rows back."""


class RequestLog:
    """Ended requests as packed binary rows in one growing ``bytearray``.

    Packing a row with ``struct`` costs one C call and 85 bytes, and keeps no Python
    object per value; :meth:`frame` reads all rows back at once with a numpy
    structured dtype of the same layout.
    """

    def __init__(self, kinds: list[str], levels: list[str], keep: bool = True) -> None:
        self.kinds = kinds
        self.levels = levels
        self.keep = keep
        self.rows = bytearray()
        self._pack = ROW.pack

    def record(self, request: Request, delivered_h: float, outcome: int) -> None:
        """Append one ended request (nothing if the log is switched off)."""
        if self.keep:
            r = request
            self.rows += self._pack(
                r.id, r.account, r.kind, r.value, r.good, r.created_h, r.decided_h,
                delivered_h, r.level, r.decider_id, r.authority, r.accepted, r.hops, r.handoffs,
                r.reworks, r.wait_h, outcome,
            )  # fmt: skip

    def __len__(self) -> int:
        return len(self.rows) // ROW.size

    def frame(self, in_progress: Iterable[Request] = ()) -> pd.DataFrame:
        """One row per request, with kinds, levels and outcomes as categories.

        Args:
            in_progress: requests still in the organisation, appended with the outcome
                ``in_progress`` (no delivery, ``NaN`` times for what has not happened),
                so that the table holds every request created.
        """
        unfinished = b"".join(self._unfinished(r) for r in in_progress) if self.keep else b""
        # Each column is copied once out of both buffers (``concatenate`` copies): the log
        # itself is neither copied whole nor pinned by a view, so it may grow further.
        ended = np.frombuffer(self.rows, dtype=ROW_DTYPE)
        pending = np.frombuffer(unfinished, dtype=ROW_DTYPE)
        frame = pd.DataFrame(
            {name: np.concatenate([ended[name], pending[name]]) for name in COLUMNS}
        )
        del ended
        frame["kind"] = pd.Categorical.from_codes(frame["kind"], categories=self.kinds)
        frame["level_name"] = pd.Categorical.from_codes(frame["level"], categories=self.levels)
        frame["outcome"] = pd.Categorical.from_codes(frame["outcome"], categories=OUTCOMES)
        frame["response_h"] = frame["delivered_h"] - frame["created_h"]
        undecided = frame["outcome"] == "in_progress"
        frame["correct"] = (frame["accepted"] == frame["good"]).astype("boolean").mask(undecided)
        return frame

    def _unfinished(self, r: Request) -> bytes:
        decided_h = r.decided_h if r.decided_h >= 0 else math.nan
        return self._pack(
            r.id, r.account, r.kind, r.value, r.good, r.created_h, decided_h, math.nan,
            r.level, r.decider_id, r.authority, r.accepted, r.hops, r.handoffs, r.reworks,
            r.wait_h, OUTCOME_IN_PROGRESS,
        )  # fmt: skip

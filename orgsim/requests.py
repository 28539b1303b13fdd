"""A request in flight, and the columnar log of requests that have ended.

A :class:`Request` lives only while it is being worked; when it ends, its figures are
appended to the typed arrays of :class:`RequestLog` (8 bytes or less a field, no
Python object per value) and the object is dropped, so memory grows with the log's
rows, not with objects.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from orgsim.agents import Customer, Employee

OUTCOME_RESOLVED = 0
OUTCOME_ABANDONED = 1
"""The customer had left before the answer came back."""


class Request:
    """One customer request and where it stands."""

    __slots__ = (
        "accepted",
        "authority",
        "climb",
        "created_h",
        "customer",
        "decided_h",
        "decider_id",
        "distance",
        "employee",
        "expected_h",
        "good",
        "handoffs",
        "hops",
        "id",
        "kind",
        "level",
        "pending",
        "reworks",
        "route",
        "service_h",
        "stage",
        "value",
        "votes",
        "wait_h",
        "work_h",
    )

    def __init__(
        self,
        request_id: int,
        customer: Customer,
        kind: int,
        value: float,
        good: bool,
        work_h: float,
        expected_h: float,
        created_h: float,
    ) -> None:
        self.id = request_id
        self.customer = customer
        self.employee: Employee = customer.contact
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
        # Escalation state: the decision points still ahead, the one in hand (stage),
        # and the votes and reviews outstanding there.
        self.route: list[Any] = []
        self.stage: Any = None
        self.votes = self.pending = self.climb = self.distance = 0
        self.wait_h = self.service_h = 0.0


_COLUMNS: dict[str, str] = {
    "request_id": "q",
    "customer_id": "q",
    "kind": "h",
    "value": "d",
    "good": "b",
    "created_h": "d",
    "decided_h": "d",
    "delivered_h": "d",
    "level": "h",
    "decider_id": "q",
    "authority": "d",
    "accepted": "b",
    "hops": "h",
    "handoffs": "h",
    "reworks": "h",
    "outcome": "b",
}
"""Column name to array typecode: q int64, h int16, b int8, d float64."""

_DTYPES = {"q": np.int64, "h": np.int16, "b": np.int8, "d": np.float64}


class RequestLog:
    """Ended requests as typed columns; :meth:`frame` turns them into a DataFrame."""

    def __init__(self, kinds: list[str], levels: list[str], keep: bool = True) -> None:
        self.kinds = kinds
        self.levels = levels
        self.keep = keep
        self.columns = {name: array(code) for name, code in _COLUMNS.items()}
        self._append = [self.columns[name].append for name in _COLUMNS]

    def record(self, request: Request, delivered_h: float, outcome: int) -> None:
        """Append one ended request (nothing if the log is switched off)."""
        if not self.keep:
            return
        r = request
        row = (
            r.id, r.customer.account, r.kind, r.value, r.good, r.created_h, r.decided_h,
            delivered_h, r.level, r.decider_id, r.authority, r.accepted, r.hops, r.handoffs,
            r.reworks, outcome,
        )  # fmt: skip
        for append, value in zip(self._append, row, strict=True):
            append(value)

    def __len__(self) -> int:
        return len(self.columns["request_id"])

    def frame(self) -> pd.DataFrame:
        """One row per ended request, with kinds and levels as categories."""
        frame = pd.DataFrame(
            {name: _numpy(self.columns[name], code) for name, code in _COLUMNS.items()}
        )
        for flag in ("good", "accepted"):
            frame[flag] = frame[flag].astype(bool)
        frame["kind"] = pd.Categorical.from_codes(frame["kind"], categories=self.kinds)
        frame["level_name"] = pd.Categorical.from_codes(frame["level"], categories=self.levels)
        frame["outcome"] = pd.Categorical.from_codes(
            frame["outcome"], categories=["resolved", "abandoned"]
        )
        frame["response_h"] = frame["delivered_h"] - frame["created_h"]
        frame["correct"] = frame["accepted"] == frame["good"]
        return frame


def _numpy(column: array, code: str) -> np.ndarray:
    """A copy (a view would pin the array's buffer and forbid further appends)."""
    return np.array(column, dtype=_DTYPES[code])

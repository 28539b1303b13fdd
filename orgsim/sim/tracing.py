"""An optional trace of every request's steps, for an event log (process mining).

The request life calls its ``trace`` only when a run is asked for an event log; off,
it is ``None`` and each step costs one attribute test. The trace draws no random
number and changes no state, so a run's figures are identical with it on or off.
Rows are kept in typed arrays (``array``: 8 bytes a number), not Python objects.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.requests import Request

ACTIVITIES = (
    "Create request",
    "Work request",
    "Escalate",
    "Review",
    "Decide",
    "Send back for rework",
    "Deliver answer",
    "Close case",
    "Dispatch request",
)
"""What a step is called in the log, by code (the code is the index)."""
CREATE, WORK, ESCALATE, REVIEW, DECIDE, REWORK, DELIVER, CLOSE, DISPATCH = range(len(ACTIVITIES))

NOBODY = -1
"""The agent id of a step no one in the organisation does (the customer's request)."""


class Trace:
    """Every traced step of every request: request id, kind, activity, time and agent."""

    def __init__(self, loop: EventLoop) -> None:
        self.loop = loop
        self.request = array("q")
        self.kind = array("h")
        self.activity = array("b")
        self.time_h = array("d")
        self.agent = array("q")

    def __call__(
        self, activity: int, request: Request, agent_id: int = NOBODY, at_h: float | None = None
    ) -> None:
        """Record that ``request`` went through ``activity`` now (or at ``at_h``), by ``agent_id``.

        Employees' ideas (no account, negative ids) take the route too but are no
        customer's case: they are left out.
        """
        if request.id < 0:
            return
        self.request.append(request.id)
        self.kind.append(request.kind)
        self.activity.append(activity)
        self.time_h.append(self.loop.now if at_h is None else at_h)
        self.agent.append(agent_id)

    def __len__(self) -> int:
        return len(self.request)

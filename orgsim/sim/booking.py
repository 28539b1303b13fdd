"""Hours booked at people's desks for what is not a customer's request.

Meetings, coordination, coaching and advice take people's working time: each is a job
on the person's station, queued like a request, so that the time comes out of the
hours left for customers. A :class:`Timesheet` adds the hours up by activity after the
warm-up, so that the cost of deciding can price everyone's hours.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.stations import Station


@dataclass(slots=True)
class Errand:
    """A booked job on someone's desk: a meeting, a coordination slot, a coaching session."""

    wait_h: float = 0.0  # the desk adds the time it waited before starting


def _done(_: Errand, __: object) -> None:
    """The errand is over: nothing follows from it."""


class Timesheet:
    """Hours people spent on each activity other than customers' requests, after the warm-up.

    Args:
        loop: the event loop (its clock decides whether an hour counts).
        warmup_h: hours booked before this are not counted.
    """

    def __init__(self, loop: EventLoop, warmup_h: float) -> None:
        self.loop = loop
        self.warmup_h = warmup_h
        self.hours: defaultdict[str, float] = defaultdict(float)

    def count(self, activity: str, hours: float) -> None:
        """Add ``hours`` spent on ``activity`` (a job booked elsewhere, e.g. an advice)."""
        if self.loop.now >= self.warmup_h:
            self.hours[activity] += hours

    def book(self, station: Station, hours: float, activity: str) -> None:
        """Queue ``hours`` of ``activity`` at ``station`` and count them."""
        occupy(station, hours)
        self.count(activity, hours)


def occupy(station: Station, hours: float) -> None:
    """Queue ``hours`` at ``station`` without counting them (a manager's paid time)."""
    station.submit(hours, _done, Errand())

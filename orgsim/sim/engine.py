"""The discrete-event core: a clock and a heap of timed callbacks.

Mesa 3.5's own event list runs a single-server queue at a few hundred thousand
events a second and holds callbacks by weak reference; a bare ``heapq`` of tuples
runs several times faster. orgsim's model therefore keeps its own loop, and Mesa's
``step()`` advances it one sampling interval at a time (see :mod:`orgsim.sim.model`).

An event is a tuple ``(time_h, sequence, callback, argument)``: the sequence number
breaks ties first-scheduled-first, so equal-time events run in a reproducible order
and the callbacks are never compared.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from itertools import count
from typing import Any

Callback = Callable[[Any], None]


class EventLoop:
    """A clock in working hours and the events scheduled on it.

    Attributes:
        now: current simulated time in hours; it never decreases.
        processed: number of events run so far.
        heap: the scheduled events. Public so that a station on the hot path can push
            ``(time_h, next(sequence), callback, argument)`` without a call of its own.
        sequence: the tie-breaking counter.
    """

    __slots__ = ("heap", "now", "processed", "sequence")

    def __init__(self) -> None:
        self.heap: list[tuple[float, int, Callback, Any]] = []
        self.sequence = count()
        self.now = 0.0
        self.processed = 0

    def schedule(self, time_h: float, callback: Callback, argument: Any = None) -> None:
        """Run ``callback(argument)`` at ``time_h`` (not before now)."""
        if time_h < self.now:
            raise ValueError(f"cannot schedule at {time_h} h, the clock is at {self.now} h")
        heappush(self.heap, (time_h, next(self.sequence), callback, argument))

    def after(self, delay_h: float, callback: Callback, argument: Any = None) -> None:
        """Run ``callback(argument)`` ``delay_h`` hours from now; at once if the delay is 0."""
        if delay_h == 0:
            callback(argument)
        else:
            heappush(self.heap, (self.now + delay_h, next(self.sequence), callback, argument))

    def run_until(self, end_h: float) -> None:
        """Run every event due up to and including ``end_h``, then set the clock to it."""
        heap = self.heap
        processed = 0
        # Pop first, and put back the one event beyond end_h: a peek at heap[0][0] before
        # every pop would cost more than that single push.
        while heap:
            event = heappop(heap)
            time_h, _, callback, argument = event
            if time_h > end_h:
                heappush(heap, event)
                break
            self.now = time_h
            callback(argument)
            processed += 1
        self.processed += processed
        if self.now < end_h:
            self.now = end_h

    @property
    def pending(self) -> int:
        """Number of events scheduled but not yet run."""
        return len(self.heap)

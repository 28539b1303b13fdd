"""A station: a FIFO queue in front of one or more servers, with its own bookkeeping.

Every place where a request waits for a person is a station: an employee's desk, a
team's pooled queue (M/M/c), a manager's in-tray. A station keeps what Little's law
and utilisation need: the time-integral of the number present, arrivals,
departures, time in system and busy time, all since :meth:`Station.reset_statistics`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from heapq import heappush
from typing import Any

from orgsim.sim.engine import EventLoop

Done = Callable[[Any, Any], None]
Job = tuple[float, Done, Any, float, Any]
"""``(duration_h, done, item, arrived_h, by)``."""


class Station:
    """A FIFO queue with ``servers`` identical servers.

    A job is ``(duration_h, done, item, by)``: when a server has spent ``duration_h`` on
    it, ``done(item, by)`` is called (``by`` says whose review it was, where one
    request is reviewed by several people). When a queued job starts, the hours it
    waited in line are added to ``item.wait_h``; a job that never queued adds exactly 0.
    A station can be paused (an absent manager, a meeting): it finishes the job in hand
    but starts no new one until every pause has ended.
    """

    __slots__ = (
        "_heap",
        "_loop",
        "_sequence",
        "area",
        "arrivals",
        "blocks",
        "busy",
        "busy_h",
        "departures",
        "last_change_h",
        "name",
        "present",
        "queue",
        "servers",
        "since_h",
        "sojourn_h",
    )

    def __init__(self, loop: EventLoop, name: str, servers: int = 1) -> None:
        self._loop = loop
        # Bound once: the hot path pushes events without an attribute chain.
        self._heap = loop.heap
        self._sequence = loop.sequence
        self.name = name
        self.servers = servers
        self.busy = 0
        self.blocks = 0  # absences and meetings under way: no new job starts while any is
        self.queue: deque[Job] = deque()
        self.present = 0
        self.reset_statistics()

    def reset_statistics(self) -> None:
        """Start measuring afresh from now (the end of the warm-up)."""
        self.since_h = self.last_change_h = self._loop.now
        self.area = self.busy_h = self.sojourn_h = 0.0
        self.arrivals = self.departures = 0

    def submit(self, duration_h: float, done: Done, item: Any, by: Any = None) -> None:
        """Queue a job; it starts at once if a server is free."""
        now = self._loop.now
        present = self.present
        self.area += present * (now - self.last_change_h)
        self.last_change_h = now
        self.present = present + 1
        self.arrivals += 1
        job = (duration_h, done, item, now, by)
        if self.busy < self.servers and not self.blocks:
            self.busy += 1
            if duration_h == 0:
                self._finish(job)  # nothing to wait for: spare the heap an event
            else:
                event = (now + duration_h, next(self._sequence), self, job)
                heappush(self._heap, event)
        else:
            self.queue.append(job)

    def _finish(self, job: Job) -> None:
        """A server is done with ``job``: account for it, take the next, report it done."""
        duration_h, done, item, arrived_h, by = job
        now = self._loop.now
        present = self.present
        self.area += present * (now - self.last_change_h)
        self.last_change_h = now
        self.present = present - 1
        self.departures += 1
        self.busy_h += duration_h
        self.sojourn_h += now - arrived_h
        queue = self.queue
        if queue and not self.blocks:
            # Scheduled even at zero duration: finishing inline here would recurse once per
            # queued job.
            following = queue.popleft()
            following[2].wait_h += now - following[3]
            heappush(self._heap, (now + following[0], next(self._sequence), self, following))
        else:
            self.busy -= 1
        done(item, by)

    __call__ = _finish
    """A job's end is an event whose callback is the station itself: the express loop
    (:mod:`orgsim.sim.express`) tells it from other events by its class."""

    def pause(self) -> None:
        """Start no new job until a matching :meth:`resume` (the job in hand is finished)."""
        self.blocks += 1

    def resume(self) -> None:
        """End one pause; when none is left, start whatever waits on every free server."""
        self.blocks -= 1
        loop = self._loop
        while self.queue and self.busy < self.servers and not self.blocks:
            self.busy += 1
            job = self.queue.popleft()
            job[2].wait_h += loop.now - job[3]
            heappush(loop.heap, (loop.now + job[0], next(loop.sequence), self, job))

    def statistics(self) -> dict[str, float | int | str]:
        """Little's-law figures since the last reset, as one flat record."""
        now = self._loop.now
        elapsed = now - self.since_h
        area = self.area + self.present * (now - self.last_change_h)
        return {
            "station": self.name,
            "servers": self.servers,
            "elapsed_h": elapsed,
            "arrivals": self.arrivals,
            "departures": self.departures,
            "mean_in_system": area / elapsed if elapsed > 0 else 0.0,
            "arrival_rate_per_h": self.arrivals / elapsed if elapsed > 0 else 0.0,
            "mean_sojourn_h": self.sojourn_h / self.departures if self.departures else 0.0,
            "mean_wait_h": (self.sojourn_h - self.busy_h) / self.departures
            if self.departures
            else 0.0,
            "busy_h": self.busy_h,
            "utilisation": self.busy_h / (elapsed * self.servers) if elapsed > 0 else 0.0,
            "in_system_at_end": self.present,
        }

"""Dispatchers before the worker, closers after the answer (``structure.intake``).

A share of requests is first received by a dispatcher, who triages it and hands it to
the account's worker; a share is taken in charge by that worker and passed to a
colleague of the team, who works it (a transfer); a share is closed after the answer
by a closer (a back office), or by the worker who answered. Dispatchers are one pool
of servers with one FIFO queue, and so are closers (M/M/c when their times are
exponential: Erlang 1917; in series with the workers, a Jackson network: Jackson 1957).
A pass to another person is a hand-off, counted in the request log and the customer's
experience before the answer is judged; the closer's too, since it is decided when the
answer is given.

Which person of a pool signs an event (for the event log) goes round in turn: the pool
is one queue, so it is a name, not a different capacity. Shares and times are drawn
from two children of ``work`` spawned only when the group is on, so that no other
stream shifts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from orgsim.scenario.distributions import uniform_sampler
from orgsim.sim.stations import Station
from orgsim.sim.tracing import CLOSE, DISPATCH, NOBODY, WORK

if TYPE_CHECKING:
    import numpy as np

    from orgsim.scenario.intake import Intake
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.requests import Request
    from orgsim.sim.tracing import Trace


class Life(Protocol):
    """What the desks need of the request life (:class:`orgsim.sim.life.RequestLife`)."""

    trace: Trace | None

    def wait_then_work(self, request: Request, wait_h: float) -> None:
        """Send ``request`` to its worker after ``wait_h``."""


class Pool:
    """One desk's people: a multi-server station and the ids that sign its events in turn."""

    def __init__(self, loop: EventLoop, role: str, person: str, people: int, first_id: int) -> None:
        self.station = Station(loop, role, people)
        self.ids = [first_id - k for k in range(people)]
        self.names = {agent: (f"{person} {k + 1}", role) for k, agent in enumerate(self.ids)}
        self._served = 0

    def signer(self) -> int:
        """The id of whoever of the pool did the job just done."""
        agent = self.ids[self._served % len(self.ids)]
        self._served += 1
        return agent


class IntakeDesks:
    """Routes a share of requests through dispatchers before work and closers after it."""

    def __init__(self, spec: Intake, loop: EventLoop, life: Life, rng: np.random.Generator) -> None:
        shares, times = rng.spawn(2)
        self.spec = spec
        self.loop = loop
        self.life = life
        self._chance = uniform_sampler(shares)
        self._dispatch_h = spec.dispatch.time_h.sampler(times)
        self._transfer_h = spec.transfer.time_h.sampler(times)
        self._close_h = spec.closing.time_h.sampler(times)
        first = NOBODY - 1  # below every Mesa id and the customer's
        self.dispatchers = Pool(loop, "dispatch", "dispatcher", spec.dispatch.people, first)
        self.closers = Pool(
            loop, "closing", "closer", spec.closing.people, first - spec.dispatch.people
        )

    @property
    def names(self) -> dict[int, tuple[str, str]]:
        """Each dispatcher's and closer's resource name and group, by id."""
        return self.dispatchers.names | self.closers.names

    @property
    def stations(self) -> list[Station]:
        """The stations of the pools some requests pass, for their utilisation."""
        pools = [(self.spec.dispatch, self.dispatchers)]
        if not self.spec.closing.same_person:
            pools.append((self.spec.closing, self.closers))
        return [pool.station for desk, pool in pools if desk.share > 0]

    def start(self) -> None:
        """Nothing to schedule: requests come to the desks."""

    def receive(self, request: Request, wait_h: float) -> None:
        """A new request: to a dispatcher (its share), then after ``wait_h`` to its worker."""
        share = self.spec.dispatch.share
        if share > 0 and self._chance() < share:
            self.dispatchers.station.submit(self._dispatch_h(), self._dispatched, request, wait_h)
        else:
            self._onward(request, wait_h)

    def _dispatched(self, request: Request, wait_h: float) -> None:
        request.handoffs += 1
        signer = self.dispatchers.signer()
        if self.life.trace is not None:
            self.life.trace(DISPATCH, request, signer)
        self._onward(request, wait_h)

    def _onward(self, request: Request, wait_h: float) -> None:
        """After ``wait_h``, to the worker; for the transfer share, first taken in charge."""
        share = self.spec.transfer.share
        if share > 0 and len(request.employee.team.members) > 1 and self._chance() < share:
            self.loop.after(wait_h, self._take_in_charge, request)
        else:
            self.life.wait_then_work(request, wait_h)

    def _take_in_charge(self, request: Request) -> None:
        request.employee.station.submit(self._transfer_h(), self._transferred, request)

    def _transferred(self, request: Request, _: object = None) -> None:
        """Taken in charge: passed to a colleague drawn at random, who does the work."""
        first = request.employee
        if self.life.trace is not None:
            self.life.trace(WORK, request, first.unique_id)
        members = first.team.members
        pick = int(self._chance() * (len(members) - 1))
        if pick >= members.index(first):
            pick += 1
        request.employee = members[pick]
        request.handoffs += 1
        self.life.wait_then_work(request, 0.0)

    def close(self, request: Request) -> bool:
        """Whether someone closes ``request`` after its answer; if so, schedules it.

        The closing starts at the kind's closing window (``close_after_h`` from creation)
        or at once, whichever is later.
        """
        closing = self.spec.closing
        if closing.share == 0 or self._chance() >= closing.share:
            return False
        if not closing.same_person:
            request.handoffs += 1
        window_h = request.created_h + request.close_after_h - self.loop.now
        self.loop.after(max(window_h, 0.0), self._to_closer, request)
        return True

    def _to_closer(self, request: Request) -> None:
        if self.spec.closing.same_person:
            station = request.employee.station
        else:
            station = self.closers.station
        station.submit(self._close_h(), self._closed, request)

    def _closed(self, request: Request, _: object = None) -> None:
        if self.spec.closing.same_person:
            signer = request.employee.unique_id
        else:
            signer = self.closers.signer()
        if self.life.trace is not None:
            self.life.trace(CLOSE, request, signer)

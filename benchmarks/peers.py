"""Peer simulators for the tandem-approval benchmark.

The workload is a Jackson tandem network: three single-server FIFO approval
layers in series, Poisson arrivals at rate ``lam`` and exponential service at
rate ``mus[k]`` in layer ``k``. With ``lam=0.8`` and ``mu=1.0`` everywhere the
mean response (sojourn through all layers) is ``sum(1 / (mu_k - lam)) = 15.0``.

Each peer runs the same workload and returns a :class:`PeerResult`:

* :func:`run_heapq` -- a minimal plain-Python ``heapq`` event loop (the floor).
* :func:`run_bespoke` -- this one chain hand-written with orgsim's work per request
  (stations' books, votes, satisfaction, the log row): not a peer, the ceiling of
  any engine that does that work in CPython.
* :func:`run_bespoke_objects` -- the same, a request and a station held as objects
  (lean slotted ones, or orgsim's own ``Request`` and ``Station``): the ceiling of an
  engine that keeps the model's state in objects.
* :func:`run_simpy` -- an idiomatic SimPy 4.1 model, one ``Resource`` per layer
  (processes written as generators: SimPy's documented style).
* :func:`run_simpy_callbacks` -- SimPy 4.1 with plain callbacks on timeouts and a
  deque per layer, no processes and no ``Resource``: the fastest way to use SimPy.
* :func:`run_ciw` -- a Ciw 3.2 network.
* :func:`run_mesa` -- a Mesa 3.5 model on its discrete-event simulator
  (``mesa.experimental.devs.DEVSimulator``), written in the callback style.

"Logical events" are arrivals plus service completions, i.e. ``4`` per request
with three layers. The first 10% of requests (by arrival order) are a warm-up
and are excluded from the mean response. All peers are top-level functions with
the same signature so they can be pickled and run in worker processes.

Run ``python benchmarks/peers.py --requests 200000 --repeats 3`` for the table.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import math
import statistics
import struct
import time
import warnings
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from functools import partial
from typing import Any

import ciw
import mesa
import numpy as np
import simpy
from mesa.experimental.devs import DEVSimulator

WARMUP_FRACTION = 0.1
DEFAULT_LAM = 0.8
DEFAULT_MUS = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class PeerResult:
    """Outcome of one peer run.

    Attributes:
        name: Peer name, e.g. ``"heapq"``.
        n_requests: Number of requests generated.
        logical_events: Arrivals plus service completions actually simulated.
        wall_s: Wall-clock seconds of the timed section (see each peer).
        mean_response_h: Mean sojourn through all layers, warm-up excluded.
    """

    name: str
    n_requests: int
    logical_events: int
    wall_s: float
    mean_response_h: float


def jackson_mean_response(lam: float, mus: tuple[float, ...]) -> float:
    """Return the theoretical mean sojourn of an M/M/1 tandem (Jackson) network.

    Args:
        lam: Poisson arrival rate.
        mus: Service rate of each layer; each must exceed ``lam``.

    Returns:
        ``sum(1 / (mu - lam))`` over the layers.
    """
    return sum(1.0 / (mu - lam) for mu in mus)


def _warmup_mean(responses: np.ndarray) -> float:
    """Return the mean of ``responses`` after dropping the warm-up prefix.

    Args:
        responses: Per-request response times in arrival order.

    Returns:
        Mean over requests after the first ``WARMUP_FRACTION`` of them.
    """
    skip = int(len(responses) * WARMUP_FRACTION)
    return float(np.mean(responses[skip:]))


def _draw(
    n_requests: int, lam: float, mus: tuple[float, ...], seed: int
) -> tuple[list[float], list[list[float]]]:
    """Draw all random numbers up front with one numpy Generator.

    Args:
        n_requests: Number of requests.
        lam: Poisson arrival rate.
        mus: Service rate of each layer.
        seed: Seed for ``numpy.random.default_rng``.

    Returns:
        Absolute arrival times, and per-layer service times indexed by request,
        both as Python lists (list indexing is much cheaper than numpy scalars).
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / lam, n_requests))
    scales = 1.0 / np.asarray(mus, dtype=float)[:, None]
    services = rng.exponential(1.0, (len(mus), n_requests)) * scales
    return arrivals.tolist(), services.tolist()


# --------------------------------------------------------------------- heapq


def _heapq_loop(arrivals: list[float], services: list[list[float]]) -> tuple[list[float], int]:
    """Run the tandem network as a single-heap event loop.

    Events are ``(time, stage, request)`` tuples. Stage ``0`` is the external
    arrival of ``request``; stage ``k >= 1`` is its service completion in layer
    ``k - 1``. Only the next external arrival is ever in the heap, so the heap
    holds at most ``len(services) + 1`` events. Each layer's deque holds the
    request in service at its head, so a non-empty deque is the busy flag. The
    event that follows from the head event (next arrival, next service start)
    replaces it in one ``heapreplace`` sift instead of a pop and a push.

    Args:
        arrivals: Absolute arrival times, sorted.
        services: ``services[k][i]`` is request ``i``'s service time in layer ``k``.

    Returns:
        Per-request response times and the number of events processed.
    """
    n, last = len(arrivals), len(services)
    queues = [deque() for _ in services]
    response = [0.0] * n
    heap = [(arrivals[0], 0, 0)]
    pop, push, replace = heapq.heappop, heapq.heappush, heapq.heapreplace
    events = 0
    while heap:
        t, stage, req = heap[0]
        events += 1
        if stage:  # service completion in layer stage - 1
            q = queues[stage - 1]
            q.popleft()
            if q:
                nxt = q[0]
                replace(heap, (t + services[stage - 1][nxt], stage, nxt))
            else:
                pop(heap)
            if stage == last:
                response[req] = t - arrivals[req]
                continue
        elif req + 1 < n:  # external arrival: the next one takes its place
            replace(heap, (arrivals[req + 1], 0, req + 1))
        else:
            pop(heap)
        q = queues[stage]  # join layer `stage`
        q.append(req)
        if len(q) == 1:
            push(heap, (t + services[stage][req], stage + 1, req))
    return response, events


def run_heapq(n_requests: int, lam: float, mus: tuple[float, ...], seed: int) -> PeerResult:
    """Run the floor: a minimal plain-Python ``heapq`` event loop.

    Timed: the vectorised numpy draws (and their conversion to lists) plus the
    event loop to completion. Not timed: the warm-up-excluded mean.

    Args:
        n_requests: Number of requests to generate.
        lam: Poisson arrival rate.
        mus: Service rate of each layer.
        seed: Seed for ``numpy.random.default_rng``.

    Returns:
        The run's :class:`PeerResult`.
    """
    return _run_loop("heapq", _heapq_loop, n_requests, lam, mus, seed, with_votes=False)


def _run_loop(
    name: str,
    loop: Callable[..., tuple[list[float], int]],
    n_requests: int,
    lam: float,
    mus: tuple[float, ...],
    seed: int,
    with_votes: bool,
) -> PeerResult:
    """Run a hand-written loop and time it.

    Timed: the vectorised draws (the votes too, if the loop takes them) and the loop
    to completion. Not timed: the warm-up-excluded mean.
    """
    start = time.perf_counter()
    arrivals, services = _draw(n_requests, lam, mus, seed)
    if with_votes:
        votes = np.random.default_rng(seed + 1).random(n_requests * len(mus)).tolist()
        response, events = loop(arrivals, services, votes)
    else:
        response, events = loop(arrivals, services)
    wall = time.perf_counter() - start
    return PeerResult(name, n_requests, events, wall, _warmup_mean(np.asarray(response)))


# ---------------------------------------------------- bespoke: orgsim's work

_ROW = struct.Struct("<qqhd?dddhqd?hhhdb")
"""orgsim's packed log row (:data:`orgsim.sim.requests.ROW`: 17 fields, 85 bytes)."""


def _bespoke_start(arrivals: list[float], votes: list[float]) -> tuple[Any, ...]:
    """What a bespoke loop starts from.

    The responses, the log and its row's packer, the heap with the first arrival and
    its functions, the tie-breaking sequence and the votes.
    """
    heap = [(arrivals[0], 0, 0, 0)]
    response = [0.0] * len(arrivals)
    sequence = itertools.count(1).__next__
    return (
        response,
        bytearray(),
        _ROW.pack,
        heap,
        heapq.heappop,
        heapq.heappush,
        sequence,
        iter(votes).__next__,
    )


def _bespoke_loop(
    arrivals: list[float], services: list[list[float]], votes: list[float]
) -> tuple[list[float], int]:
    """Run the chain as one function doing orgsim's per-request work, and no more.

    What orgsim does for each request of this scenario, written for this scenario
    alone: a record per request in flight (a list) kept by id, the Little's-law books
    of every station at each arrival and departure (area, arrivals, departures, busy
    and sojourn hours, the wait of a queued job), the worker's desk (no work: in and
    out at once), a vote per review (everyone is right: skill 1), the customer's
    judgement (logistic worth, satisfaction moved, the running sum), the counts of
    answers, and the packed log row. No scenario, no mechanisms, no model objects:
    the ceiling of any general engine doing this work in CPython. Events are
    ``(time, sequence, code, argument)``, integer codes dispatched inline.

    Returns:
        Per-request response times and the number of events processed.
    """
    n, last = len(arrivals), len(services)
    stations = last + 1  # the desk, then one per layer
    area, changed, present = [0.0] * stations, [0.0] * stations, [0] * stations
    entered, left, busy = [0] * stations, [0] * stations, [0] * stations
    busy_h, sojourn_h = [0.0] * stations, [0.0] * stations
    queues: list[deque] = [deque() for _ in range(stations)]
    response, rows, pack, heap, pop, push, sequence, vote = _bespoke_start(arrivals, votes)
    in_flight: dict[int, list] = {}
    satisfaction, total, answers, answered_h, events = 0.75, 0.75, 0, 0.0, 0
    while heap:
        now, _, code, argument = pop(heap)
        events += 1
        if code:  # a review ends at layer `code`
            station = code
            duration, request, arrived = argument
            p = present[station]
            area[station] += p * (now - changed[station])
            changed[station] = now
            present[station] = p - 1
            left[station] += 1
            busy_h[station] += duration
            sojourn_h[station] += now - arrived
            queue = queues[station]
            if queue:
                following = queue.popleft()
                following[1][4] += now - following[2]
                push(heap, (now + following[0], sequence(), station, following))
            else:
                busy[station] -= 1
            request[5] += 1  # the reviews at this stage
            approved = vote() < 1.0  # skill 1: right every time
            if approved and station < last:
                stage = station + 1
            else:  # decided: signed, answered, judged and logged
                request[6], request[7], request[8] = station, now, approved
                del in_flight[request[0]]
                response_h = now - request[1]
                answers += 1
                answered_h += response_h
                worth = 1.0 / (1.0 + math.exp(min(2.0 * (response_h - 1.0), 700.0)))
                experience = max(0.0, worth - 0.0 * request[3])
                before = satisfaction
                rate = 0.1 if experience >= before else 0.25
                satisfaction = before + rate * (experience - before)
                total += satisfaction - before
                response[request[0]] = response_h
                rows += pack(
                    request[0], 0, 0, 1.0, True, request[1], now, now, station, station,
                    math.inf, approved, request[3], request[3], 0, request[4], 0,
                )  # fmt: skip
                continue
        else:  # an arrival: the next is scheduled, the request created, at the desk at once
            number = argument
            if number + 1 < n:
                push(heap, (arrivals[number + 1], sequence(), 0, number + 1))
            request = [number, now, 1.0, 0, 0.0, 0, -1, -1.0, False]
            in_flight[number] = request
            area[0] += present[0] * (now - changed[0])
            changed[0] = now
            entered[0] += 1
            left[0] += 1
            stage = 1
        request[3] += 1  # a hop up, to layer `stage`
        request[5] = 0
        duration = services[stage - 1][request[0]]
        p = present[stage]
        area[stage] += p * (now - changed[stage])
        changed[stage] = now
        present[stage] = p + 1
        entered[stage] += 1
        job = (duration, request, now)
        if not busy[stage]:
            busy[stage] = 1
            push(heap, (now + duration, sequence(), stage, job))
        else:
            queues[stage].append(job)
    return response, events


def run_bespoke(n_requests: int, lam: float, mus: tuple[float, ...], seed: int) -> PeerResult:
    """Run :func:`_bespoke_loop`: this one chain with orgsim's work, as one function.

    Timed as :func:`run_heapq` (the draws, votes included, and the loop).

    Args:
        n_requests: Number of requests to generate.
        lam: Poisson arrival rate.
        mus: Service rate of each layer.
        seed: Seed for ``numpy.random.default_rng``.

    Returns:
        The run's :class:`PeerResult`.
    """
    return _run_loop("bespoke", _bespoke_loop, n_requests, lam, mus, seed, with_votes=True)


class _Record:
    """A request's record with the fields the chain needs and no more (a lean slotted object)."""

    __slots__ = ("accepted", "created_h", "decided_h", "hops", "id", "level", "pending", "wait_h")

    def __init__(self, request_id: int, *fields: object) -> None:
        self.id, self.created_h = request_id, fields[-1]
        self.hops = self.pending = self.level = 0
        self.wait_h, self.decided_h, self.accepted = 0.0, -1.0, False


class _Books:
    """A station's books (Little's law) and queue, and no more (a lean slotted object)."""

    __slots__ = ("area", "arrivals", "busy", "busy_h", "departures", "last_change_h", "present")
    __slots__ += ("queue", "sojourn_h")

    def __init__(self, *_: object) -> None:
        self.area = self.busy_h = self.sojourn_h = self.last_change_h = 0.0
        self.present = self.arrivals = self.departures = self.busy = 0
        self.queue: deque = deque()


def _bespoke_objects_loop(
    arrivals: list[float],
    services: list[list[float]],
    votes: list[float],
    record: Callable[..., Any],
    books: Callable[..., Any],
) -> tuple[list[float], int]:
    """Run :func:`_bespoke_loop`'s chain with its state in objects, and orgsim's draws.

    The same events, books, votes, judgement and log row, each request a
    ``record(id, account, employee, kind, value, good, work_h, expected_h, created_h)``
    and each station a ``books(loop, name)``: lean slotted objects (:class:`_Record`,
    :class:`_Books`), or orgsim's own :class:`~orgsim.sim.requests.Request` and
    :class:`~orgsim.sim.stations.Station`. It also does the work of orgsim's that
    :func:`_bespoke_loop` leaves out: an arrival's account, kind, value, work and truth
    drawn from orgsim's samplers, its :class:`~orgsim.sim.tallies.Counts`, and the delay
    curve as a :class:`~orgsim.scenario.behaviour.Logistic`. Beside :func:`_bespoke_loop`
    it measures what that work and the model's objects cost, whatever the engine. The
    books repeat :class:`~orgsim.sim.stations.Station`'s line for line, inline: a call
    would add the cost this loop is here to leave out.

    Returns:
        Per-request response times and the number of events processed.
    """
    from orgsim.scenario.behaviour import Logistic
    from orgsim.scenario.distributions import (
        choice_sampler,
        constant,
        integer_sampler,
        uniform_sampler,
    )
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.tallies import Counts

    rng = np.random.default_rng(len(votes))
    draw_account, draw_kind = integer_sampler(rng, 1_000), choice_sampler(rng, [1.0])
    values, works, truth = [constant(1.0)], [constant(0.0)], uniform_sampler(rng)
    counts, worth_of = Counts(), Logistic(steepness=2.0).worth
    n, last, loop = len(arrivals), len(services), EventLoop()
    stations = [books(loop, str(k)) for k in range(last + 1)]  # the desk, then the layers
    response, rows, pack, heap, pop, push, sequence, vote = _bespoke_start(arrivals, votes)
    satisfaction, total, answers, answered_h, events = 0.75, 0.75, 0, 0.0, 0
    in_flight: dict[int, Any] = {}
    while heap:
        now, _, code, argument = pop(heap)
        events += 1
        if code:  # a review ends at layer `code`
            station = stations[code]
            duration, request, arrived = argument
            present = station.present
            station.area += present * (now - station.last_change_h)
            station.last_change_h = now
            station.present = present - 1
            station.departures += 1
            station.busy_h += duration
            station.sojourn_h += now - arrived
            queue = station.queue
            if queue:
                following = queue.popleft()
                following[1].wait_h += now - following[2]
                push(heap, (now + following[0], sequence(), code, following))
            else:
                station.busy -= 1
            request.pending += 1
            approved = vote() < 1.0  # skill 1: right every time
            if approved and code < last:
                stage = code + 1
            else:  # decided: signed, answered, judged and logged
                request.level, request.decided_h, request.accepted = code, now, approved
                del in_flight[request.id]
                response_h = now - request.created_h
                answers += 1
                answered_h += response_h
                counts.in_flight -= 1
                counts.resolved += 1
                counts.interval_answers += 1
                counts.interval_response_h += response_h
                experience = max(0.0, worth_of(response_h / 1.0) - 0.0 * request.hops)
                before = satisfaction
                rate = 0.1 if experience >= before else 0.25
                satisfaction = before + rate * (experience - before)
                total += satisfaction - before
                response[request.id] = response_h
                rows += pack(
                    request.id, 0, 0, 1.0, True, request.created_h, now, now, code, code,
                    math.inf, approved, request.hops, request.hops, 0, request.wait_h, 0,
                )  # fmt: skip
                continue
        else:  # an arrival: the next is scheduled, the request created, at the desk at once
            if argument + 1 < n:
                push(heap, (arrivals[argument + 1], sequence(), 0, argument + 1))
            account, kind = draw_account(), draw_kind()
            value, work_h = values[kind](), works[kind]()
            good = truth() < 1.0
            counts.created += 1
            counts.in_flight += 1
            request = record(argument, account, None, kind, value, good, work_h, 1.0, now)
            in_flight[argument] = request
            desk = stations[0]
            desk.area += desk.present * (now - desk.last_change_h)
            desk.last_change_h = now
            desk.arrivals += 1
            desk.departures += 1
            stage = 1
        request.hops += 1  # a hop up, to layer `stage`
        request.pending = 0
        duration = services[stage - 1][request.id]
        station = stations[stage]
        present = station.present
        station.area += present * (now - station.last_change_h)
        station.last_change_h = now
        station.present = present + 1
        station.arrivals += 1
        job = (duration, request, now)
        if not station.busy:
            station.busy = 1
            push(heap, (now + duration, sequence(), stage, job))
        else:
            station.queue.append(job)
    return response, events


def run_bespoke_objects(
    n_requests: int, lam: float, mus: tuple[float, ...], seed: int, model: bool = False
) -> PeerResult:
    """Run :func:`_bespoke_objects_loop` with lean objects, or with orgsim's own (``model``).

    Timed as :func:`run_bespoke`.
    """
    from orgsim.sim.requests import Request
    from orgsim.sim.stations import Station

    name, record, books = (
        ("bespoke (orgsim's objects)", Request, Station)
        if model
        else ("bespoke (objects)", _Record, _Books)
    )
    loop = partial(_bespoke_objects_loop, record=record, books=books)
    return _run_loop(name, loop, n_requests, lam, mus, seed, with_votes=True)


# --------------------------------------------------------------------- SimPy


def _simpy_request(
    env: simpy.Environment,
    req: int,
    layers: list[simpy.Resource],
    services: list[list[float]],
    response: list[float],
) -> Generator[simpy.Event, None, None]:
    """Carry one request through every layer (a SimPy process).

    Args:
        env: The simulation environment.
        req: Request index.
        layers: One single-server resource per layer.
        services: ``services[k][i]`` is request ``i``'s service time in layer ``k``.
        response: Output list; ``response[req]`` receives the sojourn time.
    """
    born = env.now
    timeout = env.timeout
    for layer, times in zip(layers, services, strict=True):
        claim = layer.request()
        yield claim
        yield timeout(times[req])
        layer.release(claim)
    response[req] = env.now - born


def _simpy_source(
    env: simpy.Environment,
    arrivals: list[float],
    layers: list[simpy.Resource],
    services: list[list[float]],
    response: list[float],
) -> Generator[simpy.Event, None, None]:
    """Spawn one request process at each pre-drawn arrival time.

    Args:
        env: The simulation environment.
        arrivals: Absolute arrival times, sorted.
        layers: One single-server resource per layer.
        services: ``services[k][i]`` is request ``i``'s service time in layer ``k``.
        response: Output list passed on to each request process.
    """
    timeout, process = env.timeout, env.process
    for req, at in enumerate(arrivals):
        yield timeout(at - env.now)
        process(_simpy_request(env, req, layers, services, response))


def run_simpy(n_requests: int, lam: float, mus: tuple[float, ...], seed: int) -> PeerResult:
    """Run an idiomatic SimPy 4.1 model with one ``simpy.Resource`` per layer.

    Timed: the vectorised numpy draws (same as :func:`run_heapq`), building the
    environment and running it until every request has left. Not timed: the
    warm-up-excluded mean.

    Args:
        n_requests: Number of requests to generate.
        lam: Poisson arrival rate.
        mus: Service rate of each layer.
        seed: Seed for ``numpy.random.default_rng``.

    Returns:
        The run's :class:`PeerResult`.
    """
    start = time.perf_counter()
    arrivals, services = _draw(n_requests, lam, mus, seed)
    env = simpy.Environment()
    layers = [simpy.Resource(env, capacity=1) for _ in mus]
    response = [0.0] * n_requests
    env.process(_simpy_source(env, arrivals, layers, services, response))
    env.run()
    wall = time.perf_counter() - start
    events = n_requests * (1 + len(mus))
    return PeerResult("simpy", n_requests, events, wall, _warmup_mean(np.asarray(response)))


def run_simpy_callbacks(
    n_requests: int, lam: float, mus: tuple[float, ...], seed: int
) -> PeerResult:
    """Run SimPy 4.1 in its fastest style: callbacks on timeouts, a deque per layer.

    No process (generator) and no ``Resource``: each arrival and each service end is
    one ``env.timeout`` whose callback moves the request on, as :func:`_heapq_loop`
    does by hand, so SimPy's own cost is its event queue and event objects. Timed as
    :func:`run_simpy`.

    Args:
        n_requests: Number of requests to generate.
        lam: Poisson arrival rate.
        mus: Service rate of each layer.
        seed: Seed for ``numpy.random.default_rng``.

    Returns:
        The run's :class:`PeerResult`.
    """
    start = time.perf_counter()
    arrivals, services = _draw(n_requests, lam, mus, seed)
    env = simpy.Environment()
    timeout, last = env.timeout, len(services) - 1
    queues: list[deque[int]] = [deque() for _ in services]
    response = [0.0] * n_requests

    def serve(stage: int, req: int) -> None:
        timeout(services[stage][req]).callbacks.append(partial(done, stage, req))

    def join(stage: int, req: int) -> None:
        queue = queues[stage]
        queue.append(req)
        if len(queue) == 1:
            serve(stage, req)

    def done(stage: int, req: int, _event: simpy.Event) -> None:
        queue = queues[stage]
        queue.popleft()
        if queue:
            serve(stage, queue[0])
        if stage == last:
            response[req] = env.now - arrivals[req]
        else:
            join(stage + 1, req)

    def arrive(req: int, _event: simpy.Event) -> None:
        join(0, req)
        if req + 1 < n_requests:
            gap = arrivals[req + 1] - arrivals[req]
            timeout(gap).callbacks.append(partial(arrive, req + 1))

    timeout(arrivals[0]).callbacks.append(partial(arrive, 0))
    env.run()
    wall = time.perf_counter() - start
    events = n_requests * (1 + len(mus))
    mean = _warmup_mean(np.asarray(response))
    return PeerResult("simpy (callbacks)", n_requests, events, wall, mean)


# ---------------------------------------------------------------------- Mesa


class _MesaChain(mesa.Model):
    """The tandem as a Mesa 3.5 model whose events run on Mesa's own event list.

    Each arrival and service end is one event scheduled with
    ``DEVSimulator.schedule_event_relative`` whose callback (a method of the model:
    Mesa holds callbacks by weak reference) moves the request on, as
    :func:`run_simpy_callbacks` does; a deque per layer.
    """

    def __init__(self, arrivals: list[float], services: list[list[float]], seed: int) -> None:
        super().__init__(rng=seed)
        with warnings.catch_warnings():  # deprecated in 3.5 for model.schedule_event, which
            warnings.simplefilter("ignore", FutureWarning)  # passes no argument to a callback
            self.simulator = DEVSimulator()
        self.simulator.setup(self)
        self.arrivals, self.services = arrivals, services
        self.queues: list[deque[int]] = [deque() for _ in services]
        self.response = [0.0] * len(arrivals)
        self.last = len(services) - 1
        self._after = self.simulator.schedule_event_relative
        self._after(self.arrive, arrivals[0], function_args=[0])

    def serve(self, stage: int, req: int) -> None:
        self._after(self.done, self.services[stage][req], function_args=[stage, req])

    def join(self, stage: int, req: int) -> None:
        queue = self.queues[stage]
        queue.append(req)
        if len(queue) == 1:
            self.serve(stage, req)

    def done(self, stage: int, req: int) -> None:
        queue = self.queues[stage]
        queue.popleft()
        if queue:
            self.serve(stage, queue[0])
        if stage == self.last:
            self.response[req] = self.time - self.arrivals[req]
        else:
            self.join(stage + 1, req)

    def arrive(self, req: int) -> None:
        self.join(0, req)
        if req + 1 < len(self.arrivals):
            gap = self.arrivals[req + 1] - self.arrivals[req]
            self._after(self.arrive, gap, function_args=[req + 1])


def run_mesa(n_requests: int, lam: float, mus: tuple[float, ...], seed: int) -> PeerResult:
    """Run a Mesa 3.5 discrete-event model of the tandem (callbacks on Mesa's event list).

    Timed as :func:`run_simpy`: the vectorised draws, building the model and running
    it until every request has left.

    Args:
        n_requests: Number of requests to generate.
        lam: Poisson arrival rate.
        mus: Service rate of each layer.
        seed: Seed for ``numpy.random.default_rng`` (and the model's own).

    Returns:
        The run's :class:`PeerResult`.
    """
    start = time.perf_counter()
    arrivals, services = _draw(n_requests, lam, mus, seed)
    model = _MesaChain(arrivals, services, seed)
    model.simulator.run_until(math.inf)
    wall = time.perf_counter() - start
    events = n_requests * (1 + len(mus))
    mean = _warmup_mean(np.asarray(model.response))
    return PeerResult("mesa", n_requests, events, wall, mean)


# ----------------------------------------------------------------------- Ciw


def _ciw_network(lam: float, mus: tuple[float, ...]) -> ciw.network.Network:
    """Build the tandem as a Ciw network: arrivals at node 1, then 1 -> 2 -> ... -> exit.

    Args:
        lam: Poisson arrival rate at the first node.
        mus: Service rate of each node.

    Returns:
        The Ciw network.
    """
    k = len(mus)
    routing = [[1.0 if j == i + 1 else 0.0 for j in range(k)] for i in range(k)]
    return ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(lam)] + [None] * (k - 1),
        service_distributions=[ciw.dists.Exponential(mu) for mu in mus],
        routing=routing,
        number_of_servers=[1] * k,
    )


def _ciw_responses(sim: ciw.Simulation, n_nodes: int) -> np.ndarray:
    """Return response times of requests that left the last node, by arrival order.

    Args:
        sim: A finished Ciw simulation.
        n_nodes: Number of nodes in the tandem.

    Returns:
        Last-node exit date minus first-node arrival date, sorted by customer id.
    """
    born: dict[int, float] = {}
    left: dict[int, float] = {}
    for rec in sim.get_all_records():
        if rec.node == 1:
            born[rec.id_number] = rec.arrival_date
        if rec.node == n_nodes:
            left[rec.id_number] = rec.exit_date
    return np.array([left[i] - born[i] for i in sorted(left)])


def run_ciw(n_requests: int, lam: float, mus: tuple[float, ...], seed: int) -> PeerResult:
    """Run a Ciw 3.2 tandem network until ``n_requests`` customers have arrived.

    Ciw draws its own variates (Python ``random``, seeded by ``ciw.seed``), so
    its RNG cost is inside the run. Timed: building the network and simulation
    and ``simulate_until_max_customers(n, method="Arrive")``. Not timed: reading
    the records. The few customers still inside at the stop are not counted.

    Args:
        n_requests: Number of customers to admit.
        lam: Poisson arrival rate.
        mus: Service rate of each node.
        seed: Seed passed to ``ciw.seed``.

    Returns:
        The run's :class:`PeerResult`; ``logical_events`` counts arrivals plus
        service records actually completed.
    """
    start = time.perf_counter()
    ciw.seed(seed)
    sim = ciw.Simulation(_ciw_network(lam, mus))
    sim.simulate_until_max_customers(n_requests, method="Arrive")
    wall = time.perf_counter() - start
    events = n_requests + len(sim.get_all_records())
    mean = _warmup_mean(_ciw_responses(sim, len(mus)))
    return PeerResult("ciw", n_requests, events, wall, mean)


# ---------------------------------------------------------------------- main

PEERS: tuple[Callable[[int, float, tuple[float, ...], int], PeerResult], ...] = (
    run_heapq,
    run_bespoke,
    run_simpy,
    run_simpy_callbacks,
    run_ciw,
    run_mesa,
)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.

    Returns:
        Parsed arguments with ``requests``, ``repeats`` and ``seed``.
    """
    parser = argparse.ArgumentParser(description="Run the tandem-approval peers.")
    parser.add_argument("--requests", type=int, default=200_000, help="requests per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per peer")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first repeat")
    return parser.parse_args(argv)


def _row(results: list[PeerResult], theory: float) -> str:
    """Format one table row from a peer's repeated results.

    Args:
        results: Results of the repeats of one peer.
        theory: Jackson mean response to compare against.

    Returns:
        The formatted row.
    """
    rate = statistics.median(r.logical_events / r.wall_s for r in results)
    wall = statistics.median(r.wall_s for r in results)
    resp = statistics.mean(r.mean_response_h for r in results)
    err = 100.0 * (resp / theory - 1.0)
    return f"{results[0].name:<18}{rate:>16,.0f}{wall:>10.3f}{resp:>10.3f}{err:>+9.2f}%"


def main(argv: list[str] | None = None) -> None:
    """Run every peer ``--repeats`` times and print a summary table.

    Repeat ``r`` uses seed ``--seed + r``. The table shows the median logical
    events per second, the median wall time and the mean response (averaged
    over repeats) against the Jackson value.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.
    """
    args = _parse_args(argv)
    theory = jackson_mean_response(DEFAULT_LAM, DEFAULT_MUS)
    print(f"tandem M/M/1 x{len(DEFAULT_MUS)}, lam={DEFAULT_LAM}, N={args.requests:,}")
    print(f"{'peer':<18}{'events/s':>16}{'wall s':>10}{'resp h':>10}{'vs ' + f'{theory:g}':>10}")
    for peer in PEERS:
        runs = [
            peer(args.requests, DEFAULT_LAM, DEFAULT_MUS, args.seed + r)
            for r in range(args.repeats)
        ]
        print(_row(runs, theory), flush=True)


if __name__ == "__main__":
    main()

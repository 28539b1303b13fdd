"""Where a sweep runs: local worker processes, or a Dask cluster near or far.

A process pool needs no server and is the default. Dask distributed runs the same
tasks on a cluster (``dask scheduler`` and ``dask worker ADDRESS`` on any machines
that have orgsim installed) through ``Client.get_executor()``, a standard
``concurrent.futures.Executor``; ``--dask-local`` starts a ``LocalCluster`` to try it.
Dask re-runs the tasks of a worker that dies on another one by itself.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from orgsim.processes import die_with
from orgsim.results.machine import cores
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import short
from orgsim.sweep.execute import Backend

TASKS_PER_WORKER = 2
"""Tasks kept in flight per worker: one running, one ready to start."""

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
CONNECT_TIMEOUT = "10s"
"""How long to try reaching a Dask scheduler before giving up."""


class ProcessBackend:
    """A pool of local worker processes, rebuilt if a worker dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def executor(self) -> Executor:
        """The pool, started on first use."""
        if self._pool is None:
            # spawn, as Mesa's batch_run: forking a process with threads can deadlock
            spawn = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=spawn, initializer=die_with, initargs=(os.getpid(),)
            )
        return self._pool

    def rebuild(self) -> Executor:
        """A new pool in place of a broken one."""
        self.close(wait=False)
        return self.executor()

    def slots(self) -> int:
        """Tasks to keep in flight."""
        return TASKS_PER_WORKER * self.workers

    def close(self, wait: bool = True) -> None:
        """Stop the workers (without waiting, pending tasks are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=not wait)
            self._pool = None


class DaskBackend:
    """A Dask distributed client; its scheduler retries the tasks of a lost worker."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def executor(self) -> Executor:
        """The client's executor (every task distinct: ``pure=False``)."""
        return self.client.get_executor(pure=False)

    def rebuild(self) -> Executor:
        """Dask replaces lost workers itself: the same executor goes on."""
        return self.executor()

    def slots(self) -> int:
        """Tasks to keep in flight, from the threads the cluster has now."""
        threads = sum(self.client.nthreads().values())
        return TASKS_PER_WORKER * max(1, threads)


@contextmanager
def backend(
    workers: int | None = None, scheduler: str | None = None, dask_local: bool = False
) -> Iterator[Backend]:
    """The backend the options ask for: a Dask scheduler, a local Dask cluster, or processes.

    Args:
        workers: local worker processes (default: the machine's cores).
        scheduler: a Dask scheduler's address; else ``DASK_SCHEDULER_ADDRESS``, if set.
        dask_local: start a Dask ``LocalCluster`` of ``workers`` processes.
    """
    workers = min(workers or cores(), cores())  # more processes than cores only compete
    scheduler = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    if scheduler and dask_local:
        raise ScenarioError("--scheduler and --dask-local: choose one")
    if scheduler:
        check_scheduler(scheduler)
    if scheduler or dask_local:
        with _dask_client(scheduler, workers) as client:
            yield DaskBackend(client)
        return
    pool = ProcessBackend(workers)
    try:
        yield pool
    finally:
        pool.close(wait=False)


_ADDRESS = re.compile(
    r"^(?:(?P<protocol>[A-Za-z][A-Za-z0-9+.-]*)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(?P<port>[0-9]{1,5}))?$"
)
PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
"""The protocols of Dask distributed's communication backends."""


def check_scheduler(address: str) -> str:
    """``address`` if it can name a Dask scheduler (``tcp://10.0.0.5:8786``, ``host:8786``).

    Checked before anything is written, so that a typo is not found after the store exists.

    Raises:
        ScenarioError: naming the address and the form expected.
    """
    match = _ADDRESS.match(address)
    protocol = match and (match["protocol"] or "tcp").lower()
    port = match and match["port"]
    if not match or protocol not in PROTOCOLS or (port and not 0 < int(port) < 65536):
        raise ScenarioError(
            f"--scheduler {short(address)}: not the address of a Dask scheduler; expected "
            f"[PROTOCOL://]HOST[:PORT], PROTOCOL one of {', '.join(PROTOCOLS)}, PORT from 1 "
            "to 65535 (e.g. tcp://10.0.0.5:8786)"
        )
    return address


@contextmanager
def _dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise ScenarioError(f"--scheduler {short(scheduler)}: cannot reach it ({error})") from None
    with client:
        yield client

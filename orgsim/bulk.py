"""Building many long-lived objects at once without the cyclic garbage collector's pauses.

CPython's collector runs whenever allocations outnumber deallocations by a threshold
(700 by default), and each pass of the oldest generation walks every object alive: a
model of 10,000 people and 36,000 customers, built in one go, triggers hundreds of
passes that find nothing to free, and they were half of its build time. Nothing a
build makes is garbage until it is done, so the collector waits until then (the
technique of Instagram's "Dismissing Python garbage collection", Ni 2017). Outside the
stages: any stage may use it.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside, back on after (if it was on before).

    Nested or concurrent uses are safe: only a use that found it on turns it back on, so
    it ends on unless someone else had turned it off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def without_collector[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the collector paused (:func:`collector_paused`)."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return paused

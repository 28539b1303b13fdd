from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgsim.sim.engine import EventLoop
from orgsim.sim.stations import Station


@settings(deadline=None, derandomize=True)
@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=200))
def test_events_run_in_time_order_and_ties_in_scheduling_order(times):
    loop = EventLoop()
    seen: list[tuple[float, int]] = []
    for index, time_h in enumerate(times):
        loop.schedule(time_h, lambda arg: seen.append((loop.now, arg)), index)
    loop.run_until(max(times))
    assert [t for t, _ in seen] == sorted(times)
    assert loop.processed == len(times)
    for (t1, i1), (t2, i2) in pairwise(seen):
        assert t1 < t2 or (t1 == t2 and i1 < i2)


def test_the_clock_refuses_to_go_back():
    loop = EventLoop()
    loop.run_until(5.0)
    with pytest.raises(ValueError, match="cannot schedule"):
        loop.schedule(4.0, print)
    assert loop.now == 5.0


def test_run_until_stops_at_the_horizon_and_keeps_later_events():
    loop = EventLoop()
    fired = []
    loop.schedule(1.0, fired.append, "a")
    loop.schedule(3.0, fired.append, "b")
    loop.run_until(2.0)
    assert fired == ["a"]
    assert loop.now == 2.0
    assert loop.pending == 1


class Item:
    """A request's stand-in: a name, and the hours it waited in line."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.wait_h = 0.0


def test_station_serves_fifo_and_keeps_littles_law_figures():
    loop = EventLoop()
    station = Station(loop, "desk")
    done: list[tuple[str, float, str]] = []
    first, second = Item("first"), Item("second")
    # two jobs of 2 h at t=0: the second waits 2 h
    for item in (first, second):
        station.submit(2.0, lambda item, by: done.append((item.name, loop.now, by)), item, "me")
    loop.run_until(10.0)
    assert done == [("first", 2.0, "me"), ("second", 4.0, "me")]
    assert (first.wait_h, second.wait_h) == (0.0, 2.0)
    stats = station.statistics()
    assert stats["departures"] == 2
    assert stats["mean_sojourn_h"] == pytest.approx(3.0)
    assert stats["mean_wait_h"] == pytest.approx(1.0)
    # area under the number present: 2 for 2 h, 1 for 2 h = 6; over 10 h
    assert stats["mean_in_system"] == pytest.approx(0.6)
    assert stats["utilisation"] == pytest.approx(0.4)


def test_a_paused_station_finishes_the_job_in_hand_and_starts_no_other():
    loop = EventLoop()
    station = Station(loop, "manager")
    done: list[str] = []
    for name in ("in hand", "waiting"):
        station.submit(1.0, lambda item, _: done.append(item.name), Item(name))
    station.pause()
    loop.run_until(5.0)
    assert done == ["in hand"]
    station.resume()
    loop.run_until(7.0)
    assert done == ["in hand", "waiting"]

"""Arrivals that follow the hours of the working day (``demand.day_profile``)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orgsim import simulate
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.sim.arrivals import DayProfile
from orgsim.validate import degenerate

PROFILE = [3.0, 1.0, 0.0, 2.0]
"""A 4-hour working day: busy first hour, none in the third."""


def _desk(profile: list[float] | None) -> dict:
    scenario = degenerate.dispatched(0.5, 5.0, 1.5, hours=4 * 2_000, warmup_h=0)
    del scenario["structure"]["intake"]
    scenario["run"]["hours_per_day"] = 4
    scenario["run"]["days"] = 2_000
    scenario["run"]["sample_every_days"] = 200
    scenario["demand"]["requests_per_customer_per_day"] = 2.0  # 0.5 an hour
    if profile is not None:
        scenario["demand"]["day_profile"] = profile
    return scenario


def test_arrivals_follow_the_profile_and_keep_the_daily_rate():
    """Per hour of the day, the share of 4,000 arrivals inside its 99.9% binomial interval
    (4 hours: a 0.1% level per hour keeps the family's level under 0.5%); the daily
    count inside its Poisson 99.9% interval."""
    created = simulate(_desk(PROFILE), seed=3).requests["created_h"].to_numpy()
    n = len(created)
    expected_n = 2.0 * 2_000
    assert abs(n - expected_n) < 3.29 * math.sqrt(expected_n)
    hours = np.bincount(np.floor(created % 4).astype(int), minlength=4)
    for hour, rate in enumerate(PROFILE):
        p = rate / sum(PROFILE)
        assert abs(hours[hour] / n - p) <= 3.29 * math.sqrt(p * (1 - p) / n) + 1e-12, hours


def test_a_flat_day_without_a_profile_is_uniform_over_the_hours():
    """The same check fails for the flat process: the profile is what shapes the day."""
    created = simulate(_desk(None), seed=3).requests["created_h"].to_numpy()
    hours = np.bincount(np.floor(created % 4).astype(int), minlength=4)
    assert hours[2] > 0.2 * len(created)


def test_the_inverse_of_the_cumulative_rate():
    profile = DayProfile(lambda: 1.0, [3.0, 1.0, 0.0, 2.0], 4.0)  # scaled by 4/6
    # Lambda: hour 0 rises 2, hour 1 by 2/3, hour 2 by 0, hour 3 by 4/3; 4 a day
    assert profile.real_time(1.0) == pytest.approx(0.5)
    assert profile.real_time(2.0 + 1 / 3) == pytest.approx(1.5)
    assert profile.real_time(3.0) == pytest.approx(3.25)  # the empty hour is skipped
    assert profile.real_time(4.0 + 1.0) == pytest.approx(4.5)  # the next day alike


def test_a_fractional_last_hour_is_a_shorter_bin():
    profile = DayProfile(lambda: 1.0, [1.0, 1.0, 1.0], 2.5)
    assert profile.real_time(2.25) == pytest.approx(2.25)  # flat: real time is operational


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ([1.0, 2.0], ["demand.day_profile", "2 numbers", "needs 4"]),
        ([0.0, 0.0, 0.0, 0.0], ["demand.day_profile", "above 0"]),
        ([1.0, -1.0, 1.0, 1.0], ["demand.day_profile"]),
    ],
)
def test_a_profile_that_does_not_fit_the_day_is_refused(profile, words):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_desk(profile))
    for word in words:
        assert word in str(caught.value)

"""Absences: a manager away blocks every request waiting in its in-tray (vulnerability)."""

from __future__ import annotations

import numpy as np

from orgsim.distributions import Exponential, Sampler
from orgsim.engine import EventLoop
from orgsim.scenario import Absence
from orgsim.stations import Station


class AbsenceProcess:
    """Alternating present and absent spells, both exponential, for one station.

    Spells away last ``mean_days`` on average; spells present are long enough that the
    long-run share of time away is ``share``.
    """

    def __init__(self, loop: EventLoop, station: Station, present: Sampler, away: Sampler) -> None:
        self.loop = loop
        self.station = station
        self._present = present
        self._away = away
        self.absences = 0

    @staticmethod
    def samplers(
        spec: Absence, hours_per_day: float, rng: np.random.Generator
    ) -> tuple[Sampler, Sampler]:
        """Samplers of present and away spell lengths in hours, for a layer's managers."""
        away_h = spec.mean_days * hours_per_day
        present_h = away_h * (1 - spec.share) / spec.share
        return Exponential(mean=present_h).sampler(rng), Exponential(mean=away_h).sampler(rng)

    def start(self) -> None:
        """Schedule the first absence."""
        self.loop.schedule(self.loop.now + self._present(), self._leave)

    def _leave(self, _: object = None) -> None:
        self.absences += 1
        self.station.pause()
        self.loop.schedule(self.loop.now + self._away(), self._return)

    def _return(self, _: object = None) -> None:
        self.station.resume()
        self.loop.schedule(self.loop.now + self._present(), self._leave)

"""Interruptions: absences and meetings, during which a manager's in-tray waits.

A manager away blocks every request queued for it (the vulnerability of a chain);
a manager in meetings answers nothing until the meeting ends (waiting times).
"""

from __future__ import annotations

import numpy as np

from orgsim.scenario.distributions import Sampler, exponential_sampler
from orgsim.scenario.schema import Layer
from orgsim.sim.engine import EventLoop
from orgsim.sim.stations import Station


class Interruptions:
    """Alternating spells at work and away, both exponential, pausing one station."""

    def __init__(self, loop: EventLoop, station: Station, present: Sampler, away: Sampler) -> None:
        self.loop = loop
        self.station = station
        self._present = present
        self._away = away

    @staticmethod
    def spells_h(
        share_away: float, mean_away_h: float, rng: np.random.Generator
    ) -> tuple[Sampler, Sampler]:
        """Samplers of spell lengths at work and away, for ``share_away`` of the time away."""
        present_h = mean_away_h * (1 - share_away) / share_away
        return exponential_sampler(rng, present_h), exponential_sampler(rng, mean_away_h)

    def start(self) -> None:
        """Schedule the first spell away."""
        self.loop.schedule(self.loop.now + self._present(), self._leave)

    def _leave(self, _: object = None) -> None:
        self.station.pause()
        self.loop.schedule(self.loop.now + self._away(), self._return)

    def _return(self, _: object = None) -> None:
        self.station.resume()
        self.loop.schedule(self.loop.now + self._present(), self._leave)


def interruption_samplers(
    layer: Layer, hours_per_day: float, rng: np.random.Generator
) -> list[tuple[Sampler, Sampler]]:
    """The interruptions every manager of ``layer`` has: absences, and meetings in blocks."""
    kinds = []
    if layer.absence.share > 0:
        kinds.append(
            Interruptions.spells_h(
                layer.absence.share, layer.absence.mean_days * hours_per_day, rng
            )
        )
    if layer.meeting_block_h is not None:
        kinds.append(Interruptions.spells_h(1 - layer.availability, layer.meeting_block_h, rng))
    return kinds


class ManagersAway:
    """Every approver's interruptions: one mechanism of many on/off processes."""

    def __init__(self, processes: list[Interruptions]) -> None:
        self.processes = processes

    def start(self) -> None:
        """Start each manager's first spell at work."""
        for process in self.processes:
            process.start()

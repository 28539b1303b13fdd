"""One small interface for the model's mechanisms, and the setting they are built from.

A mechanism (new customers, CRM monitoring, retrospectives, ideas, managers'
interruptions, coaching, ...) is built from a :class:`Setting` by its builder in
:mod:`orgsim.sim.registry`, which returns ``None`` when the scenario leaves it off and
hooks it into the request life where it must (``life.listeners``, a field of
``life``); it is then started once. The model only iterates over the registry, so
adding a mechanism touches its module, the registry and the schema, never the
composition root (``OrgModel``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from orgsim.scenario.schema import Scenario
    from orgsim.sim.agents import Accounts
    from orgsim.sim.booking import Timesheet
    from orgsim.sim.customer_base import Candidates
    from orgsim.sim.engine import EventLoop
    from orgsim.sim.life import RequestLife
    from orgsim.sim.organisation import Organisation
    from orgsim.sim.tallies import Streams


class Mechanism(Protocol):
    """A mechanism of a run: built when its scenario group is on, then started once."""

    def start(self) -> None:
        """Schedule its first event (a reading, a meeting, an arrival)."""


@dataclass(frozen=True)
class Setting:
    """What a mechanism may be built from: the scenario and the parts of the running model.

    Attributes:
        spec: the validated scenario.
        loop: the event loop.
        org: teams, employees, managers.
        life: the request life, for hooks (listeners, work factors).
        accounts: every account slot.
        streams: the run's random streams (a new mechanism spawns a child of one when it is
            on, so that no other stream shifts).
        candidates: new accounts' candidate arrivals (none when that group is off).
        customers: the initial customer base.
        admit: lets a new account's customer in, by slot.
        timesheet: counts the hours people book for anything but customers' requests.
    """

    spec: Scenario
    loop: EventLoop
    org: Organisation
    life: RequestLife
    accounts: Accounts
    streams: Streams
    candidates: Candidates
    customers: int
    admit: Callable[[int], None]
    timesheet: Timesheet

    @property
    def hours_per_day(self) -> float:
        """Working hours in a day, to convert the scenario's daily figures."""
        return self.spec.run.hours_per_day


Build = Callable[[Setting], "Mechanism | None"]
"""A mechanism's builder: the mechanism, wired into the life, or None when it is off."""

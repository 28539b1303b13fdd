"""The people of an organisation, as Mesa agents: customers, employees and managers.

Agents hold state (satisfaction, trust, skill, a desk to queue at); what happens to a
request is the business of :mod:`orgsim.sim.life`, which calls on them.
"""

from __future__ import annotations

import math
from array import array
from typing import TYPE_CHECKING, Protocol

import mesa

from orgsim.sim.stations import Station

if TYPE_CHECKING:
    from orgsim.scenario.distributions import Sampler


class Team(Protocol):
    """What an employee sees of its team (:class:`orgsim.sim.organisation.Team`).

    A protocol, so that agents need not import the organisation that is built from them.
    """

    index: int
    members: list[Employee]
    pooled: Station | None


class Accounts:
    """Every customer's changing state, one slot per account number, in compact arrays.

    Each request touches one customer picked at random. Kept on tens of thousands of
    agent objects, that state is scattered over megabytes and every touch misses the
    cache (measured: 100 times the customers, same work, 8% more time per event).
    Arrays of a few bytes per account keep it together. The request life reads the
    arrays; a :class:`Customer` agent reads and writes through to them.
    """

    __slots__ = ("active", "contacts", "satisfaction")

    def __init__(
        self, contacts: list[Employee], satisfaction: float, active: int | None = None
    ) -> None:
        """``contacts`` has one employee per slot; the first ``active`` slots (all) are taken."""
        self.contacts = contacts
        self.satisfaction = array("d", [satisfaction]) * len(contacts)
        taken = len(contacts) if active is None else active
        self.active = bytearray(b"\x01") * taken + bytearray(len(contacts) - taken)

    def __len__(self) -> int:
        return len(self.contacts)


class Customer(mesa.Agent):
    """An account's customer: sends requests, grows happy or unhappy, may leave.

    ``account`` numbers customers 0, 1, ... whatever the structure, so that runs of
    different structures can be matched customer by customer (``unique_id`` cannot:
    it counts the managers created before). The state lives in :class:`Accounts`.
    """

    def __init__(self, model: mesa.Model, accounts: Accounts, account: int) -> None:
        super().__init__(model)
        self.accounts = accounts
        self.account = account

    @property
    def contact(self) -> Employee:
        """The account employee: the customer's one point of contact."""
        return self.accounts.contacts[self.account]

    @property
    def satisfaction(self) -> float:
        """Satisfaction in [0, 1]."""
        return self.accounts.satisfaction[self.account]

    @satisfaction.setter
    def satisfaction(self, value: float) -> None:
        self.accounts.satisfaction[self.account] = value

    @property
    def active(self) -> bool:
        """Still a customer (has not churned)."""
        return bool(self.accounts.active[self.account])

    @active.setter
    def active(self, value: bool) -> None:
        self.accounts.active[self.account] = value


class Employee(mesa.Agent):
    """A customer-facing team member: works requests and decides within its mandate."""

    def __init__(
        self,
        model: mesa.Model,
        team: Team,
        station: Station,
        mandate: float,
        skill: float,
        trust: float,
    ) -> None:
        super().__init__(model)
        self.team = team
        self.station = station
        self.mandate = mandate
        self.skill = skill
        self.trust = trust
        self.engagement = 1.0  # full unless the scenario's engagement group is on
        self.knowledge = math.inf  # solves every request unless the knowledge group is on

    def willingness(self, value: float) -> float:
        """Chance of deciding a request of this value alone, given it is within the mandate.

        Small values relative to the mandate are decided readily; near the mandate only
        trust makes people take the responsibility: 1 - (1 - trust) * value / mandate.
        """
        if value == 0 or self.mandate == math.inf:
            return 1.0
        return 1.0 - (1.0 - self.trust) * value / self.mandate


class Manager(mesa.Agent):
    """One person of a layer: an approver with an in-tray, or a coach of teams."""

    def __init__(
        self,
        model: mesa.Model,
        layer: int,
        role: str,
        skill: float,
        review_h: Sampler | None = None,
        review_share: float = 1.0,
    ) -> None:
        super().__init__(model)
        self.layer = layer
        self.role = role
        self.skill = skill
        self.knowledge = math.inf  # solves every request unless the knowledge group is on
        # Wall-clock hours of one review: its work spread over ``review_share`` of the time.
        self.review_h = review_h
        self.review_share = review_share
        self.station = Station(model.loop, f"manager-{self.unique_id}") if review_h else None

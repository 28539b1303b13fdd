"""The people of an organisation, as Mesa agents: customers, employees and managers.

Agents hold state (satisfaction, trust, skill, a desk to queue at); what happens to a
request is the business of :mod:`orgsim.life`, which calls on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from orgsim.stations import Station

if TYPE_CHECKING:
    from orgsim.distributions import Sampler
    from orgsim.organisation import Team


class Customer(mesa.Agent):
    """An account's customer: sends requests, grows happy or unhappy, may leave.

    ``account`` numbers customers 0, 1, ... whatever the structure, so that runs of
    different structures can be matched customer by customer (``unique_id`` cannot:
    it counts the managers created before).
    """

    def __init__(
        self, model: mesa.Model, account: int, contact: Employee, satisfaction: float
    ) -> None:
        super().__init__(model)
        self.account = account
        self.contact = contact
        self.satisfaction = satisfaction
        self.active = True


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
        self.decisions = 0

    def willingness(self, value: float) -> float:
        """Chance of deciding a request of this value alone, given it is within the mandate.

        Small values relative to the mandate are decided readily; near the mandate only
        trust makes people take the responsibility: 1 - (1 - trust) * value / mandate.
        """
        if value == 0 or self.mandate == float("inf"):
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
        # Wall-clock hours of one review: its work spread over ``review_share`` of the time.
        self.review_h = review_h
        self.review_share = review_share
        self.station = Station(model.loop, f"manager-{self.unique_id}") if review_h else None

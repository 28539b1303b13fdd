"""A run's work before it starts: expected requests, and the load on the employees' desks.

Checked when a model is built, so that a scenario asking for a billion requests is
refused in a second rather than running for a day or filling the memory, and so that one
whose demand exceeds its people's capacity (utilisation above 1: the queues grow without
end, and every figure then depends on the horizon) is flagged.
"""

from __future__ import annotations

from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.schema import Scenario


def expected_requests(scenario: Scenario) -> float:
    """Requests the customers make over the run: customers x rate x days (Poisson mean)."""
    demand = scenario.demand
    customers = scenario.structure.teams.count * demand.customers_per_team
    return customers * demand.requests_per_customer_per_day * scenario.run.days


def employee_utilisation(scenario: Scenario) -> float:
    """Share of the employees' time the customers' work alone takes (at the start).

    A lower bound of the real load: reviews, consults and rework come on top, and lost
    customers ease it later. Above 1, no queueing discipline can keep up (an M/G/c queue
    is stable only when its utilisation is below 1).
    """
    demand, teams = scenario.demand, scenario.structure.teams
    total_share = sum(kind.share for kind in demand.kinds)
    work_h = sum(
        kind.share * min(kind.work_h.mean, kind.work_h.upper_bound) for kind in demand.kinds
    )
    per_team_h = demand.customers_per_team * demand.requests_per_customer_per_day
    return per_team_h * work_h / total_share / (scenario.run.hours_per_day * teams.size)


def check(scenario: Scenario, max_requests: int = limits.MAX_REQUESTS) -> None:
    """Refuse a run expected to make more than ``max_requests`` requests.

    Raises:
        ScenarioError: naming the estimate, the limit and how to raise it.
    """
    expected = expected_requests(scenario)
    if expected > max_requests:
        raise ScenarioError(
            f"scenario {scenario.name!r}: about {expected:,.0f} requests expected "
            f"(customers x demand.requests_per_customer_per_day x run.days), more than "
            f"max_requests {max_requests:,}: shorten the run, or raise the limit "
            "(orgsim run --max-requests, simulate(max_requests=...))"
        )


def overload(scenario: Scenario) -> str | None:
    """A warning if the employees' work alone exceeds their time, else None."""
    load = employee_utilisation(scenario)
    if load <= 1:
        return None
    return (
        f"scenario {scenario.name!r}: the customers' work alone needs {load:,.2f} times the "
        "employees' time (utilisation above 1): queues will grow without end, and "
        "response times depend on how long the run is"
    )

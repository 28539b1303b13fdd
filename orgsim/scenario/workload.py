"""A run's work before it starts: expected requests, and the load on the employees' desks.

Checked when a model is built, so that a scenario asking for a billion requests (or
ideas, or meetings) is refused in a second rather than running for a day or filling the
memory, and so that one
whose demand exceeds its people's capacity (utilisation above 1: the queues grow without
end, and every figure then depends on the horizon) is flagged.
"""

from __future__ import annotations

from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.schema import Scenario
from orgsim.scenario.tree import TeamPlan


def expected_requests(scenario: Scenario) -> float:
    """Requests drawn over the run: account slots x rate x days (Poisson mean).

    The slots are the initial customers and every candidate new account
    (``demand.new_customers``): requests are drawn for every slot from the start, and
    those of slots not yet taken dropped, so each slot costs its draws all the same.
    """
    demand, days, tree = scenario.demand, scenario.run.days, scenario.tree
    customers = tree.customers
    slots = customers + demand.new_customers.candidates(customers, days)
    return slots * tree.mean_request_rate * days


def expected_work(scenario: Scenario) -> float:
    """Units of work a run expects: requests, ideas, and what the periodic mechanisms touch.

    Each request and each idea counts one; a periodic mechanism counts its rounds times
    the people or teams one round touches (a retrospective is a job on every employee's
    desk, a CRM reading looks at every team, a coaching round at every employee).
    """
    employees = sum(team.spec.size for team in scenario.tree.teams)
    work = expected_requests(scenario)
    if scenario.ideas.enabled:
        work += scenario.ideas.per_employee_per_day * employees * scenario.run.days
    for rounds_every_days, touched in _periodic(scenario, employees):
        work += scenario.run.days / rounds_every_days * touched
    return work


def _periodic(scenario: Scenario, employees: int) -> list[tuple[float, int]]:
    """Each periodic mechanism switched on: its interval in days and what one round touches."""
    periodic = []
    if scenario.retrospectives.enabled:
        periodic.append((scenario.retrospectives.interval_days, employees))
    if scenario.monitoring.enabled:
        periodic.append((scenario.monitoring.interval_days, len(scenario.tree.teams)))
    if any(point.coach for point in scenario.tree.points):
        periodic.append((scenario.culture.coaching.interval_days, employees))
    if _coordinating(scenario):
        periodic.append((scenario.coordination.interval_days, employees))
    return periodic


def _coordinating(scenario: Scenario) -> bool:
    """Whether teams book coordination time: a share above 0, and colleagues to keep up with."""
    return scenario.coordination.share_per_colleague > 0 and any(
        team.spec.size > 1 for team in scenario.tree.teams
    )


def employee_utilisation(scenario: Scenario) -> float:
    """Share of the busiest team's time the customers' work and the team's coordination take.

    At the start; a lower bound of the real load: reviews, consults and rework come on top,
    and lost customers ease it later. Above 1, no queueing discipline can keep up (an M/G/c
    queue is stable only when its utilisation is below 1).
    """
    demand = scenario.demand
    total_share = sum(kind.share for kind in demand.kinds)
    work_h = sum(
        kind.share * min(kind.work_h.mean, kind.work_h.upper_bound) for kind in demand.kinds
    )
    coordinating = _coordinating(scenario)

    def load(team: TeamPlan) -> float:
        size = team.spec.size
        work = team.customers * team.requests_per_customer_per_day * work_h / total_share
        coordination = scenario.coordination.share(size) if coordinating and size > 1 else 0.0
        return work / (scenario.run.hours_per_day * size) + coordination

    return max(load(team) for team in scenario.tree.teams)


def check(scenario: Scenario, max_requests: int = limits.MAX_REQUESTS) -> None:
    """Refuse a run expected to do more than ``max_requests`` units of work.

    Raises:
        ScenarioError: naming the estimate, the limit and how to raise it.
    """
    requests, expected = expected_requests(scenario), expected_work(scenario)
    if expected > max_requests:
        raise ScenarioError(
            f"scenario {scenario.name!r}: about {expected:,.0f} requests and other work "
            f"expected ({requests:,.0f} requests: customers, new ones included, x "
            "demand.requests_per_customer_per_day x run.days; the rest ideas, meetings, "
            "CRM readings, coaching rounds and coordination slots), more than "
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

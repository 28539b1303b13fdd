"""Closed forms that degenerate scenarios must reproduce.

Queueing: Jackson (1957) tandem networks and Erlang's M/M/c (Erlang C); screening:
Sah & Stiglitz (1986) for hierarchies, polyarchies and committees, and committees whose
votes share a reading (Ladha 1992); Garicano's (2000) knowledge hierarchy.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence


def jackson_tandem_response_h(arrival_rate: float, service_rates: Sequence[float]) -> float:
    """Mean time through single-server FIFO stations in series: sum of 1 / (mu_i - lambda).

    Poisson arrivals and exponential service make each station an independent M/M/1
    queue in steady state (Jackson's theorem).
    """
    if any(mu <= arrival_rate for mu in service_rates):
        raise ValueError(f"unstable: every service rate must exceed {arrival_rate}")
    return sum(1.0 / (mu - arrival_rate) for mu in service_rates)


def jackson_network_response_h(
    flows: Sequence[tuple[float, Sequence[int]]], service_rates: Sequence[float]
) -> float:
    """Mean time through a feed-forward network of single-server FIFO stations.

    Each flow is a Poisson stream (rate, stations on its path); a station's load is the
    sum of the flows through it, and by Jackson's theorem each station is an M/M/1 queue
    at that load. The mean over all requests weights each flow's path by its rate.
    """
    loads = [0.0] * len(service_rates)
    for rate, path in flows:
        for station in path:
            loads[station] += rate
    if any(mu <= load for mu, load in zip(service_rates, loads, strict=True)):
        raise ValueError(f"unstable: every service rate must exceed its load {loads}")
    waits = [1.0 / (mu - load) for mu, load in zip(service_rates, loads, strict=True)]
    total = sum(rate for rate, _ in flows)
    return sum(rate * sum(waits[s] for s in path) for rate, path in flows) / total


def erlang_c(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Probability that an arrival to an M/M/c queue has to wait (Erlang C)."""
    load = arrival_rate / service_rate
    if load >= servers:
        raise ValueError(f"unstable: offered load {load} needs more than {servers} servers")
    # Computed with the numerically stable Erlang B recursion, then converted.
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    utilisation = load / servers
    return blocking / (1 - utilisation * (1 - blocking))


def mmc_response_h(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in an M/M/c system: waiting (Erlang C) plus service."""
    wait = erlang_c(arrival_rate, service_rate, servers) / (servers * service_rate - arrival_rate)
    return wait + 1.0 / service_rate


def series_acceptance(p: float, n: int) -> float:
    """A hierarchy of n evaluators in series accepts with p^n: each must approve."""
    return p**n


def polyarchy_acceptance(p: float, n: int) -> float:
    """A polyarchy of n accepts with 1 - (1 - p)^n: a rejection is passed to the next."""
    return 1.0 - (1.0 - p) ** n


def committee_acceptance(p: float, n: int, needed: int) -> float:
    """A committee of n that needs ``needed`` approvals: the binomial upper tail."""
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(needed, n + 1))


def correlated_committee_acceptance(p: float, n: int, needed: int, correlation: float) -> float:
    """A committee of n needing ``needed`` approvals whose members share one reading.

    The latent-signal model (Ladha 1992): one shared reading approves with chance p; each
    member follows it with chance ``correlation``, else judges on its own (approves with
    p). Given the shared reading, members approve independently with ``correlation +
    (1 - correlation) p`` if it approved, ``(1 - correlation) p`` if not, so the chance is
    the mixture of two binomial tails. Correlation 0 is :func:`committee_acceptance`.
    """
    independent = (1.0 - correlation) * p
    return p * committee_acceptance(correlation + independent, n, needed) + (
        1.0 - p
    ) * committee_acceptance(independent, n, needed)


def knowledge_hierarchy_shares(
    cdf: Callable[[float], float], knowledge: Sequence[float]
) -> list[float]:
    """Share of requests solved at each level of a knowledge hierarchy, bottom up.

    Garicano (2000): a request of difficulty d is solved by the lowest level whose
    knowledge z covers it, so level i solves F(z_i) - F(z_{i-1}) of them, with F the
    difficulty's distribution; what no level knows goes to the top (the last share).
    """
    reached = [0.0, *(cdf(z) for z in knowledge)]
    shares = [high - low for low, high in itertools.pairwise(reached)]
    return [*shares, 1.0 - reached[-1]]

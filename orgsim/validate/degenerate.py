"""Degenerate scenarios whose behaviour theory knows in closed form.

Each builder returns a plain scenario mapping: one customer stands for the pooled
Poisson demand (days of 24 working hours: rates and horizons are given in hours and
converted), the account employee does no work of its own unless the check needs it,
and everyone judges perfectly unless screening is what is checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

HOURS_PER_DAY = 24


def _base(name: str, arrival_rate_per_h: float, hours: float, warmup_h: float) -> dict[str, Any]:
    return {
        "name": name,
        "demand": {
            "customers_per_team": 1,
            "requests_per_customer_per_day": arrival_rate_per_h * HOURS_PER_DAY,
            "kinds": [
                {
                    "name": "proposal",
                    "share": 1,
                    "value": 1,
                    "work_h": 0,
                    "good_share": 1.0,
                    "expected_response_h": 1,
                }
            ],
        },
        "structure": {
            "teams": {"count": 1, "size": 1, "employee_mandate": 0, "skill": 1.0},
            "layers": [],
            "information_decay": 1.0,
        },
        "culture": {"trust": {"initial": 1.0}},
        "satisfaction": {"churn": {"probability": 0.0}},
        "run": {
            "days": hours / HOURS_PER_DAY,
            "warmup_days": warmup_h / HOURS_PER_DAY,
            "hours_per_day": HOURS_PER_DAY,
            "sample_every_days": hours / HOURS_PER_DAY / 10,
        },
    }


def _approver(name: str, mandate: float | None, review: Any, skill: float) -> dict[str, Any]:
    return {"name": name, "span": 1, "mandate": mandate, "review_time_h": review, "skill": skill}


def tandem(
    arrival_rate_per_h: float, service_rates: Sequence[float], hours: float, warmup_h: float
) -> dict[str, Any]:
    """An approval chain of single managers with exponential reviews; all is escalated.

    The employee's mandate is 0 and every layer but the top has mandate 0, so each
    request climbs the whole chain: a Jackson tandem network.
    """
    scenario = _base(f"tandem-{len(service_rates)}", arrival_rate_per_h, hours, warmup_h)
    last = len(service_rates) - 1
    scenario["structure"]["layers"] = [
        _approver(
            f"layer_{i + 1}",
            None if i == last else 0,
            {"dist": "exponential", "mean": 1 / mu},
            1.0,
        )
        for i, mu in enumerate(service_rates)
    ]
    return scenario


def dispatched(
    arrival_rate_per_h: float, dispatch_rate: float, work_rate: float, hours: float, warmup_h: float
) -> dict[str, Any]:
    """One dispatcher, then one worker who decides everything: a Jackson tandem of two.

    Every request passes the dispatcher (``structure.intake``, share 1) and then its
    worker, both with exponential times; nothing is escalated (an unlimited mandate).
    """
    scenario = _base("dispatched", arrival_rate_per_h, hours, warmup_h)
    scenario["demand"]["kinds"][0]["work_h"] = {"dist": "exponential", "mean": 1 / work_rate}
    scenario["structure"]["teams"]["employee_mandate"] = None
    scenario["structure"]["intake"] = {
        "dispatch": {
            "share": 1.0,
            "people": 1,
            "time_h": {"dist": "exponential", "mean": 1 / dispatch_rate},
        }
    }
    return scenario


UNEVEN_TREE = {
    "stations": {"top": None, "a": "top", "b2": "top", "b1": "b2"},
    "teams": {
        "team_a": ("a", 0.3),
        "team_b": ("b1", 0.4),
        "team_d": ("b1", 0.2),
        "team_c": ("top", 0.5),
    },
}
"""An uneven tree of single approvers: approver by parent, team by (parent, requests per hour).

Team c reports to the top, team a through one approver, teams b and d through two; b and
d merge at b1, all four at the top.
"""


def uneven_tree(service_rates: dict[str, float], hours: float, warmup_h: float) -> dict[str, Any]:
    """The :data:`UNEVEN_TREE` as units, exponential reviews; every request climbs to the top.

    Every mandate below the top's is 0, so each request passes every approver above its
    team: a feed-forward Jackson network with a Poisson stream per team.
    """
    scenario = _base("uneven-tree", 1.0, hours, warmup_h)
    structure = scenario["structure"]
    team = structure.pop("teams") | {"kind": "team", "customers": 1}
    del structure["layers"]
    units = [
        {"id": station, "kind": "approver", "name": station, "parent": parent,
         "mandate": None if parent is None else 0, "skill": 1.0,
         "review_time_h": {"dist": "exponential", "mean": 1 / service_rates[station]}}
        for station, parent in UNEVEN_TREE["stations"].items()
    ]  # fmt: skip
    units += [
        team | {"id": name, "parent": parent, "requests_per_customer_per_day": rate * HOURS_PER_DAY}
        for name, (parent, rate) in UNEVEN_TREE["teams"].items()
    ]
    structure["units"] = units
    return scenario


def pooled_team(
    arrival_rate_per_h: float, service_rate: float, servers: int, hours: float, warmup_h: float
) -> dict[str, Any]:
    """A team of ``servers`` employees sharing one queue, deciding everything alone: M/M/c."""
    scenario = _base(f"mmc-{servers}", arrival_rate_per_h, hours, warmup_h)
    kind = scenario["demand"]["kinds"][0]
    kind["work_h"] = {"dist": "exponential", "mean": 1 / service_rate}
    scenario["structure"]["teams"] |= {
        "size": servers,
        "pooled": True,
        "employee_mandate": None,
    }
    return scenario


def screening(
    structure: str,
    evaluators: int,
    skill: float,
    proposals: int,
    rule: str = "all",
    caution: float = 0.0,
    k: int | None = None,
    correlation: float = 0.0,
) -> dict[str, Any]:
    """Proposals, half good, judged by ``evaluators`` people of equal ``skill``.

    ``structure`` ``"chain"`` is a hierarchy of single managers in series (each must
    approve); ``"sequential"`` and ``"parallel"`` are one committee with ``rule`` (and
    ``k`` for ``k_of_n``), reviewing in turn or at once. Reviews are quick and demand
    is light, so queues play no part; rework is off, so each proposal is judged once.
    ``caution`` is every approver's (:mod:`orgsim.sim.judgement`): unless 0, an
    evaluator's chances of accepting good and bad proposals do not add up to one.
    ``correlation`` is the chance each committee member follows the committee's one
    shared reading (:mod:`orgsim.sim.juries`).
    """
    hours = proposals / 0.5
    scenario = _base(f"screening-{structure}-{rule}-{evaluators}", 0.5, hours, 0.0)
    scenario["demand"]["kinds"][0]["good_share"] = 0.5
    scenario["structure"]["teams"]["skill"] = skill
    quick = {"dist": "exponential", "mean": 0.01}
    if structure == "chain":
        scenario["structure"]["layers"] = [
            _approver(f"layer_{i + 1}", None if i == evaluators - 1 else 0, quick, skill)
            for i in range(evaluators)
        ]
    else:
        committee = _approver("committee", None, quick, skill)
        committee |= {"members": evaluators, "rule": rule, "review": structure, "k": k}
        scenario["structure"]["layers"] = [committee]
    if caution:
        scenario["judgement"] = {"manager_caution": caution}
    if correlation:
        scenario["juries"] = {"correlation": correlation}
    return scenario


def knowledge_hierarchy(
    knowledge: Sequence[float], difficulty_mean: float, proposals: int
) -> dict[str, Any]:
    """Employees who know up to ``knowledge[0]``, layers above up to the rest, then an expert.

    Difficulties are exponential of ``difficulty_mean``; every mandate is unlimited and
    trust full, so a request leaves its level only when nobody there knows it (Garicano
    2000). The top layer knows everything, so every request is solved somewhere.
    """
    scenario = _base(f"knowledge-{len(knowledge)}", 0.5, proposals / 0.5, 0.0)
    scenario["structure"]["teams"]["employee_mandate"] = None
    quick = {"dist": "exponential", "mean": 0.01}
    layers = [*knowledge[1:], 1e9]
    scenario["structure"]["layers"] = [
        _approver(f"layer_{i + 1}", None, quick, 1.0) for i in range(len(layers))
    ]
    scenario["knowledge"] = {
        "enabled": True,
        "difficulty": {"dist": "exponential", "mean": difficulty_mean},
        "employees": knowledge[0],
        "layers": layers,
    }
    return scenario

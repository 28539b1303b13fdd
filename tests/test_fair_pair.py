"""The starting pair differs only in its structure and the policies that belong to it.

Both files are loaded (inheritance resolved, defaults filled in) and compared field by
field. Only the paths in ALLOWED may differ, each for the reason given; the people,
their skill and trust, the customers, prices and costs, coordination and coaching
settings, information and hand-offs must be identical.
"""

from pathlib import Path
from typing import Any

import pytest

from orgsim.scenario.loading import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

ALLOWED = {
    "name": "each scenario's own name",
    "description": "says what differs from its partner",
    "structure.layers": "the structure: approval layers, or a leadership circle",
    "structure.teams.employee_mandate": "mandates are a policy of the structure",
    "structure.teams.team_mandate": "a team mandate exists only where teams decide",
    "structure.teams.decision": "the decision process: up the line, or the advice process",
    "structure.teams.advisors": "the decision process: colleagues consulted",
    "structure.teams.consult_time_h": "the decision process: an advisor's hours",
    "culture.trust.blame": "the blame policy",
}
"""Dotted paths (and everything under them) the pair may differ in, with the reason."""

PAIRS = [("hierarchy.yaml", "self_managing.yaml")]


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a dumped scenario by its dotted path (list items by index)."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return {prefix: value}
    leaves: dict[str, Any] = {}
    for key, item in items:
        path = f"{prefix}{key}" if key.startswith("[") else f"{prefix}.{key}" if prefix else key
        leaves |= _flat(item, path)
    return leaves


def _allowed(path: str) -> bool:
    return any(path == a or path.startswith((f"{a}.", f"{a}[")) for a in ALLOWED)


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_the_pair_differs_only_where_allowed(first, second):
    a, b = (_flat(load_scenario(SCENARIOS / f).model_dump(mode="json")) for f in (first, second))
    differing = sorted(
        path for path in a.keys() | b.keys() if a.get(path) != b.get(path) and not _allowed(path)
    )
    assert differing == [], differing


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_the_people_customers_and_prices_are_the_same_and_present(first, second):
    """The shared sections are there, not identical by being absent from both."""
    a, b = (load_scenario(SCENARIOS / f) for f in (first, second))
    for section in ("demand", "satisfaction", "money", "coordination", "run"):
        assert getattr(a, section) == getattr(b, section)
    assert a.structure.teams.count * a.structure.teams.size == 48
    assert a.culture.trust.initial == b.culture.trust.initial
    assert a.structure.teams.skill == b.structure.teams.skill
    assert a.money.lost_customer_value == 25_000


def test_a_difference_outside_the_allowed_paths_is_caught():
    """The check can fail: the old pair's initial trust (0.6 against 0.8) is refused."""
    a = load_scenario(SCENARIOS / "hierarchy.yaml", {"culture.trust.initial": 0.6})
    b = load_scenario(SCENARIOS / "self_managing.yaml")
    flat_a, flat_b = _flat(a.model_dump(mode="json")), _flat(b.model_dump(mode="json"))
    differing = [p for p in flat_a if flat_a[p] != flat_b.get(p) and not _allowed(p)]
    assert differing == ["culture.trust.initial.value"]


def test_each_description_names_its_partner():
    for first, second in PAIRS:
        assert second in load_scenario(SCENARIOS / first).description
        assert first in load_scenario(SCENARIOS / second).description

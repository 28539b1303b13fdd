"""Any scenario as an org chart: one row per person, the id of their manager, role and unit.

The shorthand's scenarios included, so that a user can start from ``hierarchy.yaml`` in a
spreadsheet. A team's members are rows of kind ``employee`` whose ``unit`` is the team;
a committee's members share its ``unit`` and report to its first member (its chair), the
one its reports name.
Mandates, customers and request rates are written too, so that importing the chart with
the scenario as template (``orgsim import-org chart.csv --template scenario.yaml``) gives
back the same organisation.
"""

from __future__ import annotations

from typing import Any

from orgsim.scenario.chart import chart_text
from orgsim.scenario.explicit import units_of
from orgsim.scenario.schema import Scenario

COLUMNS = (
    "id", "manager_id", "role", "kind", "unit", "mandate", "customers",
    "requests_per_customer_per_day",
)  # fmt: skip


def chart_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per person of ``scenario``: managers top-down as built, then the teams."""
    units = units_of(scenario)
    head: dict[str, str] = {}  # unit id -> the id of the person its reports name
    for unit in units:
        if unit["kind"] != "team":
            head[unit["id"]] = f"{unit['id']}.m1" if unit["members"] > 1 else unit["id"]
    rows = []
    for unit in units:
        manager = head.get(unit["parent"]) if unit["parent"] else None
        if unit["kind"] == "team":
            rows += [_employee(unit, k, manager) for k in range(1, unit["size"] + 1)]
        else:
            rows += _managers(unit, manager)
    return rows


def _managers(unit: dict[str, Any], manager: str | None) -> list[dict[str, Any]]:
    count = unit["members"]
    ids = [unit["id"]] if count == 1 else [f"{unit['id']}.m{k}" for k in range(1, count + 1)]
    return [
        {
            "id": person,
            "manager_id": manager if person == ids[0] else ids[0],  # members report to the chair
            "role": unit["name"],
            "kind": unit["kind"],
            "unit": unit["id"],
            "mandate": _mandate(unit.get("mandate")),
        }
        for person in ids
    ]


def _employee(team: dict[str, Any], number: int, manager: str | None) -> dict[str, Any]:
    return {
        "id": f"{team['id']}.e{number}",
        "manager_id": manager,
        "role": "employee",
        "kind": "employee",
        "unit": team["id"],
        "mandate": _mandate(team["employee_mandate"]),
        "customers": team["customers"],
        "requests_per_customer_per_day": team["requests_per_customer_per_day"],
    }


def _mandate(value: float | None) -> str:
    return "unlimited" if value is None else f"{value:g}"


def chart_csv(scenario: Scenario) -> str:
    """``scenario``'s chart as CSV text."""
    return chart_text(chart_rows(scenario), COLUMNS)

"""An org chart turned into an organisation: which people are approvers, which form teams.

People with reports are approvers (or coaches, but the top, who decides what no team may);
people without reports under one manager
form a team (one team per value of the ``unit`` column, if the chart has one; rows of one
``unit`` marked ``committee`` form a committee). What the chart does not say comes from a
template scenario (by default ``scenarios/hierarchy.yaml``): the demand, the culture, and
each unit's settings, taken from the template's unit of the same id, else of the same
role, else its first of the kind. Every value is recorded as read, inferred or
defaulted, for the comments of the written file and the printed summary.

Ids become stable pseudonyms (a hash of the id) unless names are kept, and names never
leave the chart unless asked for: an org chart is personal data.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from orgsim.scenario.chart import Person
from orgsim.scenario.explicit import Unit, units_of
from orgsim.scenario.schema import Scenario

DEFAULT_MANDATES = (5000.0, 25000.0, 100000.0, 500000.0)
"""Mandates by a manager's height above the teams, when neither chart nor template says."""


@dataclass
class Imported:
    """The units inferred from a chart, with a note per unit and the summary's counts."""

    units: list[Unit]
    notes: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def infer(
    people: Sequence[Person],
    template: Scenario,
    *,
    keep_names: bool = False,
    managers_as: str = "approvers",
    path: str = "chart",
) -> Imported:
    """The organisation ``people`` describe, completed from ``template``.

    Raises:
        ChartError: a cell that cannot be read (naming its line and column).
    """
    reports: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        if person.manager is not None:
            reports[person.manager].append(person)
    kinds = {p.id: _kind(p, reports, managers_as) for p in people}
    height = _heights(people, reports, kinds)
    done = Imported([])
    names = _Namer(keep_names)
    like = _Template(template)
    managers = _units_of_managers(people, kinds)
    unit_of = {person.id: key for key, members in managers.items() for person in members}

    def parent_of(person: Person) -> str | None:
        return None if person.manager is None else names.unit(unit_of[person.manager])

    for key, members in managers.items():
        unit = _manager_unit(key, members, kinds[members[0].id], height, like, names, done, path)
        done.units.append({**unit, "parent": parent_of(members[0])})
    for (_, unit_name), members in _teams(people, kinds).items():
        parent = parent_of(members[0])
        done.units.append(_team_unit(unit_name, members, parent, like, names, done, path))
    return done


def _kind(person: Person, reports: dict[str, list[Person]], managers_as: str) -> str:
    given = person.text("kind").lower()
    if given in ("approver", "committee", "coach", "employee"):
        return given
    if person.id in reports:  # as coaches, the top still decides what no team may
        coach = managers_as == "coaches" and person.manager is not None
        return "coach" if coach else "approver"
    return "employee"


def _heights(
    people: Sequence[Person], reports: dict[str, list[Person]], kinds: dict[str, str]
) -> dict[str, int]:
    """Each manager's height above the teams: 1 + the greatest of its managing reports'."""
    height: dict[str, int] = {}
    by_id = {p.id: p for p in people}
    order = _bottom_up(people, reports)
    for person_id in order:
        below = [height[r.id] for r in reports.get(person_id, []) if kinds[r.id] != "employee"]
        height[person_id] = 1 + max(below, default=0)
    for person in people:  # a committee's members sit at their chair's height
        if kinds[person.id] == "committee" and person.manager is not None:
            chair = by_id[person.manager]
            if kinds[chair.id] == "committee" and chair.text("unit") == person.text("unit"):
                height[person.id] = height[chair.id]
    return height


def _bottom_up(people: Sequence[Person], reports: dict[str, list[Person]]) -> list[str]:
    """Ids with everyone's reports before them (an iterative post-order)."""
    top = next(p.id for p in people if p.manager is None)
    order, stack = [], [(top, False)]
    while stack:
        person_id, expanded = stack.pop()
        if expanded:
            order.append(person_id)
            continue
        stack.append((person_id, True))
        stack += [(r.id, False) for r in reports.get(person_id, [])]
    return order


def _units_of_managers(people: Sequence[Person], kinds: dict[str, str]) -> dict[str, list[Person]]:
    """Managers by unit: one each, a committee's members (same ``unit``) together."""
    units: dict[str, list[Person]] = {}
    for person in people:
        kind = kinds[person.id]
        if kind == "employee":
            continue
        key = f"committee:{person.text('unit')}" if kind == "committee" else person.id
        units.setdefault(key, []).append(person)
    return units


def _teams(
    people: Sequence[Person], kinds: dict[str, str]
) -> dict[tuple[str | None, str], list[Person]]:
    """Employees by manager and ``unit``: each group a team, in the order first met."""
    teams: dict[tuple[str | None, str], list[Person]] = {}
    for person in people:
        if kinds[person.id] == "employee":
            teams.setdefault((person.manager, person.text("unit")), []).append(person)
    return teams


def _manager_unit(
    key: str,
    members: list[Person],
    kind: str,
    height: dict[str, int],
    like: _Template,
    names: _Namer,
    done: Imported,
    path: str,
) -> Unit:
    chair = members[0]
    role = chair.text("role") or f"level_{height[chair.id]}"
    own_id = chair.text("unit") if kind == "committee" else chair.id
    settings, source = like.point(own_id, role)
    unit: Unit = {**settings, "id": names.unit(key), "kind": kind, "name": role}
    if kind == "committee":
        unit["members"] = len(members)
    notes = [f"{len(members)} people" if len(members) > 1 else "1 person", source]
    mandate = chair.number("mandate", path)
    if mandate is not None:
        unit["mandate"] = None if math.isinf(mandate) else mandate
        notes.append("mandate read")
        done.counts["mandates read"] += 1
    elif kind != "coach" and "template" not in source:
        unit["mandate"] = (
            None
            if chair.manager is None
            else DEFAULT_MANDATES[min(height[chair.id], len(DEFAULT_MANDATES)) - 1]
        )
        notes.append("mandate defaulted by level")
        done.counts["mandates defaulted"] += 1
    if not chair.text("role"):
        notes.append(f"role inferred from height ({role})")
        done.counts["roles inferred"] += 1
    done.counts[f"{kind}s"] += 1
    done.notes[unit["id"]] = "; ".join(notes) + names.names(members)
    return unit


def _team_unit(
    unit_name: str,
    members: list[Person],
    parent: str | None,
    like: _Template,
    names: _Namer,
    done: Imported,
    path: str,
) -> Unit:
    first = members[0]
    settings, source = like.team(unit_name, parent)
    size = len(members)
    team: Unit = {**settings, "kind": "team", "parent": parent, "size": size}
    team["id"] = names.team(unit_name, first.manager)
    notes = [f"team of the {size} people without reports under their manager", source]
    mandates = [p.number("mandate", path) for p in members]
    if all(m is not None for m in mandates):
        team["employee_mandate"] = None if math.isinf(max(mandates)) else max(mandates)
        notes.append("mandate read")
        done.counts["mandates read"] += 1
    customers = first.number("customers", path)
    if customers is not None:
        team["customers"] = max(1, round(customers))
        notes.append("customers read")
    else:
        team["customers"] = like.customers_for(size)
        notes.append(f"customers in proportion to size ({team['customers']})")
        done.counts["customers inferred"] += 1
    rate = first.number("requests_per_customer_per_day", path)
    if rate is not None:
        team["requests_per_customer_per_day"] = rate
    if settings.get("decision") == "advice":
        team["advisors"] = min(settings.get("advisors", 2), size - 1)
    done.counts["teams"] += 1
    done.notes[team["id"]] = "; ".join(notes) + names.names(members)
    return team


class _Template:
    """Settings the chart does not give, from the template scenario's units."""

    def __init__(self, template: Scenario) -> None:
        units = units_of(template)
        self.by_id = {u["id"]: u for u in units}
        self.points = [u for u in units if u["kind"] != "team"]
        self.teams = [u for u in units if u["kind"] == "team"]
        self.name = template.name
        first = self.teams[0]
        self.per_person = first["customers"] / first["size"]

    def point(self, own_id: str, role: str) -> tuple[dict[str, Any], str]:
        found = self.by_id.get(own_id)
        if found is not None and found["kind"] != "team":
            return _settings(found), f"settings of {self.name}'s {own_id} (template)"
        same = [u for u in self.points if u.get("name") == role]
        if same:
            return _settings(same[0]), f"settings of {self.name}'s {role} (template)"
        base = _settings(self.points[0]) if self.points else {}
        base.pop("mandate", None)
        base.pop("members", None)
        return base, "other settings defaulted"

    def team(self, unit_name: str, parent: str | None) -> tuple[dict[str, Any], str]:
        found = self.by_id.get(unit_name)
        if found is not None and found["kind"] == "team":
            return _settings(found), f"settings of {self.name}'s {unit_name} (template)"
        base = _settings(self.teams[0])
        base.pop("customers", None)
        return base, f"settings of {self.name}'s teams (template)"

    def customers_for(self, size: int) -> int:
        return max(1, round(self.per_person * size))


def _settings(unit: Unit) -> dict[str, Any]:
    return {k: v for k, v in unit.items() if k not in ("id", "kind", "parent", "size")}


class _Namer:
    """Stable pseudonyms for ids (a hash), or the ids themselves made valid, with names."""

    def __init__(self, keep_names: bool) -> None:
        self.keep = keep_names
        self.used: set[str] = set()

    def unit(self, key: str) -> str:
        if self.keep:
            return _valid(key.removeprefix("committee:"))
        return "p" + hashlib.sha256(key.encode()).hexdigest()[:10]

    def team(self, unit_name: str, manager: str | None) -> str:
        if self.keep:
            ident = _valid(unit_name or f"{manager or 'top'}_team")
        else:
            ident = "t" + hashlib.sha256(f"{manager}|{unit_name}".encode()).hexdigest()[:10]
        unique, n = ident, 1
        while unique in self.used:
            n += 1
            unique = f"{ident}_{n}"
        self.used.add(unique)
        return unique

    def names(self, members: Sequence[Person]) -> str:
        if not self.keep:
            return ""
        shown = [p.text("name") for p in members if p.text("name")]
        return f"; {', '.join(shown[:5])}" + (" ..." if len(shown) > 5 else "") if shown else ""


def _valid(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.\-]", "_", text)[:60]
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"

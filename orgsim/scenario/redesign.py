"""What-if redesigns: named changes that turn a scenario's tree into another one.

Each change is data (a :class:`Change`: a name for the report and a function of a list
of units) and works on the explicit units of any scenario (:mod:`orgsim.scenario.explicit`),
so a shorthand file and an imported chart are redesigned alike. The same people are kept
(their skills, customers and demand) unless the change says otherwise: taking out a
layer lets its managers go, a deal committee brings new ones. :func:`redesign` applies
changes in order and validates the result like any scenario file.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explicit import Unit, as_mapping, units_of, with_units
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.schema import Scenario

TEAM_ROLES = ("employee", "team")
"""Mandates of teams: ``employee`` (each member's), ``team`` (the team's collective one)."""

COMMITTEE = {
    "kind": "committee",
    "name": "deal_committee",
    "members": 5,
    "rule": "majority",
    "review": "parallel",
    "review_time_h": {"dist": "exponential", "mean": 1.0},
    "availability": 0.2,
    "meeting_block_h": 32.0,
    "mandate": None,
}
"""A deal committee put on top: five members, a majority, reading dossiers one day a week
(as ``hierarchy.yaml``'s)."""


class RedesignError(ScenarioError):
    """A change that cannot be made to this tree; the message names the change and why."""


@dataclass(frozen=True)
class Change:
    """One named change of an organisation's tree.

    Attributes:
        name: what it does, in the words of a report (``take out department_manager``).
        apply: the change, from the units before to the units after.
        label: a few words for a table's column (``no department_manager``).
    """

    name: str
    apply: Callable[[list[Unit]], list[Unit]]
    label: str = ""

    def __repr__(self) -> str:
        return f"Change({self.name!r})"


def redesign(
    scenario: Scenario | str | Path, changes: Sequence[Change], name: str | None = None
) -> Scenario:
    """``scenario`` with ``changes`` made in order, named and described by them.

    Without ``name``, the changes' labels name it (``no department_manager``).

    Raises:
        RedesignError: a change cannot be made (it names the change and the unit).
        ScenarioError: the result is no valid scenario (an undecidable request, say).
    """
    scenario = load_scenario(scenario)
    units = units_of(scenario)
    for change in changes:
        units = change.apply(units)
    raw = with_units(as_mapping(scenario), units)
    raw["name"] = name or ", ".join(change.label or change.name for change in changes)
    said = "; ".join(change.name for change in changes) or "no change"
    raw["description"] = f"{scenario.name} redesigned: {said}."
    try:
        return load_scenario(raw)
    except ScenarioError as error:
        raise ScenarioError(f"redesign of {scenario.name} ({said}): {error}") from None


# --- the changes --------------------------------------------------------------------------


def remove_layer(role: str) -> Change:
    """Take out every approver, committee or coach of ``role``: their reports move up."""
    return Change(
        f"take out {role}",
        lambda units: _removed(units, _of_role(units, role), role),
        f"no {role}",
    )


def remove_unit(unit_id: str) -> Change:
    """Take out one approver, committee or coach: its reports move to its parent."""

    def apply(units: list[Unit]) -> list[Unit]:
        found = [u for u in units if u["id"] == unit_id]
        if not found or found[0]["kind"] == "team":
            managers = [u["id"] for u in units if u["kind"] != "team"]
            raise RedesignError(
                f"take out {unit_id}: no approver, committee or coach has that id "
                f"(they are: {_shown(managers)})"
            )
        return _removed(units, found, unit_id)

    return Change(f"take out {unit_id}", apply, f"no {unit_id}")


def set_mandates(role: str | None, value: float | None) -> Change:
    """Set the mandates of ``role`` to ``value`` (None: unlimited).

    ``role`` is a role of approvers or committees, ``employee`` or ``team`` (the teams'
    mandates), or None for every approver and committee.
    """
    said = "unlimited" if value is None else f"{value:g}"
    return Change(
        f"mandates of {role or 'every approver'} set to {said}",
        lambda units: _mandates(units, role, lambda _: value),
        f"{role or 'approvers'} {said}",
    )


def scale_mandates(role: str | None, factor: float) -> Change:
    """Multiply the mandates of ``role`` (as :func:`set_mandates`) by ``factor``.

    Unlimited stays unlimited.
    """
    if not (math.isfinite(factor) and factor > 0):
        raise RedesignError(f"mandates: the factor must be a positive number, got {factor}")
    return Change(
        f"mandates of {role or 'every approver'} x{factor:g}",
        lambda units: _mandates(units, role, lambda old: None if old is None else old * factor),
        f"{role or 'approvers'} x{factor:g}",
    )


def _mandates(
    units: list[Unit], role: str | None, new: Callable[[float | None], float | None]
) -> list[Unit]:
    key = {"employee": "employee_mandate", "team": "team_mandate"}.get(role or "", "mandate")
    if role in TEAM_ROLES:
        chosen = {u["id"] for u in units if u["kind"] == "team"}
    elif role is None:
        chosen = {u["id"] for u in units if u["kind"] in ("approver", "committee")}
    else:
        chosen = {u["id"] for u in _of_role(units, role) if u["kind"] != "coach"}
    return [{**u, key: new(u[key])} if u["id"] in chosen else u for u in units]


def to_coaches(role: str | None = None) -> Change:
    """Turn the approvers (and committees) of ``role``, or all, into coaches of their teams."""

    def apply(units: list[Unit]) -> list[Unit]:
        deciders = [u for u in units if u["kind"] in ("approver", "committee")]
        chosen = {u["id"] for u in deciders}
        if role is not None:
            chosen &= {u["id"] for u in _of_role(units, role)}
        return [{**u, "kind": "coach"} if u["id"] in chosen else u for u in units]

    return Change(f"{role or 'every approver'} as coaches", apply, f"{role or 'all'} coach")


def split_teams(max_size: int) -> Change:
    """Split every team larger than ``max_size`` into cells of at most that many people.

    The cells share the team's customers (as evenly as whole accounts allow), its
    settings and its parent; ``advisors`` is cut to what a cell has.
    """
    if max_size < 1:
        raise RedesignError(f"split teams: cells need at least 1 person, got {max_size}")

    def cells(team: Unit) -> list[Unit]:
        count = -(-team["size"] // max_size)
        if count == 1:
            return [team]
        if team["customers"] < count:
            raise RedesignError(
                f"split teams: team {team['id']} has {team['customers']} customers for "
                f"{count} cells"
            )
        sizes, customers = _shares(team["size"], count), _shares(team["customers"], count)
        return [
            {**team, "id": f"{team['id']}_cell{i + 1}", "size": size, "customers": served,
             "advisors": min(team["advisors"], size - 1)}
            for i, (size, served) in enumerate(zip(sizes, customers, strict=True))
        ]  # fmt: skip

    return Change(
        f"teams split into cells of at most {max_size}",
        lambda units: [cell for u in units for cell in (cells(u) if u["kind"] == "team" else [u])],
        f"cells of {max_size}",
    )


def merge_teams(min_size: int) -> Change:
    """Merge teams smaller than ``min_size`` with small teams of the same parent.

    A merged team keeps the first team's id and settings, all members and customers, and
    its customers' requests (its rate is their mean, weighted by customers).
    """

    def apply(units: list[Unit]) -> list[Unit]:
        groups = _small_groups(units, min_size)
        first = {group[0]["id"]: group for group in groups}
        gone = {u["id"] for group in groups for u in group[1:]}
        return [
            _merged(first[u["id"]]) if u["id"] in first else u for u in units if u["id"] not in gone
        ]

    return Change(f"teams under {min_size} people merged", apply, f"teams of {min_size}+")


def deal_committee(above: float, members: int = 5) -> Change:
    """Put a deal committee on top that decides every value above ``above``.

    The old top (or tops) report to it, their mandate cut to ``above``.
    """

    def apply(units: list[Unit]) -> list[Unit]:
        ids = {u["id"] for u in units}
        new_id = next(n for n in _names("deal_committee") if n not in ids)
        tops = [u["id"] for u in units if u["parent"] is None]
        changed = [
            {**u, "parent": new_id, **_capped(u, above)} if u["id"] in tops else u for u in units
        ]
        committee = {**COMMITTEE, "id": new_id, "parent": None, "members": members}
        return [committee, *changed]

    return Change(
        f"a deal committee of {members} on top for values above {above:g}",
        apply,
        f"committee above {above:g}",
    )


# --- helpers ------------------------------------------------------------------------------


def _of_role(units: list[Unit], role: str) -> list[Unit]:
    found = [u for u in units if u["kind"] != "team" and u.get("name") == role]
    if not found:
        roles = dict.fromkeys(u.get("name") for u in units if u["kind"] != "team")
        raise RedesignError(f"no unit has role {role!r} (roles: {_shown(list(roles))})")
    return found


def _removed(units: list[Unit], gone: list[Unit], said: str) -> list[Unit]:
    """``units`` without ``gone``; each one's reports go to its nearest remaining parent."""
    parent_of = {u["id"]: u["parent"] for u in units}
    out = {u["id"] for u in gone}

    def kept_parent(parent: str | None) -> str | None:
        while parent in out:
            parent = parent_of[parent]
        return parent

    kept = [{**u, "parent": kept_parent(u["parent"])} for u in units if u["id"] not in out]
    tops = [u["id"] for u in kept if u["parent"] is None]
    if len(tops) > 1 and sum(p is None for p in parent_of.values()) == 1:
        raise RedesignError(
            f"take out {said}: it is the top, and {len(tops)} units ({_shown(tops)}) would "
            "be left without a parent; put a deal committee on top first"
        )
    return kept


def _names(stem: str) -> Iterator[str]:
    """``stem``, ``stem_2``, ``stem_3``, ...: for a new unit's id."""
    yield stem
    yield from (f"{stem}_{n}" for n in itertools.count(2))


def _shares(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole shares, as even as can be, larger first."""
    return [total // parts + (i < total % parts) for i in range(parts)]


def _small_groups(units: list[Unit], min_size: int) -> list[list[Unit]]:
    """Small teams of each parent, gathered in file order until a group reaches ``min_size``."""
    groups: list[list[Unit]] = []
    for parent in dict.fromkeys(u["parent"] for u in units if u["kind"] == "team"):
        small = [
            u
            for u in units
            if u["kind"] == "team" and u["parent"] == parent and u["size"] < min_size
        ]
        mine: list[list[Unit]] = []
        for team in small:
            if not mine or sum(t["size"] for t in mine[-1]) >= min_size:
                mine.append([])
            mine[-1].append(team)
        if len(mine) > 1 and sum(t["size"] for t in mine[-1]) < min_size:
            last = mine.pop()
            mine[-1] += last  # the last few join the group before them
        groups += [group for group in mine if len(group) > 1]
    return groups


def _merged(group: list[Unit]) -> Unit:
    customers = sum(t["customers"] for t in group)
    requests = sum(t["customers"] * t["requests_per_customer_per_day"] for t in group)
    return {
        **group[0],
        "size": sum(t["size"] for t in group),
        "customers": customers,
        "requests_per_customer_per_day": requests / customers,
    }


def _capped(unit: Unit, above: float) -> dict[str, Any]:
    if unit["kind"] == "team":
        return {}
    mandate = unit.get("mandate")
    return {"mandate": above if mandate is None else min(mandate, above)}


def _shown(names: list[Any]) -> str:
    return ", ".join(str(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")


def mandate_change(text: str) -> Change:
    """A mandate change as a command line writes it.

    ``ROLE=VALUE`` sets, ``ROLE=xFACTOR`` scales; ``ROLE`` is a role, ``employee``,
    ``team`` or ``all`` (every approver and committee); ``VALUE`` a number or
    ``unlimited``.

    Raises:
        RedesignError: naming the text and the forms allowed.
    """
    role, sep, amount = text.partition("=")
    usage = "expected ROLE=VALUE or ROLE=xFACTOR, e.g. employee=25000, all=x1.5, director=unlimited"
    if not sep or not role.strip() or not amount.strip():
        raise RedesignError(f"--mandate {text!r}: {usage}")
    role, amount = role.strip(), amount.strip().lower()
    chosen = None if role == "all" else role
    try:
        if amount in ("unlimited", "null", "none"):
            return set_mandates(chosen, None)
        if amount[0] in "x*":
            return scale_mandates(chosen, float(amount[1:]))
        value = float(amount)
    except ValueError:
        raise RedesignError(f"--mandate {text!r}: {usage}") from None
    if not (math.isfinite(value) and value >= 0):
        raise RedesignError(f"--mandate {text!r}: a mandate is 0 or more, or unlimited")
    return set_mandates(chosen, value)


_SPEC_CHANGES: dict[str, Callable[[str], Change]] = {
    "remove-unit": remove_unit,
    "remove-layer": remove_layer,
    "coaches": lambda role: to_coaches(None if role == "all" else role),
    "mandate": mandate_change,
    "split-teams": lambda n: split_teams(_whole(n, "split-teams")),
    "merge-teams": lambda n: merge_teams(_whole(n, "merge-teams")),
    "deal-committee": lambda value: deal_committee(_number(value, "deal-committee")),
}


def from_spec(text: str) -> list[Change]:
    """Changes written as ``OPTION=VALUE`` pairs joined by ``+``.

    As ``orgsim compare --redesign`` takes them:
    ``remove-layer=department_manager+mandate=employee=25000``.

    Raises:
        RedesignError: naming the part that cannot be read and the options allowed.
    """
    changes = []
    for part in text.split("+"):
        option, sep, value = part.strip().partition("=")
        if not sep or option not in _SPEC_CHANGES or not value:
            raise RedesignError(
                f"--redesign {text!r}: cannot read {part!r}; expected OPTION=VALUE joined by +, "
                f"OPTION one of {', '.join(_SPEC_CHANGES)}"
            )
        changes.append(_SPEC_CHANGES[option](value))
    return changes


def _whole(text: str, option: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise RedesignError(f"{option}={text}: expected a whole number from 1")
    return int(text)


def _number(text: str, option: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise RedesignError(f"{option}={text}: expected a value of 0 or more")
    return value

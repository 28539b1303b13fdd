"""Any scenario written out as an explicit tree of units, and back to a compact file.

:func:`units_of` lists the resolved tree of a scenario (the shorthand's included) as plain
unit mappings, one per team and one per approver, committee or coach, every setting
filled in: the form the redesigns (:mod:`orgsim.scenario.redesign`) and the org-chart
export work on. :func:`with_units` puts such a list back into a scenario mapping, the
settings every unit of a kind shares moved to ``structure.defaults`` so that the file
stays readable. Loading that mapping gives the same organisation: the same people in
the same order, drawing the same random numbers, so it runs exactly as the original.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, TypeAdapter

from orgsim.scenario.schema import Scenario
from orgsim.scenario.tree import PointPlan, TeamPlan

Unit = dict[str, Any]
"""One unit as a plain mapping (``id``, ``kind``, ``parent`` and its settings)."""

PLACE = ("id", "kind", "parent")
"""What places a unit in the tree; the rest of its keys are settings."""

_SHORTHAND_ONLY = {"count", "span", "role", *PLACE}


def units_of(scenario: Scenario) -> list[Unit]:
    """Every unit of ``scenario``'s tree: the points as built (role by role), then the teams.

    Each unit carries all its settings; a team its ``customers`` and request rate.
    """
    points = scenario.tree.points
    return [_point(p, points) for p in points] + [_team(t, points) for t in scenario.tree.teams]


def _point(point: PointPlan, points: tuple[PointPlan, ...]) -> Unit:
    spec = point.spec
    kind = "coach" if spec.role == "coach" else "committee" if spec.members > 1 else "approver"
    parent = None if point.parent is None else points[point.parent].id
    return {
        "id": point.id,
        "kind": kind,
        "parent": parent,
        **spec.model_dump(mode="python", exclude=_SHORTHAND_ONLY),
    }


def _team(team: TeamPlan, points: tuple[PointPlan, ...]) -> Unit:
    return {
        "id": team.id,
        "kind": "team",
        "parent": None if team.parent is None else points[team.parent].id,
        **team.spec.model_dump(
            mode="python",
            exclude=_SHORTHAND_ONLY | {"customers", "requests_per_customer_per_day"},
        ),
        "customers": team.customers,
        "requests_per_customer_per_day": team.requests_per_customer_per_day,
    }


def with_units(raw: dict[str, Any], units: list[Unit]) -> dict[str, Any]:
    """``raw`` (a scenario mapping) with its structure given by ``units``, defaults shared."""
    kept = ("teams", "layers", "units", "defaults")
    structure = {k: v for k, v in raw["structure"].items() if k not in kept}
    defaults, compact = shared_defaults(units)
    structure |= {"defaults": defaults, "units": compact} if defaults else {"units": compact}
    if sum(unit["parent"] is None for unit in units) > 1:
        structure["several_tops"] = True
    demand = {k: v for k, v in raw["demand"].items() if k != "customers_per_team"}
    return {**raw, "demand": demand, "structure": structure}


def shared_defaults(units: list[Unit]) -> tuple[dict[str, Unit], list[Unit]]:
    """Settings every unit of a kind (two or more) has alike, as defaults; units keep the rest."""
    defaults: dict[str, Unit] = {}
    for kind in dict.fromkeys(unit["kind"] for unit in units):
        alike = [unit for unit in units if unit["kind"] == kind]
        first = alike[0]
        shared = {
            key: value
            for key, value in first.items()
            if key not in PLACE and all(key in u and u[key] == value for u in alike[1:])
        }
        if len(alike) > 1 and shared:
            defaults[kind] = shared
    compact = [
        {k: v for k, v in unit.items() if k in PLACE or k not in defaults.get(unit["kind"], {})}
        for unit in units
    ]
    return defaults, compact


def as_mapping(scenario: Scenario) -> dict[str, Any]:
    """``scenario`` as a plain mapping a file can hold: values at their default left out.

    A unit leaves out what ``structure.defaults`` gives it, and a value at its field's
    default only where the defaults do not set that key.
    """
    raw = plain(scenario)
    structure = scenario.structure
    if structure.units is not None:
        given = structure.defaults.model_dump() if structure.defaults else {}
        read: dict[tuple[type[BaseModel], str], dict[str, Any]] = {}  # once per kind
        for unit in structure.units:
            model, defaults = type(unit), given.get(unit.kind, {})
            if (model, unit.kind) not in read:
                read[model, unit.kind] = {k: _read(model, k, v) for k, v in defaults.items()}
        raw["structure"]["units"] = [
            _unit(unit, read[type(unit), unit.kind]) for unit in structure.units
        ]
    return raw


def _unit(unit: BaseModel, defaults: dict[str, Any]) -> Unit:
    """``unit`` without what its kind's ``defaults`` (as its fields read them) give it."""
    kept = {k: v for k, v in plain(unit).items() if k not in defaults}
    kept |= {k: plain_value(getattr(unit, k)) for k in defaults if getattr(unit, k) != defaults[k]}
    order = [*PLACE, *type(unit).model_fields]
    return {k: kept[k] for k in dict.fromkeys(order) if k in kept}


@functools.cache
def _adapter(model: type[BaseModel], key: str) -> TypeAdapter[Any]:
    return TypeAdapter(model.model_fields[key].annotation)


def _read(model: type[BaseModel], key: str, value: Any) -> Any:
    """A default as the unit's field reads it (a distribution's mapping as a distribution)."""
    try:
        return _adapter(model, key).validate_python(value)
    except ValueError:
        return _UNREAD  # never equal: the unit keeps its own value


def plain(model: BaseModel) -> dict[str, Any]:
    """``model`` as a mapping without the values at their field's default (tags kept)."""
    out = {}
    for name, default in _defaults(type(model)):
        value = getattr(model, name)
        if default is _KEEP or value != default:
            out[name] = plain_value(value)
    return out


@functools.cache
def _defaults(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    """Each field of ``model`` and its default, made once (pydantic copies it at each ask).

    :data:`_KEEP` stands for the default of a field always written (required, or a tag).
    """
    return tuple(
        (
            name,
            _KEEP
            if name in _TAGS or info.is_required()
            else info.get_default(call_default_factory=True),
        )
        for name, info in model.model_fields.items()
    )


def plain_value(value: Any) -> Any:
    """A value of a model as a file holds it."""
    if isinstance(value, BaseModel):
        return plain(value)
    if isinstance(value, list | tuple):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    return value


_UNREAD = object()
_KEEP = object()

_TAGS = ("dist", "curve", "kind")
"""Discriminators: kept even at their default, so that a union can be read back."""

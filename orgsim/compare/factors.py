"""Where two resolved scenarios differ, grouped into factors a person recognises.

Every setting in which the two scenarios differ is found on their validated, fully
resolved form (defaults spelled out, ``extends`` and overrides applied). A setting is a
path into nested mappings; a list (the layers, the request kinds) and a distribution
(``{dist: ..., mean: ...}``) are one setting each, since half of one list or of one
distribution is no organisation. Settings are grouped into named factors by mechanism
group and structural element (:data:`RULES`, first match wins; a group not named there
is a factor of its own), or as the user says (``--factor NAME=path,path``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.schema import Scenario

RULES: tuple[tuple[str, str], ...] = (
    ("structure.layers", "approval layers"),
    ("structure.teams.employee_mandate", "employee mandate"),
    ("structure.teams.team_mandate", "team mandate"),
    ("structure.teams.decision", "decision process"),
    ("structure.teams.advisors", "decision process"),
    ("structure.teams.consult_time_h", "decision process"),
    ("structure.teams.coordination_cost", "decision process"),
    ("structure.teams.lateral_handoff", "lateral hand-offs"),
    ("structure.teams.max_size", "cell size"),
    ("structure.teams", "teams"),
    ("structure.information_decay", "information lost up the chain"),
    ("structure.rework", "rework"),
    ("culture.trust.blame", "blame policy"),
    ("culture.trust.initial", "initial trust"),
    ("culture.trust", "trust learning"),
    ("culture.coaching", "coaching"),
    ("demand", "demand"),
    ("satisfaction", "customers' satisfaction"),
    ("judgement", "judgement"),
    ("money", "money at stake"),
    ("monitoring", "CRM monitoring"),
    ("engagement", "engagement"),
    ("retrospectives", "retrospectives"),
    ("ideas", "ideas"),
    ("knowledge", "managers' knowledge"),
    ("escalation", "what an escalation carries"),
    ("juries", "juries"),
    ("run", "horizon"),
)
"""Path prefixes and the factor their settings belong to, the most specific first."""

IGNORED = ("name", "description")


@dataclass(frozen=True)
class Factor:
    """A named group of settings changed together, with their values on each side.

    Attributes:
        name: how the report names it (``"employee mandate"``).
        paths: the dotted paths of its settings.
        before: each path's value in the baseline.
        after: each path's value in the other scenario.
    """

    name: str
    paths: tuple[str, ...]
    before: tuple[Any, ...]
    after: tuple[Any, ...]

    @property
    def label(self) -> str:
        """The factor with its values on each side: ``"employee mandate: 500 → 5000"``."""
        sides = [f"{_short(a)} → {_short(b)}" for a, b in zip(self.before, self.after, strict=True)]
        tails = [p.rsplit(".", 1)[-1].replace("_", " ") for p in self.paths]
        if len(sides) == 1 and tails[0] in self.name:  # "employee mandate: 500 → 5,000"
            return f"{self.name}: {sides[0]}"
        return f"{self.name}: " + "; ".join(f"{t} {s}" for t, s in zip(tails, sides, strict=True))


def settings_of(scenario: Scenario) -> dict[str, Any]:
    """The scenario's settings by path: lists and distributions whole."""
    return _leaves(scenario.model_dump(mode="python"))


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(value, Mapping) or "dist" in value:
        return {prefix: value}
    found: dict[str, Any] = {}
    for key, item in value.items():
        found |= _leaves(item, f"{prefix}.{key}" if prefix else str(key))
    return found


def differences(a: Scenario, b: Scenario) -> dict[str, tuple[Any, Any]]:
    """Every setting in which ``a`` and ``b`` differ: path -> (a's value, b's value)."""
    left, right = settings_of(a), settings_of(b)
    return {
        path: (left.get(path), right.get(path))
        for path in dict.fromkeys([*left, *right])
        if path not in IGNORED and left.get(path) != right.get(path)
    }


def group(
    changed: Mapping[str, tuple[Any, Any]], own: Mapping[str, Sequence[str]] | None = None
) -> list[Factor]:
    """The changed settings as factors: the user's groups (``own``) first, then :data:`RULES`.

    Args:
        changed: path -> (baseline value, other value), from :func:`differences`.
        own: factor name -> path prefixes, taken before the rules.

    A user's path that matches nothing here is left alone (:func:`check_own` checks
    it against every pair before any run).
    """
    own = own or {}
    members: dict[str, list[str]] = {}
    for path in changed:
        members.setdefault(_factor_of(path, own), []).append(path)
    return [
        Factor(
            name,
            tuple(paths),
            tuple(changed[p][0] for p in paths),
            tuple(changed[p][1] for p in paths),
        )
        for name, paths in members.items()
    ]


def check_own(
    own: Mapping[str, Sequence[str]], changed: Sequence[Mapping[str, tuple[Any, Any]]]
) -> None:
    """Check the user's factors against every pair's differences, before any run.

    Raises:
        ScenarioError: a path matches no setting in which any pair differs.
    """
    every = [path for pair in changed for path in pair]
    for name, prefixes in own.items():
        for prefix in prefixes:
            if not any(_under(path, prefix) for path in every):
                raise ScenarioError(
                    f"--factor {name}: {prefix} is not a setting in which the compared "
                    f"scenarios differ (they differ in: {', '.join(dict.fromkeys(every))})"
                )


def _factor_of(path: str, own: Mapping[str, Sequence[str]]) -> str:
    for name, prefixes in own.items():
        if any(_under(path, prefix) for prefix in prefixes):
            return name
    for prefix, name in RULES:
        if _under(path, prefix):
            return name
    return path.split(".", 1)[0]


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def mix(a: Scenario, factors: Iterable[Factor], name: str) -> dict[str, Any]:
    """``a``'s settings with each of ``factors`` set to the other scenario's values.

    Returns:
        A raw scenario mapping, named ``name``, to validate (it may be refused).
    """
    raw = copy.deepcopy(a.model_dump(mode="python"))
    for factor in factors:
        for path, value in zip(factor.paths, factor.after, strict=True):
            _set(raw, path, copy.deepcopy(value))
    raw["name"] = name
    return raw


def _set(raw: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = raw
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def parse_factor(text: str) -> tuple[str, list[str]]:
    """``"people=culture.trust,culture.coaching"`` as ``("people", [paths])``."""
    name, sep, paths = text.partition("=")
    parts = [p.strip() for p in paths.split(",") if p.strip()]
    if not sep or not name.strip() or not parts:
        raise ScenarioError(
            f"--factor {text!r}: expected NAME=PATH[,PATH...], e.g. "
            "people=culture.trust,culture.coaching"
        )
    return name.strip(), parts


def _short(value: Any) -> str:
    """A value in a label: numbers plainly, a list by its length, a distribution briefly."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, int | float):
        return f"{value:,g}"
    if value is None:
        return "unlimited"
    if isinstance(value, list):
        names = [item.get("name") for item in value if isinstance(item, Mapping)]
        return "[" + ", ".join(str(n) for n in names) + "]" if all(names) else f"{len(value)} items"
    if isinstance(value, Mapping) and value.get("dist") == "deterministic":
        return _short(value.get("value"))
    if isinstance(value, Mapping) and "dist" in value:
        shown = {k: v for k, v in value.items() if v is not None}
        return (
            f"{shown.pop('dist')}(" + ", ".join(f"{k} {_short(v)}" for k, v in shown.items()) + ")"
        )
    return json.dumps(value) if not isinstance(value, str) else value

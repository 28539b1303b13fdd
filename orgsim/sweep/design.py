"""What an experiment varies and how it samples: the experiment file as typed data.

An experiment names one or more base scenarios, the parameters to vary (each a
``--set`` path with a list of values or a range, or a set of labelled overrides),
a sampler, the replications and a master seed. As in EMA Workbench
(``em_framework/parameters.py`` and ``samplers.py``), the design is data, kept apart
from running it (:mod:`orgsim.sweep.execute`) and from storing it
(:mod:`orgsim.sweep.store`). Every sampler draws points in the unit hypercube; each
parameter maps a coordinate in [0, 1] to one of its settings, so a Sobol or Morris
design can be analysed in that same unit space (SALib, Herman & Usher 2017).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self

import numpy as np
from pydantic import (
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    ValidationError,
    model_validator,
)

from orgsim.results.metrics import SUMMARY_KEYS
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import format_loc, printable, short
from orgsim.scenario.limits import MAX_BASES
from orgsim.scenario.overrides import parse_path
from orgsim.scenario.reading import check_sections, read_mapping
from orgsim.sweep.links import Link
from orgsim.sweep.samplers import Data as _Data
from orgsim.sweep.samplers import Grid, LatinHypercube, Morris, Sampler, Sobol

__all__ = [
    "DesignPoint",
    "Experiment",
    "Grid",
    "LatinHypercube",
    "Morris",
    "Parameter",
    "Sampler",
    "Sobol",
    "design_points",
    "load_experiment",
    "unit_sample",
]

RESERVED_COLUMNS = frozenset(
    {
        "run_key",
        "base",
        "point",
        "replication",
        "seed",
        "scenario_hash",
        "orgsim_version",
        "wall_time_s",
        "error",
        *SUMMARY_KEYS,
        # the summary's extras (orgsim.results.run.summarise), stored as figures too
        "requests_abandoned",
        "requests_in_progress",
        "throughput_per_day",
        "customers",
        "employees",
        "managers",
        "management_headcount_share",
        "events",
    }
)
"""Columns of the store that a parameter's name may not take."""

DEFAULT_FIGURES = (
    "satisfaction_mean",
    "response_time_mean_h",
    "churn_rate",
    "decision_accuracy",
)


KINDS = ("values", "range", "distribution", "levels")
"""The ways a parameter gives its settings: exactly one per parameter."""


@dataclass(frozen=True)
class Setting:
    """One setting of a parameter: the value its column shows and the overrides it makes."""

    value: Any
    overrides: dict[str, Any]


EDGE = 1e-3
"""Quantiles taken are kept within [EDGE, 1 - EDGE]: Morris designs reach 0 and 1, where
an unbounded distribution's quantile is infinite."""


class Spread(_Data):
    """A scipy.stats distribution of a parameter, e.g. ``{name: norm, loc: 0.25, scale: 0.03}``.

    A sampler's coordinate u in [0, 1] is taken as a quantile (inverse transform
    sampling), so the design's points follow the distribution.
    """

    model_config = ConfigDict(extra="allow")  # the distribution's own arguments

    name: Literal["norm", "lognorm", "truncnorm", "triang", "beta", "gamma", "uniform"]

    @model_validator(mode="after")
    def _usable(self) -> Self:
        try:
            median = self.frozen().ppf(0.5)
        except (TypeError, ValueError) as error:
            raise ValueError(f"distribution {self.name}: {error}") from None
        if not np.isfinite(median):
            raise ValueError(f"distribution {self.name} with {self.model_extra}: no finite median")
        return self

    def frozen(self) -> Any:
        """The scipy frozen distribution."""
        from scipy import stats

        return getattr(stats, self.name)(**(self.model_extra or {}))

    def quantile(self, unit: float) -> float:
        """The value below which a share ``unit`` of the distribution lies."""
        return float(self.frozen().ppf(min(max(unit, EDGE), 1 - EDGE)))


class Parameter(_Data):
    """A thing to vary: a path with values, a range or a distribution; or labelled levels."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="Its column in the store.")
    path: str | None = Field(default=None, description="A --set path, e.g. run.days.")
    values: list[Any] | None = Field(default=None, min_length=1)
    range: tuple[float, float] | None = None
    distribution: Spread | None = None
    integer: bool = Field(default=False, description="Round the values to whole numbers.")
    steps: int | None = Field(
        default=None, ge=2, description="Levels of a range or distribution in a grid."
    )
    levels: dict[int | float | str, dict[str, Any]] | None = Field(
        default=None, min_length=1, description="Label -> --set overrides, applied together."
    )
    bases: list[str] | None = Field(
        default=None, min_length=1, description="Vary it in these bases only."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        kinds = [k for k in KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                f"parameter {self.name!r}: give exactly one of {', '.join(KINDS)} "
                f"(found {kinds or 'none'})"
            )
        if (self.levels is None) != (self.path is not None):
            raise ValueError(
                f"parameter {self.name!r}: values, range and distribution need a path; "
                "levels carry their own paths"
            )
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"parameter {self.name!r}: range must be [low, high], low < high")
        if self.steps is not None and not self.continuous:
            raise ValueError(f"parameter {self.name!r}: steps applies to a range or distribution")
        return self

    @property
    def continuous(self) -> bool:
        """Whether it takes any value of a range or distribution."""
        return self.range is not None or self.distribution is not None

    @property
    def choices(self) -> list[Setting] | None:
        """The settings of a discrete parameter, or None for a continuous one."""
        if self.levels is not None:
            return [
                Setting(_column_value(label, self.numeric), dict(changes))
                for label, changes in self.levels.items()
            ]
        if self.values is not None:
            return [Setting(_column_value(v, self.numeric), {self.path: v}) for v in self.values]
        return None

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (else labels as text)."""
        if self.continuous:
            return True
        values = self.values if self.values is not None else list(self.levels or ())
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)

    @property
    def paths(self) -> list[str]:
        """The ``--set`` paths it changes: its path, or every path of its levels."""
        if self.path is not None:
            return [self.path]
        return list(
            dict.fromkeys(path for changes in (self.levels or {}).values() for path in changes)
        )

    def count(self) -> int:
        """How many settings a full factorial design takes of it (without building them)."""
        if self.levels is not None:
            return len(self.levels)
        if self.values is not None:
            return len(self.values)
        return self.steps or 0

    def grid(self) -> list[Setting]:
        """Every setting a full factorial design takes."""
        if (choices := self.choices) is not None:
            return choices
        if self.distribution is not None:  # the middles of `steps` equally likely slices
            return [self.at((i + 0.5) / self.steps) for i in range(self.steps)]
        low, high = self.range
        return [self._number(x) for x in np.linspace(low, high, self.steps)]

    def at(self, unit: float) -> Setting:
        """The setting at a coordinate in [0, 1]: a level, or a quantile of its spread."""
        if (choices := self.choices) is not None:
            return choices[min(int(unit * len(choices)), len(choices) - 1)]
        if self.distribution is not None:
            return self._number(self.distribution.quantile(unit))
        low, high = self.range
        return self._number(low + unit * (high - low))

    def _number(self, x: float) -> Setting:
        value = round(float(x)) if self.integer else float(x)
        return Setting(float(value), {self.path: value})


def _column_value(value: Any, numeric: bool) -> Any:
    if numeric:
        return float(value)
    return value if isinstance(value, str) else json.dumps(value)


# --- the experiment ---------------------------------------------------------------------


class Experiment(_Data):
    """An experiment file: bases, parameters, sampler, replications, seed, figures."""

    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(min_length=1)
    description: str = ""
    bases: list[str] = Field(
        min_length=1, max_length=MAX_BASES, description="Scenario files, relative to this file."
    )
    fixed: dict[str, Any] = Field(
        default_factory=dict, alias="set", description="--set overrides applied to every run."
    )
    parameters: list[Parameter] = Field(min_length=1)
    sampler: Sampler = Field(default_factory=lambda: Grid(method="grid"))
    replications: PositiveInt = 1
    seed: NonNegativeInt = Field(default=0, description="Master seed of every run's seed.")
    figures: list[str] = Field(default=list(DEFAULT_FIGURES), min_length=1)
    links: list[Link] = Field(
        default_factory=list, description="Paths set from the parameters by an expression."
    )
    keep: list[Literal["timeseries"]] = Field(
        default_factory=list, description="Also store each run's daily series."
    )

    @model_validator(mode="before")
    @classmethod
    def _sampler_by_name(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get("sampler"), str):
            raw = {**raw, "sampler": {"method": raw["sampler"]}}
        return raw

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"parameter names must be distinct, found {names}")
        if clash := sorted(set(names) & RESERVED_COLUMNS):
            raise ValueError(f"parameter names {clash} are columns of the store; rename them")
        if unknown := [f for f in self.figures if f not in SUMMARY_KEYS]:
            raise ValueError(f"unknown figures {unknown}; allowed: {', '.join(SUMMARY_KEYS)}")
        if clash := _shared_path(self.parameters):
            raise ValueError(clash)
        _check_links(self.links, self.parameters)
        stepless = [p.name for p in self.parameters if p.continuous and p.steps is None]
        if stepless and isinstance(self.sampler, Grid):
            raise ValueError(
                f"parameters {stepless}: a range or distribution needs `steps` in a grid"
            )
        return self

    @property
    def problem(self) -> dict[str, Any]:
        """SALib's problem over the unit hypercube, one variable per parameter."""
        names = [p.name for p in self.parameters]
        return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}

    def digest(self) -> str:
        """A hash of the design: a store may be resumed by the same design only."""
        canonical = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _check_links(links: list[Link], parameters: list[Parameter]) -> None:
    """Links take new names and use numeric parameters only."""
    numeric = [p.name for p in parameters if p.numeric]
    taken = {p.name for p in parameters} | RESERVED_COLUMNS
    for link in links:
        if link.name in taken:
            raise ValueError(f"link {link.name!r}: the name of a parameter or column")
        taken.add(link.name)
        if unknown := sorted(link.names() - set(numeric)):
            raise ValueError(
                f"link {link.name!r}: {', '.join(unknown)} not numeric parameters "
                f"(they are: {', '.join(numeric) or 'none'})"
            )


def _shared_path(parameters: list[Parameter]) -> str | None:
    """Why two parameters change one value (or one inside the other), or None.

    The column of the one applied first would record values never used.
    """
    seen: list[tuple[tuple[str | int, ...], str, str]] = []
    for parameter in parameters:
        mine = []
        for path in parameter.paths:
            try:
                tokens = tuple(parse_path(path))
            except ScenarioError:
                continue  # a bad path is named with its point when the design is resolved
            for other, name, text in seen:
                shorter = min(len(tokens), len(other))
                if tokens[:shorter] == other[:shorter]:
                    return (
                        f"parameters {name!r} and {parameter.name!r} both change {text!r} "
                        f"(as {path!r}): one would overwrite the other, and its column would "
                        "record values never applied; vary each value in one parameter only"
                    )
            mine.append((tokens, parameter.name, path))
        seen += mine
    return None


@dataclass(frozen=True)
class DesignPoint:
    """One point of the design in one base: its settings and, for samplers, its coordinates."""

    base: str
    point: int
    settings: dict[str, Setting]
    unit: tuple[float, ...] | None = None

    @property
    def overrides(self) -> dict[str, Any]:
        """All the point's overrides, in the parameters' order."""
        return {path: v for s in self.settings.values() for path, v in s.overrides.items()}

    def describe(self) -> str:
        """``hierarchy point 3 (layers=2, mandate=500.0)`` for messages."""
        values = ", ".join(f"{name}={s.value}" for name, s in self.settings.items())
        return f"{self.base} point {self.point} ({values})"


def design_points(experiment: Experiment, bases: list[str]) -> list[DesignPoint]:
    """Every point of the design in every base; a sampler's point ``i`` is shared by all."""
    if isinstance(experiment.sampler, Grid):
        points = [p for base in bases for p in _grid_points(experiment, base)]
    else:
        points = [
            DesignPoint(
                base,
                i,
                {
                    p.name: p.at(u)
                    for p, u in zip(experiment.parameters, row, strict=True)
                    if p.bases is None or base in p.bases  # a base's own parameters only
                },
                tuple(float(u) for u in row),
            )
            for base in bases
            for i, row in enumerate(unit_sample(experiment))
        ]
    return [_linked(point, experiment.links) for point in points] if experiment.links else points


def _linked(point: DesignPoint, links: list[Link]) -> DesignPoint:
    """The point with its links' settings, where every parameter a link uses is set.

    Raises:
        ScenarioError: a link's expression fails at this point (a division by zero).
    """
    values = {name: setting.value for name, setting in point.settings.items()}
    settings = dict(point.settings)
    for link in links:
        if (link.bases is None or point.base in link.bases) and link.names() <= values.keys():
            try:
                value = link.value(values)
            except ValueError as error:
                raise ScenarioError(f"{point.describe()}: {error}") from None
            settings[link.name] = Setting(value, {link.path: value})
    return DesignPoint(point.base, point.point, settings, point.unit)


def unit_sample(experiment: Experiment) -> np.ndarray:
    """The sampler's points in the unit hypercube (not for grids), seeded by the master seed."""
    sampler = experiment.sampler
    return sampler.unit_sample(experiment.problem, seed=experiment.seed)


def _grid_points(experiment: Experiment, base: str) -> list[DesignPoint]:
    varied = [p for p in experiment.parameters if p.bases is None or base in p.bases]
    grids = [p.grid() for p in varied]
    return [
        DesignPoint(base, i, dict(zip((p.name for p in varied), combo, strict=True)))
        for i, combo in enumerate(itertools.product(*grids))
    ]


# --- reading a file ---------------------------------------------------------------------


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file; every fault is a ScenarioError naming it.

    The file is read as a scenario is (:func:`~orgsim.scenario.reading.read_mapping`):
    bounded in size and values, a regular file, no key twice, ``1e3`` a number.
    """
    path = Path(path)
    raw = read_mapping(path, "experiment")
    check_sections(raw, EXPERIMENT_KEYS, path, "experiment")
    try:
        return Experiment.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError(_explain(error, path)) from None


EXPERIMENT_KEYS = frozenset(
    key for name, field in Experiment.model_fields.items() for key in (name, field.alias) if key
)
"""The top-level keys an experiment file may hold (``set``, or ``fixed`` as in Python)."""


def _explain(error: ValidationError, path: Path) -> str:
    lines = [f"{path}: {error.error_count()} problem(s) in the experiment"]
    for item in error.errors(include_url=False):
        loc = format_loc(item["loc"]) or "(top level)"
        whole = item["type"] == "missing" or isinstance(item["input"], dict)  # a section: noise
        found = "" if whole else f" (found {short(item['input'])})"
        message = printable(item["msg"].removeprefix("Value error, "), MAX_MESSAGE_CHARS)
        lines.append(f"  {loc}: {message}{found}")
    return "\n".join(lines)


MAX_MESSAGE_CHARS = 300
"""Longest problem shown: a check's message may hold values the file gave."""

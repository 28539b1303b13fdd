"""Inputs for the loader's tests: the shipped scenarios, bad scenario files, and strategies.

The raw mappings and the dotted-path setter here are the tests' own, deliberately
independent of :mod:`orgsim.scenario.loading`, so that a bug there cannot hide itself.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"


# --- the shipped scenarios as raw data ----------------------------------------------------


def raw_scenario(path: Path) -> dict[str, Any]:
    """The file's mapping merged over the file it extends: mappings merge, the rest replaces."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    parent = raw.pop("extends", None)
    return merged(raw_scenario(path.parent / parent), raw) if parent else raw


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def split_path(path: str) -> list[str | int]:
    """``"a.b[2].c"`` as ``["a", "b", 2, "c"]`` (well-formed paths only)."""
    return [
        int(index) if index else name
        for name, index in re.findall(r"([^.\[\]]+)|\[(-?\d+)\]", path)
    ]


def with_values(raw: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``raw`` with each dotted path set (missing mappings are created)."""
    result = copy.deepcopy(raw)
    for path, value in changes.items():
        *parents, last = split_path(path)
        node: Any = result
        for token in parents:
            node = node.setdefault(token, {}) if isinstance(node, dict) else node[token]
        node[last] = value
    return result


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# --- bad scenario files, one of each kind -----------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A bad input: files to write (``scenario.yaml`` is loaded), overrides, message parts.

    A file's content is a mapping of dotted changes to hierarchy.yaml, or raw text (str
    or bytes). ``{dir}`` in a message part stands for the directory the files are in.
    """

    files: dict[str, dict[str, Any] | str | bytes]
    expected: tuple[str, ...]
    overrides: tuple[str, ...] = ()


BAD_VALUES: dict[str, Bad] = {
    "unknown_key": Bad(
        {"scenario.yaml": {"demand.colour": "red"}},
        ("demand.colour", "unknown key", "'red'", "kinds, new_customers, requests_per"),
    ),
    "unknown_top_level_key": Bad(
        {"scenario.yaml": {"structur": {}}},
        ("structur", "unknown key", "money, monitoring, name"),
    ),
    "unknown_key_in_distribution": Bad(
        {"scenario.yaml": {"structure.layers[0].review_time_h.shape": 2}},
        ("structure.layers[0].review_time_h.shape", "unknown key", "cap, dist, mean", "2"),
    ),
    "wrong_type": Bad(
        {"scenario.yaml": {"structure.teams.count": "eight"}},
        ("structure.teams.count", "valid integer", "'eight'"),
    ),
    "wrong_type_section": Bad(
        {"scenario.yaml": {"demand.kinds": "routine"}},
        ("demand.kinds", "valid list", "'routine'"),
    ),
    "negative_rate": Bad(
        {"scenario.yaml": {"demand.requests_per_customer_per_day": -1}},
        ("demand.requests_per_customer_per_day", "greater than or equal to 0.000001", "-1"),
    ),
    "probability_above_one": Bad(
        {"scenario.yaml": {"structure.information_decay": 1.5}},
        ("structure.information_decay", "less than or equal to 1", "1.5"),
    ),
    "unknown_distribution": Bad(
        {"scenario.yaml": {"structure.handoff_time_h": {"dist": "weibull", "mean": 1}}},
        ("structure.handoff_time_h", "'weibull'", "'exponential'", "'lognormal'"),
    ),
    "undecidable_request": Bad(
        {
            "scenario.yaml": {
                "structure.layers[3].mandate": 150000,
                "demand.kinds[3].value.cap": 150000,
                "demand.kinds[1].value": 200000,
            }
        },
        ("request kind 'complaint'", "200000", "150000", "never be decided"),
    ),
    "mandates_shrink_up_the_route": Bad(
        {"scenario.yaml": {"structure.layers[1].mandate": 1000}},
        ("structure", "'department_manager' mandate is 1000", "'team_lead'", "must not shrink"),
    ),
    "missing_section": Bad(
        {"scenario.yaml": {"structure.teams": None}},
        ("structure.teams", "structure.units", "is required, found neither"),
    ),
}

BAD_FILES: dict[str, Bad] = {
    "missing_file": Bad({}, ("scenario.yaml", "no such scenario file")),
    "broken_yaml": Bad(
        {"scenario.yaml": "name: x\ndemand: [1,\n  2\nstructure: {a: 1}\n"},
        ("broken YAML", "line 4, column 10"),
    ),
    "tab_indentation": Bad(
        {"scenario.yaml": "name: x\n\tdemand: 1\n"}, ("broken YAML", "line 2, column 1", "'\\t'")
    ),
    "impossible_date": Bad(
        {"scenario.yaml": "name: 2020-13-01\n"},
        ("broken YAML", "line 1, column 7", "'2020-13-01'", "month must be in 1..12"),
    ),
    "control_character": Bad(
        {"scenario.yaml": "name: a\x07\n"}, ("broken YAML", "line 1, column 8", "special char")
    ),
    "not_utf8": Bad({"scenario.yaml": b"name: \xff\xfe\n"}, ("not UTF-8",)),
    "top_level_list": Bad(
        {"scenario.yaml": "- name: x\n- name: y\n"}, ("must be a mapping", "this is a list")
    ),
    "empty_file": Bad({"scenario.yaml": "# nothing\n"}, ("must be a mapping", "this is empty")),
    "circular_extends": Bad(
        {"scenario.yaml": "extends: b.yaml\n", "b.yaml": "extends: scenario.yaml\n"},
        ("circular", "scenario.yaml -> {dir}/b.yaml -> {dir}/scenario.yaml"),
    ),
    "extends_itself": Bad({"scenario.yaml": "extends: scenario.yaml\n"}, ("circular",)),
    "extends_missing_parent": Bad(
        {"scenario.yaml": "extends: base/nope.yaml\nname: x\n"},
        ("base/nope.yaml: no such scenario file", "(extended by {dir}/scenario.yaml)"),
    ),
    "extends_not_a_name": Bad(
        {"scenario.yaml": "extends: [a.yaml]\n"}, ("extends:", "file name", "['a.yaml']")
    ),
}

_HIERARCHY_FILE = {"scenario.yaml": {}}

BAD_OVERRIDES: dict[str, Bad] = {
    "index_out_of_range": Bad(
        _HIERARCHY_FILE,
        ("structure.layers[9]", "no such item", "4 items"),
        ("structure.layers[9].mandate=5000",),
    ),
    "index_into_mapping": Bad(
        _HIERARCHY_FILE, ("structure.teams[0]", "is no list"), ("structure.teams[0]=1",)
    ),
    "key_below_number": Bad(
        _HIERARCHY_FILE,
        ("structure.teams.count.x", "structure.teams.count is no mapping", "found 8"),
        ("structure.teams.count.x=1",),
    ),
    "bad_path": Bad(_HIERARCHY_FILE, ("run..days", "cannot read the path"), ("run..days=30",)),
    "bad_index": Bad(
        _HIERARCHY_FILE, ("structure.layers[x]", "cannot read the path"), ("structure.layers[x]=1",)
    ),
    "no_equals_sign": Bad(_HIERARCHY_FILE, ("'run.days'", "PATH=VALUE"), ("run.days",)),
    "no_path": Bad(_HIERARCHY_FILE, ("'=30'", "PATH=VALUE"), ("=30",)),
    "broken_yaml_value": Bad(
        _HIERARCHY_FILE, ("run.days=[1,", "not valid YAML", "line 1"), ("run.days=[1,",)
    ),
    "override_negative_rate": Bad(
        _HIERARCHY_FILE,
        ("demand.requests_per_customer_per_day", "greater than or equal to 0.000001", "-2"),
        ("demand.requests_per_customer_per_day=-2",),
    ),
    "override_unknown_key": Bad(
        _HIERARCHY_FILE,
        ("structure.teams.colour", "unknown key", "employee_mandate"),
        ("structure.teams.colour=red",),
    ),
}

BAD_INPUTS: dict[str, Bad] = BAD_VALUES | BAD_FILES | BAD_OVERRIDES


def write_bad(directory: Path, bad: Bad) -> Path:
    """Write the files of ``bad`` into ``directory``; return the path to load."""
    for name, content in bad.files.items():
        path = directory / name
        if isinstance(content, dict):
            write_yaml(path, with_values(raw_scenario(HIERARCHY), content))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory / "scenario.yaml"


def expected_parts(bad: Bad, directory: Path) -> list[str]:
    return [part.replace("{dir}", str(directory)) for part in bad.expected]


# --- hypothesis strategies ----------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
EDGE_NUMBERS = st.sampled_from([0, -1, -0.5, 1e-12, 1e308, 10**30, math.nan, math.inf, -math.inf])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    EDGE_NUMBERS,
    _TEXT,
    st.sampled_from(["exponential", "lognormal", "individual", "advice", "k_of_n", "null"]),
)
KEYS = st.one_of(
    _TEXT,
    st.sampled_from(["name", "demand", "structure", "teams", "layers", "dist", "extends"]),
    st.integers(-3, 3),
)
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)
YAML_FRAGMENTS = st.lists(
    st.sampled_from(
        [
            "name: x\n",
            "demand:\n",
            "  kinds:\n",
            "  - name: a\n",
            "    share: 1\n",
            "- ",
            ": ",
            "{",
            "}",
            "[",
            "]",
            ",",
            "&a ",
            "*a",
            "*b",
            "!!int ",
            "!!float ",
            "!!bool ",
            "!!timestamp ",
            "!!binary ",
            "!!set ",
            "!!python/object ",
            "? ",
            "'",
            '"',
            "|\n",
            ">\n",
            "\t",
            "\x07",
            "\ufeff",
            "%YAML 1.1\n",
            "---\n",
            "...\n",
            "#",
            "\n",
            "  ",
            "2020-13-01",
            "2020-02-30 25:61:00",
            ".nan",
            ".inf",
            "-.inf",
            "0x1F",
            "0o17",
            "1_000",
            "~",
            "yes",
            "extends: ",
            "extends: nope.yaml\n",
            "extends: .\n",
        ]
    )
    | _TEXT,
    max_size=25,
).map("".join)
YAML_DOCUMENTS = st.one_of(
    YAML_VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    YAML_FRAGMENTS,
)
"""Text a scenario file might hold: well-formed YAML of any shape, or broken YAML."""

BASE_RAWS = {path.stem: raw_scenario(path) for path in (HIERARCHY, SELF_MANAGING)}


def leaf_paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place in a raw scenario: each key and list item, nested ones included."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    paths = []
    for key, value in items:
        paths.append((*prefix, key))
        if isinstance(value, dict | list):
            paths += leaf_paths(value, (*prefix, key))
    return paths


def dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _container(raw: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = raw
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """A shipped scenario's raw mapping with a few random mutations, and --set overrides."""
    raw = copy.deepcopy(BASE_RAWS[draw(st.sampled_from(sorted(BASE_RAWS)))])
    for _ in range(draw(st.integers(1, 3))):
        _mutate(draw, raw)
    overrides = draw(st.lists(_override(raw), max_size=2))
    return raw, overrides


def _mutate(draw: st.DrawFn, raw: dict[str, Any]) -> None:
    """Delete, replace or add one key or list item somewhere in ``raw``."""
    paths = leaf_paths(raw)
    if not paths:
        return
    path = draw(st.sampled_from(paths))
    container = _container(raw, path)
    action = draw(st.sampled_from(["delete", "replace", "replace", "add"]))
    if action == "delete":
        del container[path[-1]]
    elif action == "replace":
        container[path[-1]] = draw(YAML_VALUES)
    elif isinstance(container, dict):
        container["unknown_" + draw(_TEXT)] = draw(SCALARS)
    else:
        container.append(draw(YAML_VALUES))


def _override(raw: dict[str, Any]) -> st.SearchStrategy[str]:
    known = [dotted(path) for path in leaf_paths(raw)] or ["run.days"]
    path = st.sampled_from(known) | st.sampled_from(known).map(lambda p: p + ".x") | _TEXT
    value = SCALARS.map(lambda v: yaml.safe_dump(v, default_flow_style=True).strip()) | _TEXT
    return st.builds(lambda p, v: f"{p}={v}", path, value)


# --- small scenarios that stay close to valid -------------------------------------------------

SMALL_RUN = {"days": 3, "warmup_days": 1, "hours_per_day": 8, "sample_every_days": 1}


def small(raw: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``raw`` with few teams and customers, run for three days."""
    return with_values(
        raw,
        {
            "structure.teams.count": 2,
            "structure.teams.size": 4,
            "demand.customers_per_team": 5,
            "run": dict(SMALL_RUN),
        },
    )


DISTRIBUTIONS = st.one_of(
    st.floats(0, 10),
    st.builds(lambda m: {"dist": "exponential", "mean": m}, st.floats(0.01, 10)),
    st.builds(
        lambda m, cv: {"dist": "lognormal", "mean": m, "cv": cv},
        st.floats(0.01, 10),
        st.floats(0.05, 3),
    ),
    st.builds(
        lambda m, cv: {"dist": "gamma", "mean": m, "cv": cv},
        st.floats(0.01, 10),
        st.floats(0.05, 3),
    ),
    st.builds(
        lambda lo, w: {"dist": "uniform", "low": lo, "high": lo + w},
        st.floats(0, 5),
        st.floats(0, 5),
    ),
)
"""Distributions of durations a few hours long, of every family."""

PROBABILITIES = st.sampled_from([0.0, 1.0]) | st.floats(0, 1)
PLAUSIBLE_CHANGES: list[tuple[str, st.SearchStrategy[Any]]] = [
    ("structure.teams.count", st.integers(1, 3)),
    ("structure.teams.size", st.integers(1, 6)),
    ("structure.teams.employee_mandate", st.none() | st.sampled_from([0, 500, 5000, 1e6])),
    ("structure.teams.team_mandate", st.none() | st.sampled_from([0, 5000, 1e6])),
    ("structure.teams.decision", st.sampled_from(["individual", "advice", "consensus"])),
    ("structure.teams.advisors", st.integers(0, 5)),
    ("structure.teams.pooled", st.booleans()),
    ("structure.teams.coordination_cost", st.floats(0, 1)),
    ("structure.teams.consult_time_h", DISTRIBUTIONS),
    ("structure.teams.skill", PROBABILITIES),
    ("structure.teams.max_size", st.none() | st.integers(1, 8)),
    ("structure.teams.lateral_handoff.enabled", st.booleans()),
    ("structure.teams.lateral_handoff.queue_threshold", st.integers(1, 4)),
    ("structure.teams.lateral_handoff.scope", st.sampled_from(["team", "organisation"])),
    ("structure.teams.lateral_handoff.candidates", st.integers(1, 8)),
    ("structure.layers[-1].members", st.integers(1, 6)),
    ("structure.layers[-1].rule", st.sampled_from(["all", "any", "majority"])),
    ("structure.layers[-1].review", st.sampled_from(["parallel", "sequential"])),
    ("structure.layers[-1].span", st.integers(1, 5)),
    ("structure.layers[0].span", st.integers(1, 5)),
    ("structure.layers[0].role", st.sampled_from(["approver", "coach"])),
    ("structure.layers[0].availability", st.sampled_from([1.0, 0.5, 0.01])),
    ("structure.layers[-1].availability", st.sampled_from([1.0, 0.5, 0.01])),
    ("structure.layers[0].review_time_h", DISTRIBUTIONS),
    ("structure.layers[0].skill", PROBABILITIES),
    ("structure.layers[0].absence", st.fixed_dictionaries({"share": PROBABILITIES})),
    ("structure.layers", st.just([])),
    ("structure.information_decay", PROBABILITIES),
    ("structure.handoff_time_h", DISTRIBUTIONS),
    ("structure.rework.probability", PROBABILITIES),
    ("structure.rework.max_rounds", st.integers(0, 3)),
    ("demand.requests_per_customer_per_day", st.floats(0.01, 2)),
    ("demand.kinds[0].work_h", DISTRIBUTIONS),
    ("demand.kinds[0].good_share", PROBABILITIES),
    (
        "demand.kinds[0].value",
        st.floats(0, 1e6) | st.just({"dist": "uniform", "low": 0, "high": 0}),
    ),
    ("demand.kinds[2].value.cap", st.none() | st.floats(0, 1e6)),
    ("demand.kinds[1].expected_response_h", st.floats(0.01, 50)),
    ("culture.trust.initial", PROBABILITIES),
    ("culture.trust.blame", st.booleans()),
    ("culture.trust.learning_rate", PROBABILITIES),
    ("culture.coaching.interval_days", st.floats(0.1, 5)),
    ("satisfaction.delay_curve", st.sampled_from([{"curve": "exponential", "rate": 2}])),
    (
        "satisfaction.churn",
        st.fixed_dictionaries({"yearly_base_rate": st.none(), "probability": PROBABILITIES})
        | st.fixed_dictionaries({"yearly_base_rate": st.floats(0.01, 0.5)}),
    ),
    ("coordination.share_per_colleague", st.floats(0, 0.05)),
    ("culture.coaching.session_h", st.floats(0, 4)),
    ("satisfaction.handoff_penalty", PROBABILITIES),
]


@st.composite
def plausible_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small shipped scenario with a few changes of the kind a modeller makes."""
    raw = small(BASE_RAWS[draw(st.sampled_from(sorted(BASE_RAWS)))])
    chosen = draw(st.lists(st.sampled_from(PLAUSIBLE_CHANGES), min_size=1, max_size=4))
    for path, values in chosen:
        try:
            raw = with_values(raw, {path: draw(values)})
        except IndexError:  # a layer of a list emptied by an earlier change
            continue
    return raw


# --- small organisations of any structure, for the model's invariants ----------------------


@st.composite
def layers(draw: st.DrawFn, floor: float) -> list[dict[str, Any]]:
    """Up to three layers with growing mandates, the top one unlimited."""
    built, mandate = [], floor
    count = draw(st.integers(0, 3))
    for index in range(count):
        mandate += draw(st.floats(0, 5_000))
        members = draw(st.integers(1, 4))
        rule = draw(st.sampled_from(["all", "any", "majority", "k_of_n"]))
        built.append(
            {
                "name": f"layer_{index}",
                "role": draw(st.sampled_from(["approver", "approver", "coach"])),
                "span": draw(st.integers(1, 3)),
                "mandate": mandate,
                "members": members,
                "rule": rule,
                "k": draw(st.integers(1, members)) if rule == "k_of_n" else None,
                "review": draw(st.sampled_from(["parallel", "sequential"])),
                "review_time_h": draw(DISTRIBUTIONS),
                "availability": draw(st.floats(0.2, 1.0)),
                "skill": draw(st.floats(0.0, 1.0)),
                "absence": {"share": draw(st.sampled_from([0.0, 0.1])), "mean_days": 1.0},
            }
        )
    approvers = [layer for layer in built if layer["role"] == "approver"]
    if built and not approvers:
        built[-1]["role"] = "approver"
        approvers = [built[-1]]
    if approvers:
        approvers[-1]["mandate"] = None  # the top approver may decide anything
    return built


@st.composite
def organisations(draw: st.DrawFn) -> dict[str, Any]:
    """A small, valid scenario mapping of any structure the schema allows."""
    size = draw(st.integers(1, 5))
    decision = draw(st.sampled_from(["individual", "advice", "consensus"]))
    pooled = decision == "individual" and draw(st.booleans())
    employee_mandate = draw(st.sampled_from([0.0, 100.0, 1_000.0]))
    team_mandate = employee_mandate + draw(st.floats(0, 3_000))
    structure_layers = draw(layers(team_mandate if decision != "individual" else employee_mandate))
    approvers = [layer for layer in structure_layers if layer["role"] == "approver"]
    top = None if approvers else employee_mandate
    if decision != "individual" and not approvers:
        top, team_mandate = None, None
    value_cap = 4_000.0 if top is None else top
    return {
        "name": "generated",
        "demand": {
            "customers_per_team": draw(st.integers(1, 6)),
            "requests_per_customer_per_day": draw(st.floats(0.2, 3.0)),
            "kinds": [
                {
                    "name": "generated",
                    "share": 1,
                    "value": {"dist": "uniform", "low": 0, "high": value_cap},
                    "work_h": draw(DISTRIBUTIONS),
                    "good_share": draw(st.floats(0, 1)),
                    "expected_response_h": draw(st.floats(0.5, 24)),
                }
            ],
        },
        "structure": {
            "teams": {
                "count": draw(st.integers(1, 4)),
                "size": size,
                "employee_mandate": employee_mandate
                if approvers or decision != "individual"
                else None,
                "team_mandate": team_mandate,
                "decision": decision,
                "advisors": draw(st.integers(0, size - 1)),
                "pooled": pooled,
                "consult_time_h": draw(DISTRIBUTIONS),
                "lateral_handoff": {
                    "enabled": not pooled and draw(st.booleans()),
                    "queue_threshold": 1,
                    "scope": draw(st.sampled_from(["team", "organisation"])),
                },
            },
            "layers": structure_layers,
            "information_decay": draw(st.floats(0.5, 1.0)),
            "handoff_time_h": draw(DISTRIBUTIONS),
            "rework": {"probability": draw(st.floats(0, 1)), "max_rounds": draw(st.integers(0, 2))},
        },
        "culture": {
            "trust": {
                "initial": draw(st.floats(0, 1)),
                "blame": draw(st.booleans()),
                "learning_rate": draw(st.floats(0, 0.5)),
            }
        },
        "satisfaction": {"churn": {"threshold": 0.9, "probability": draw(st.floats(0, 1))}},
        "run": {"days": draw(st.floats(2, 6)), "warmup_days": 0.5, "sample_every_days": 1},
    }


# --- scenarios across the schema's whole allowed range ----------------------------------------
# Every field drawn over all the values the schema allows, its bounds included (from
# orgsim.scenario.limits); only the size of a run (teams, customers, days) is kept small,
# so that each example runs in well under a second.

from orgsim.scenario import limits  # noqa: E402 - the section's own import


def spanning(low: float, high: float, *, open_low: bool = False) -> st.SearchStrategy[float]:
    """Floats in ``[low, high]`` (``(low, high]`` if ``open_low``): the bounds, values next to
    them, round values and everything between, on a linear and a logarithmic scale."""
    inner = math.nextafter(low, math.inf) if open_low else low
    edges = [inner, math.nextafter(inner, math.inf), math.nextafter(high, -math.inf), high]
    if low <= 1 <= high:
        edges.append(1.0)
    scale = st.floats(inner, high)
    if inner > 0:
        scale |= st.floats(math.log10(inner), math.log10(high)).map(
            lambda e: min(max(10.0**e, inner), high)
        )
    return st.sampled_from(edges) | scale


def whole_distributions(high: float = limits.MAX_PARAMETER) -> st.SearchStrategy[Any]:
    """Any distribution the schema allows, with parameters up to ``high`` (and any cap)."""
    mean = spanning(0, high, open_low=True)
    cv = spanning(limits.MIN_CV, limits.MAX_CV)
    cap = st.none() | spanning(0, high)
    return st.one_of(
        spanning(0, high),
        st.builds(lambda m, c: {"dist": "exponential", "mean": m, "cap": c}, mean, cap),
        st.builds(
            lambda m, v, c: {"dist": "lognormal", "mean": m, "cv": v, "cap": c}, mean, cv, cap
        ),
        st.builds(lambda m, v, c: {"dist": "gamma", "mean": m, "cv": v, "cap": c}, mean, cv, cap),
        st.builds(
            lambda lo, hi, c: {
                "dist": "uniform",
                "low": min(lo, hi),
                "high": max(lo, hi),
                "cap": c,
            },
            spanning(0, high),
            spanning(0, high),
            cap,
        ),
    )


def whole_probability_distributions() -> st.SearchStrategy[Any]:
    """Distributions of a probability: within [0, 1], capped where the family is unbounded."""
    return whole_distributions(1.0).map(
        lambda d: d if not isinstance(d, dict) or d["dist"] == "uniform" else d | {"cap": 1.0}
    )


WHOLE_PROBABILITIES = spanning(0, 1)
MANDATES = st.none() | spanning(0, limits.MAX_PARAMETER) | st.just(math.inf)


LEVEL_NAMES = st.sampled_from(["layer_{}", "Ünïcödé ⚙ {}", "{}" + "x" * 500, "a.b[{}]"])
RESERVED_NAMES = st.sampled_from(["team", "employee"])
"""Layer names: plain, unicode, long, with path characters; and now and then a reserved one."""


@st.composite
def whole_layers(draw: st.DrawFn, floor: float) -> list[dict[str, Any]]:
    """Layers with mandates growing from ``floor``: a few, or as many as the schema allows."""
    count = draw(st.sampled_from([0, 1, 2, 3, limits.MAX_LAYERS]))
    many = count > 3
    built, mandate = [], floor
    for index in range(count):
        mandate = min(mandate + draw(spanning(0, 1e4)), math.inf)
        members = 1 if many else draw(st.sampled_from([1, 2, 3, 5]))
        rule = draw(st.sampled_from(["all", "any", "majority", "k_of_n"]))
        availability = draw(spanning(limits.MIN_AVAILABILITY, 1))
        built.append(
            {
                "name": draw(RESERVED_NAMES)
                if index == 0 and draw(st.integers(0, 9)) == 0
                else draw(LEVEL_NAMES).format(index),
                "role": draw(st.sampled_from(["approver", "approver", "coach"])),
                "span": draw(st.sampled_from([1, 2, limits.MAX_TEAMS]) | st.integers(1, 4)),
                "mandate": mandate,
                "members": members,
                "rule": rule,
                "k": draw(st.integers(1, members)) if rule == "k_of_n" else None,
                "review": draw(st.sampled_from(["parallel", "sequential"])),
                "review_time_h": draw(whole_distributions()),
                "availability": availability,
                "meeting_block_h": None
                if availability == 1 or draw(st.booleans())
                else draw(spanning(0.05, limits.MAX_MEETING_BLOCK_H)),
                "skill": draw(whole_probability_distributions()),
                "absence": {
                    "share": draw(st.just(0.0) | spanning(limits.MIN_ABSENCE_SHARE, 0.999)),
                    "mean_days": draw(spanning(0.05, limits.MAX_ABSENCE_DAYS)),
                },
            }
        )
    approvers = [layer for layer in built if layer["role"] == "approver"]
    if approvers and draw(st.booleans()):
        approvers[-1]["mandate"] = None
    return built


@st.composite
def whole_range_scenarios(draw: st.DrawFn, all_mechanisms_on: bool = False) -> dict[str, Any]:
    """A small scenario whose every field may take any value the schema allows.

    Cross-field rules (mandates growing up the route, every request decidable) hold for
    most draws and not for all: a scenario breaking one must be refused, cleanly. The
    mechanism groups are drawn by :func:`whole_mechanisms` (``all_mechanisms_on``: every
    one, switched on).
    """
    size = draw(st.sampled_from([1, 2, 3, 6, limits.MAX_MEMBERS]))
    decision = draw(st.sampled_from(["individual", "advice", "consensus"]))
    employee_mandate = draw(MANDATES)
    floor = 0.0 if employee_mandate is None else employee_mandate
    team_mandate = draw(st.none() | st.builds(lambda extra: floor + extra, spanning(0, 1e6)))
    structure_layers = draw(whole_layers(floor if team_mandate is None else team_mandate))
    route = [employee_mandate, *([team_mandate] if decision != "individual" else [])]
    route += [layer["mandate"] for layer in structure_layers if layer["role"] == "approver"]
    top = max(math.inf if m is None else m for m in route)
    value_cap = min(top, limits.MAX_PARAMETER)
    kinds = [
        {
            "name": f"kind_{index}",
            "share": draw(spanning(0, limits.MAX_KIND_SHARE, open_low=True)),
            "value": draw(whole_distributions().map(lambda d, c=value_cap: _capped(d, c))),
            "work_h": draw(whole_distributions()),
            "good_share": draw(WHOLE_PROBABILITIES),
            "expected_response_h": draw(spanning(0, limits.MAX_PARAMETER, open_low=True)),
        }
        for index in range(draw(st.integers(1, 3)))
    ]
    days = draw(spanning(0.01, 20))
    pooled = decision == "individual" and draw(st.booleans())
    scenario = {
        "name": draw(st.text(min_size=1, max_size=50)),
        "demand": {
            "customers_per_team": draw(st.integers(1, 5)),
            "requests_per_customer_per_day": draw(
                spanning(limits.MIN_REQUEST_RATE, limits.MAX_REQUEST_RATE)
            ),
            "kinds": kinds,
        },
        "structure": {
            "teams": {
                "count": draw(st.integers(1, 3)),
                "size": size,
                "employee_mandate": employee_mandate,
                "team_mandate": team_mandate,
                "decision": decision,
                "advisors": draw(st.integers(0, size - 1)),
                "consult_time_h": draw(whole_distributions()),
                "coordination_cost": draw(spanning(0, limits.MAX_COORDINATION_COST)),
                "pooled": pooled,
                "skill": draw(whole_probability_distributions()),
                "max_size": draw(st.none() | st.integers(size, limits.MAX_MEMBERS)),
                "lateral_handoff": {
                    "enabled": not pooled and draw(st.booleans()),
                    "queue_threshold": draw(st.sampled_from([1, 2, limits.MAX_QUEUE_THRESHOLD])),
                    "scope": draw(st.sampled_from(["team", "organisation"])),
                    "candidates": draw(st.sampled_from([1, 2, limits.MAX_CANDIDATES])),
                },
            },
            "layers": structure_layers,
            "information_decay": draw(WHOLE_PROBABILITIES),
            "handoff_time_h": draw(whole_distributions()),
            "intake": {
                "dispatch": {
                    "share": draw(WHOLE_PROBABILITIES),
                    "people": draw(st.sampled_from([1, 2, limits.MAX_MEMBERS])),
                    "time_h": draw(whole_distributions()),
                },
                "transfer": {
                    "share": draw(WHOLE_PROBABILITIES),
                    "time_h": draw(whole_distributions()),
                },
                "closing": {
                    "share": draw(WHOLE_PROBABILITIES),
                    "time_h": draw(whole_distributions()),
                    **draw(
                        st.sampled_from(
                            [{"same_person": True}, {"people": 1}, {"people": limits.MAX_MEMBERS}]
                        )
                    ),
                },
            },
            "rework": {
                "probability": draw(WHOLE_PROBABILITIES),
                "max_rounds": draw(st.sampled_from([0, 1, limits.MAX_REWORK_ROUNDS])),
                "work_fraction": draw(spanning(0, limits.MAX_WORK_FRACTION, open_low=True)),
            },
        },
        "culture": {
            "trust": {
                "initial": draw(whole_probability_distributions()),
                "blame": draw(st.booleans()),
                "discovery_probability": draw(WHOLE_PROBABILITIES),
                "learning_rate": draw(WHOLE_PROBABILITIES),
            },
            "coaching": {
                "interval_days": draw(spanning(0.05, limits.MAX_DAYS)),
                "skill_gain": draw(WHOLE_PROBABILITIES),
                "skill_ceiling": draw(WHOLE_PROBABILITIES),
                "trust_gain": draw(WHOLE_PROBABILITIES),
                "session_h": draw(spanning(0, 40)),
                "coach_share": draw(WHOLE_PROBABILITIES),
            },
        },
        "satisfaction": {
            "initial": draw(WHOLE_PROBABILITIES),
            "delay_curve": draw(
                st.builds(
                    lambda s: {"curve": "logistic", "steepness": s},
                    spanning(0, 1e308, open_low=True),
                )
                | st.builds(
                    lambda r: {"curve": "exponential", "rate": r},
                    spanning(0, 1e308, open_low=True),
                )
            ),
            "wrong_decision_factor": draw(WHOLE_PROBABILITIES),
            "handoff_penalty": draw(WHOLE_PROBABILITIES),
            "gain_rate": draw(WHOLE_PROBABILITIES),
            "loss_rate": draw(WHOLE_PROBABILITIES),
            "churn": {
                "threshold": draw(WHOLE_PROBABILITIES),
                "probability": draw(WHOLE_PROBABILITIES),
                "yearly_base_rate": draw(st.none() | st.floats(1e-9, 1 - 1e-9)),
                "reference": draw(st.none() | WHOLE_PROBABILITIES),
                "sensitivity": draw(spanning(0, 50)),
            },
        },
        "run": {
            "days": days,
            "warmup_days": draw(spanning(0, days).filter(lambda w, d=days: w < d)),
            "hours_per_day": draw(spanning(0.5, 24)),
            "sample_every_days": draw(spanning(0.01, max(0.01, days))),
        },
    }
    return merged(scenario, draw(whole_mechanisms(all_mechanisms_on)))


def _capped(distribution: Any, cap: float) -> Any:
    """``distribution`` drawing at most ``cap`` (so that a request can be decided)."""
    if isinstance(distribution, dict):
        own = distribution.get("cap")
        return distribution | {"cap": cap if own is None else min(own, cap)}
    return min(distribution, cap)


# --- the seeds' mechanisms across their whole allowed range -------------------------------

UNBOUNDED = 1e308
"""Stands for a field without an upper bound (``spanning``'s log scale needs a finite one)."""

MECHANISM_GROUPS = (
    "judgement", "money", "monitoring", "engagement", "retrospectives", "ideas", "new_customers",
    "knowledge", "escalation", "juries", "coordination",
)  # fmt: skip
"""Every mechanism group the strategy draws; ``new_customers`` lives under ``demand``."""

CAUTIONS = spanning(-3.0, 3.0)
UNIT = WHOLE_PROBABILITIES


def _group_fields() -> dict[str, dict[str, st.SearchStrategy[Any]]]:
    """Each mechanism group's fields and the values each may take: all the schema allows."""
    switch = {"enabled": st.booleans()}
    return {
        "judgement": {
            "employee_caution": CAUTIONS,
            "manager_caution": CAUTIONS,
            "blame_caution": spanning(0.0, 3.0),
        },
        "money": {
            "customer_value": spanning(0, limits.MAX_PARAMETER),
            "annual_margin": spanning(0, limits.MAX_PARAMETER),
            "lifetime_years": spanning(0, 100),
            "manager_hourly_cost": spanning(0, limits.MAX_PARAMETER),
            "employee_hourly_cost": spanning(0, limits.MAX_PARAMETER),
        },
        "coordination": {
            "share_per_colleague": UNIT,
            "interval_days": spanning(0.05, limits.MAX_DAYS),
        },
        "monitoring": switch
        | {
            "interval_days": spanning(0.05, limits.MAX_DAYS),
            "reporting_h": spanning(0, limits.MAX_PARAMETER),
            "accuracy_below": UNIT,
            "response_above_h": st.none() | spanning(0, UNBOUNDED, open_low=True),
            "satisfaction_below": st.none() | UNIT,
            "action": st.sampled_from(["coach", "cut_mandate"]),
            "mandate_kept": UNIT,
            "cut_days": spanning(0.05, limits.MAX_DAYS),
        },
        "engagement": switch
        | {
            "initial": UNIT,
            "slow_after_h": spanning(0, UNBOUNDED, open_low=True),
            "loss_rate": UNIT,
            "recovery_rate": UNIT,
            "slowdown": spanning(0, 10),
            "accuracy_loss": UNIT,
        },
        "retrospectives": switch
        | {
            "interval_days": spanning(0.05, limits.MAX_DAYS),
            "meeting_h": spanning(0, 40),
            "learning_per_error": UNIT,
            "skill_ceiling": UNIT,
            "agreement_gain": UNIT,
        },
        "ideas": switch
        | {
            "per_employee_per_day": spanning(limits.MIN_IDEA_RATE, 10),
            "value": spanning(0, limits.MAX_PARAMETER),
            "write_up_h": spanning(0, limits.MAX_PARAMETER),
            "good_share": UNIT,
            "speedup": spanning(0, math.nextafter(1.0, 0)),
        },
        "knowledge": switch
        | {
            "difficulty": whole_distributions(),
            "difficulty_by_kind": st.just({}),  # kind names are drawn elsewhere
            "employees": whole_distributions(),
            "layers": st.lists(whole_distributions(), min_size=1, max_size=3),
            "unknown_right": UNIT,
            "learning_rate": UNIT,
        },
        "escalation": {
            "recommendation_weight": spanning(0, 10),
            "record_prior": spanning(0, limits.MAX_PARAMETER, open_low=True),
            "handoff_loss": st.none() | UNIT,
            "analysis_gain": UNIT,
        },
        "juries": {
            "correlation": UNIT,
            "loafing": spanning(0, 2),
            "advice_rule": st.sampled_from(["majority", "proposer"]),
        },
        "new_customers": {
            "per_day": spanning(0, limits.MAX_ARRIVALS_PER_DAY),
            "referrals_per_customer_per_day": spanning(0, limits.MAX_REQUEST_RATE),
            "referral_threshold": UNIT,
            "market_size": st.none()
            | st.sampled_from([1, 2, limits.MAX_CUSTOMERS])
            | st.integers(1, limits.MAX_CUSTOMERS),
        },
    }


GROUP_FIELDS = _group_fields()


@st.composite
def whole_mechanisms(draw: st.DrawFn, all_on: bool = False) -> dict[str, Any]:
    """Some of the mechanism groups, as a scenario's sections to merge over the rest.

    A group left out stays at its defaults (off, or neutral); one drawn has every field
    over its whole allowed range, switched on or off where it has a switch. ``all_on``
    draws every group, each switched on, so that the mechanisms meet in one run.
    """
    chosen = MECHANISM_GROUPS if all_on else draw(st.sets(st.sampled_from(MECHANISM_GROUPS)))
    sections: dict[str, Any] = {}
    for name in MECHANISM_GROUPS:
        if name in chosen:
            group = {field: draw(values) for field, values in GROUP_FIELDS[name].items()}
            if all_on and "enabled" in group:
                group["enabled"] = True
            place = sections.setdefault("demand", {}) if name == "new_customers" else sections
            place[name] = group
    return sections


FRAME_HOURS = st.lists(st.floats(0.05, 30, allow_nan=False), min_size=1, max_size=5)
"""Simulated hours of successive browser frames (repeated until the run ends)."""


# --- experiment files over the schema's whole range (issue 17) ---------------------------

EXPERIMENT_PATHS = {
    "culture.trust.initial": (0.0, 1.0),
    "structure.teams.employee_mandate": (0.0, 5000.0),
    "demand.requests_per_customer_per_day": (0.0, 0.5),
}
"""Paths an experiment may vary, each with the span of numbers it allows (about)."""

ODD_PATHS = {
    "culture.trust": (0.0, 1.0),  # a section: overlaps culture.trust.initial
    "structure.layers[1].mandate": (-1.0, 1e7),  # may shrink below the layer under it
}
"""Paths whose settings are often refused: a section, a mandate that may break the route."""

_HUGE = st.one_of(st.integers(1, 2), st.integers(1, 4), st.integers(1, 2**40))
"""Sizes: mostly small, sometimes astronomically large."""


@st.composite
def _experiment_parameter(draw: st.DrawFn, name: str, path: str, grid: bool) -> dict[str, Any]:
    low, high = {**EXPERIMENT_PATHS, **ODD_PATHS}[path]
    numbers = st.floats(low, high, allow_nan=False)
    kind = draw(st.sampled_from(["values", "range", "distribution"]))
    parameter: dict[str, Any] = {"name": name, "path": path}
    if kind == "values":
        parameter["values"] = draw(st.lists(numbers, min_size=1, max_size=6))
        return parameter
    a, b = sorted(draw(st.tuples(numbers, numbers)))
    b = b if b > a or not draw(st.integers(0, 4)) else a + (high - low) / 10  # empty at times
    if kind == "range":
        parameter["range"] = [a, b]
    else:
        parameter["distribution"] = {"name": "uniform", "loc": a, "scale": b - a}
    if grid or draw(st.booleans()):
        parameter["steps"] = draw(st.one_of(st.integers(2, 3), st.integers(2, 10**12)))
    parameter["integer"] = draw(st.booleans())
    return parameter


@st.composite
def whole_range_experiments(draw: st.DrawFn) -> dict[str, Any]:
    """An experiment file as data: any sampler, size, replications and seed the schema names.

    Its runs are short (two days) whatever it varies: what is tested is the design.
    """
    method = draw(st.sampled_from(["grid", "lhs", "sobol", "morris"]))
    sampler: dict[str, Any] = {"method": method}
    if method == "lhs":
        sampler["samples"] = draw(_HUGE)
    elif method == "sobol":
        sampler["samples"] = 2 ** draw(st.one_of(st.integers(0, 2), st.integers(0, 40)))
        sampler["second_order"] = draw(st.booleans())
    elif method == "morris":
        sampler["trajectories"] = draw(_HUGE)
        sampler["levels"] = draw(st.sampled_from([4, 2, 4, 6, 3, 9]))
    usual, odd = sorted(EXPERIMENT_PATHS), sorted(EXPERIMENT_PATHS) + sorted(ODD_PATHS)
    pool = draw(st.sampled_from([usual, usual, usual, odd]))
    paths = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    parameters = [
        draw(_experiment_parameter(f"p{i}", path, method == "grid")) for i, path in enumerate(paths)
    ]
    bases = draw(st.sampled_from([[HIERARCHY], [HIERARCHY, SELF_MANAGING]]))
    return {
        "name": "whole_range",
        "bases": [str(base) for base in bases],
        "set": {"run.days": 2, "run.warmup_days": 0},
        "parameters": parameters,
        "sampler": sampler,
        "replications": draw(_HUGE),
        "seed": draw(st.integers(0, 2**64)),
    }

"""``orgsim import-org``: a chart read, its organisation inferred, written and summarised.

Everything is checked before anything is written: the output path, the template, the
chart (a tree, every cell readable) and the scenario the chart makes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from orgsim.bulk import without_collector
from orgsim.scenario.chart import FIELDS, ChartError, read_chart
from orgsim.scenario.chart_import import Imported, infer
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explicit import as_mapping, with_units
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.schema import Scenario
from orgsim.scenario.shape import Shape, health_flags
from orgsim.scenario.writing import check_target, scenario_yaml, write_text

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "scenarios" / "hierarchy.yaml"


@without_collector  # thousands of units made at once: see orgsim.bulk
def import_org(
    chart: Path,
    *,
    template: Path | None = None,
    columns: Mapping[str, str] | None = None,
    keep_names: bool = False,
    managers_as: str = "approvers",
    name: str | None = None,
    max_depth: int = 6,
    out: Path | None = None,
    force: bool = False,
) -> tuple[str, str]:
    """The scenario text of ``chart`` and its summary; written to ``out`` if given.

    Raises:
        ScenarioError: a bad output path, template or chart (nothing is written then).
    """
    if out is not None:
        check_target(out, force)
    base = load_scenario(template or DEFAULT_TEMPLATE)
    people = read_chart(chart, columns)
    found = infer(people, base, keep_names=keep_names, managers_as=managers_as, path=str(chart))
    scenario = _scenario(found, base, name or chart.stem, chart)
    header = (
        f"Imported by orgsim import-org from {chart.name} ({len(people):,} people), the rest "
        f"from the template {base.name}.\nEach unit's comment says what was read, inferred "
        "or defaulted."
    )
    text = scenario_yaml(scenario, header, notes=found.notes)
    if out is not None:
        write_text(out, text)
    return text, summary(scenario, found, max_depth)


def _scenario(found: Imported, base: Scenario, name: str, chart: Path) -> Scenario:
    raw = with_units(as_mapping(base), found.units)
    raw["name"] = name
    raw["description"] = f"The organisation of {chart.name}, demand and culture of {base.name}."
    try:
        return load_scenario(raw)
    except ScenarioError as error:
        raise ScenarioError(f"{chart}: the organisation it makes is refused: {error}") from None


def summary(scenario: Scenario, found: Imported, max_depth: int = 6) -> str:
    """People, depth, spans, teams, what was inferred or defaulted, and the health flags."""
    lines = [f"{scenario.name}:", *(f"  {line}" for line in Shape.of(scenario.tree).lines())]
    counted = ", ".join(f"{what}: {n}" for what, n in sorted(found.counts.items()))
    lines.append(f"  read, inferred, defaulted: {counted}")
    flags = health_flags(scenario.tree, max_depth)
    lines.append("  health flags:" + ("" if flags else " none"))
    lines += [f"  - {flag}" for flag in flags]
    return "\n".join(lines)


def column_mapping(given: Sequence[str], mapping: Path | None) -> dict[str, str]:
    """Field -> header, from ``--column FIELD=HEADER`` items and a YAML mapping file.

    Raises:
        ChartError: an unknown field or an unreadable mapping.
    """
    columns: dict[str, str] = {}
    if mapping is not None:
        try:
            loaded = yaml.safe_load(mapping.read_text(encoding="utf-8")[:100_000])
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise ChartError(f"--mapping {mapping}: cannot read it ({error})") from None
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise ChartError(f"--mapping {mapping}: expected lines of FIELD: HEADER")
        columns |= {str(k): v for k, v in loaded.items()}
    for item in given:
        field, sep, header = item.partition("=")
        if not sep or not header.strip():
            raise ChartError(f"--column {item!r}: expected FIELD=HEADER, e.g. manager_id=Boss")
        columns[field.strip()] = header.strip()
    if unknown := sorted(set(columns) - set(FIELDS)):
        raise ChartError(
            f"column mapping: unknown field {unknown[0]!r}; fields: {', '.join(FIELDS)}"
        )
    return columns

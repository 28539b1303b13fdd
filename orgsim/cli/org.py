"""``orgsim redesign``, ``import-org``, ``export-org``: organisations changed, read, written."""

from __future__ import annotations

import argparse
from pathlib import Path

from orgsim.cli.options import _count
from orgsim.scenario.errors import ScenarioError


def _add_redesign(commands: argparse._SubParsersAction) -> None:
    red = commands.add_parser(
        "redesign",
        help="write a what-if redesign of an organisation as a new scenario file",
        description="Make named changes to a scenario's organisation (a shorthand or a tree "
        "of units) and write the result, an explicit tree, to --out. The same people are "
        "kept unless a change says otherwise. Changes are made in this order: units and "
        "layers taken out, approvers as coaches, mandates, teams split, teams merged, a "
        "deal committee on top. Prints what changed.",
    )
    red.add_argument("scenario", help="the scenario to redesign, e.g. scenarios/hierarchy.yaml")
    red.add_argument("--out", type=Path, required=True, metavar="FILE", help="the new scenario")
    red.add_argument("--name", help="the new scenario's name (default: the file's stem)")
    red.add_argument("--force", action="store_true", help="replace --out if it exists")
    for flag, metavar, said in _REPEATABLE_CHANGES:
        red.add_argument(flag, action="append", default=[], metavar=metavar, help=said)
    red.add_argument("--split-teams", type=_count, metavar="N", help="cells of at most N people")
    red.add_argument("--merge-teams", type=_count, metavar="N", help="merge teams under N people")
    red.add_argument(
        "--deal-committee",
        type=float,
        metavar="VALUE",
        help="a deal committee on top for values above VALUE",
    )
    red.set_defaults(command=_redesign)


_REPEATABLE_CHANGES = (
    ("--remove-unit", "ID", "take out one unit; its reports move to its parent"),
    ("--remove-layer", "ROLE", "take out every unit of a role; their reports move up"),
    ("--coaches", "ROLE", "the approvers of ROLE (or all) as coaches"),
    ("--mandate", "ROLE=VALUE", "set (employee=25000, director=unlimited) or scale (all=x1.5)"),
)


def _redesign(args: argparse.Namespace) -> int:
    from orgsim.scenario import redesign as rd
    from orgsim.scenario.loading import load_scenario
    from orgsim.scenario.shape import Shape, compared
    from orgsim.scenario.writing import check_target, scenario_yaml, write_text

    check_target(args.out, args.force)
    base = load_scenario(args.scenario)
    changes = [rd.remove_unit(unit) for unit in args.remove_unit]
    changes += [rd.remove_layer(role) for role in args.remove_layer]
    changes += [rd.to_coaches(None if role == "all" else role) for role in args.coaches]
    changes += [rd.mandate_change(text) for text in args.mandate]
    changes += [rd.split_teams(args.split_teams)] if args.split_teams else []
    changes += [rd.merge_teams(args.merge_teams)] if args.merge_teams else []
    if args.deal_committee is not None:
        changes.append(rd.deal_committee(args.deal_committee))
    if not changes:
        raise ScenarioError("redesign: no change given (see orgsim redesign --help)")
    new = rd.redesign(base, changes, name=args.name or args.out.stem)
    header = (
        f"{new.description}\nWritten by: orgsim redesign {args.scenario}; run it with orgsim run."
    )
    write_text(args.out, scenario_yaml(new, header))
    print(f"{new.name}: {new.description}")
    for line in compared(Shape.of(base.tree), Shape.of(new.tree)):
        print(f"  {line}")
    print(f"written to {args.out}")
    return 0


def _add_import_org(commands: argparse._SubParsersAction) -> None:
    imp = commands.add_parser(
        "import-org",
        help="turn an org chart (CSV or .xlsx, one row per person) into a scenario",
        description="Read an HR export (an id and a manager id per person; optionally name, "
        "title, unit or department, role, kind, mandate, customers) and write a scenario "
        "with its organisation as a tree: people with reports are approvers (or coaches), "
        "people without reports under one manager form a team. What the chart does not "
        "say comes from --template. Every inferred value is marked in a comment; ids are "
        "replaced by stable pseudonyms and names left out unless --keep-names. Prints a "
        "summary with the health flags of the chart.",
    )
    imp.add_argument("chart", type=Path, help="the chart: .csv (any delimiter) or .xlsx")
    imp.add_argument("--out", type=Path, required=True, metavar="FILE", help="the scenario")
    imp.add_argument("--force", action="store_true", help="replace --out if it exists")
    imp.add_argument(
        "--template",
        type=Path,
        metavar="FILE",
        help="scenario giving demand, culture and each unit's settings (default: the "
        "project's scenarios/hierarchy.yaml)",
    )
    imp.add_argument("--name", help="the scenario's name (default: the file's stem)")
    imp.add_argument(
        "--managers-as", choices=("approvers", "coaches"), default="approvers",
        help="what people with reports are (approvers); as coaches, the top still approves",
    )  # fmt: skip
    imp.add_argument("--keep-names", action="store_true", help="keep ids and names (personal data)")
    imp.add_argument(
        "--column", action="append", default=[], metavar="FIELD=HEADER",
        help="the header of a field, e.g. --column manager_id=Boss (repeatable)",
    )  # fmt: skip
    imp.add_argument("--mapping", type=Path, metavar="FILE", help="a YAML file of FIELD: HEADER")
    imp.add_argument(
        "--max-depth", type=_count, default=6, metavar="N", help="flag chains deeper than N (6)"
    )
    imp.set_defaults(command=_import_org)


def _import_org(args: argparse.Namespace) -> int:
    from orgsim.scenario.orgchart_io import import_org

    _, summary = import_org(
        args.chart,
        template=args.template,
        columns=_chart_columns(args),
        keep_names=args.keep_names,
        managers_as=args.managers_as,
        name=args.name or args.out.stem,
        max_depth=args.max_depth,
        out=args.out,
        force=args.force,
    )
    print(summary)
    print(f"written to {args.out}")
    return 0


def _chart_columns(args: argparse.Namespace) -> dict[str, str]:
    from orgsim.scenario.orgchart_io import column_mapping

    return column_mapping(args.column, args.mapping)


def _add_export_org(commands: argparse._SubParsersAction) -> None:
    exp = commands.add_parser(
        "export-org",
        help="write any scenario's organisation as an org chart (CSV)",
        description="Write one row per person (id, manager_id, role, kind, unit, mandate, "
        "customers, requests_per_customer_per_day) for any scenario, the teams + layers "
        "shorthand included. orgsim import-org reads it back.",
    )
    exp.add_argument("scenario", help="the scenario, e.g. scenarios/hierarchy.yaml")
    exp.add_argument("--out", type=Path, required=True, metavar="FILE", help="the chart (CSV)")
    exp.add_argument("--force", action="store_true", help="replace --out if it exists")
    exp.set_defaults(command=_export_org)


def _export_org(args: argparse.Namespace) -> int:
    from orgsim.scenario.chart_export import chart_csv
    from orgsim.scenario.loading import load_scenario
    from orgsim.scenario.writing import check_target, write_text

    check_target(args.out, args.force)
    scenario = load_scenario(args.scenario)
    write_text(args.out, chart_csv(scenario))
    print(f"{scenario.tree.headcount:,} people of {scenario.name} written to {args.out}")
    return 0

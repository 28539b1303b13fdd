"""Org charts: import (CSV, xlsx), export, round trips, and bad charts refused by line."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from strategies import HIERARCHY, SCENARIOS
from test_cli import run_cli

from orgsim import load_scenario, simulate
from orgsim.scenario import chart
from orgsim.scenario.orgchart_io import import_org

EXAMPLE_CHART = SCENARIOS / "examples" / "acme_chart.csv"
EXAMPLE = SCENARIOS / "examples" / "acme.yaml"
FIGURES = ("requests_created", "response_time_mean_h", "decision_accuracy", "churn_rate")


def figures(path: Path | object, days: float = 15) -> dict[str, float]:
    summary = simulate(path, seed=3, days=days).summary
    return {key: summary[key] for key in FIGURES}


def write_rows(
    path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


SMALL = [
    ["id", "manager_id", "name", "department"],
    ["1", "", "Zoë Ceo", "Board"],
    ["2", "1", "Jörg Lead", "Sales"],
    ["3", "2", "Ann One", "Sales"],
    ["4", "2", "Bob Two", "Sales"],
    ["5", "1", "Cas Three", "Board"],
]


# --- the example: import, run, export, import again ---------------------------------------


def test_the_shipped_example_is_what_importing_its_chart_gives() -> None:
    text, _ = import_org(EXAMPLE_CHART, name="acme")
    assert text == EXAMPLE.read_text(encoding="utf-8")


def test_the_example_chart_round_trips_through_export_and_import(tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    assert run_cli(["import-org", str(EXAMPLE_CHART), "--out", str(out)])[0] == 0
    first = figures(out)
    exported = tmp_path / "acme_export.csv"
    assert run_cli(["export-org", str(out), "--out", str(exported)])[0] == 0
    again = tmp_path / "again.yaml"
    args = ["import-org", str(exported), "--template", str(out), "--out", str(again)]
    assert run_cli(args)[0] == 0
    assert figures(again) == first
    assert load_scenario(again).tree.headcount == 611


@pytest.mark.parametrize("name", ["hierarchy", "uneven", "self_managing", "deal_committee"])
def test_any_scenario_exported_and_imported_with_itself_as_template_runs_alike(
    tmp_path: Path, name: str
) -> None:
    source = SCENARIOS / f"{name}.yaml"
    exported, back = tmp_path / "chart.csv", tmp_path / "back.yaml"
    assert run_cli(["export-org", str(source), "--out", str(exported)])[0] == 0
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert len(rows) == load_scenario(source).tree.headcount
    args = ["import-org", str(exported), "--template", str(source), "--out", str(back)]
    assert run_cli(args)[0] == 0
    ours, theirs = figures(back), figures(source)
    for key in FIGURES:
        assert ours[key] == theirs[key] or (math.isnan(ours[key]) and math.isnan(theirs[key]))


# --- what is inferred, and what is never written ------------------------------------------


def test_people_with_reports_approve_and_the_rest_form_teams_names_left_out(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "small.csv", SMALL)
    text, summary = import_org(path)
    scenario = load_scenario(_saved(tmp_path, text))
    kinds = sorted(unit.kind for unit in scenario.structure.units)
    assert kinds == ["approver", "approver", "team", "team"]  # the top, the lead; two teams
    sizes = sorted(team.spec.size for team in scenario.tree.teams)
    assert sizes == [1, 2]  # 5 under the top, 3 and 4 under the lead
    for secret in ("Zoë", "Jörg", "Ann One", "Cas Three"):
        assert secret not in text
        assert secret not in summary
    assert "mandate defaulted by level" in text
    assert "managers with 2 or fewer direct reports" in summary
    again, _ = import_org(path)
    assert again == text  # stable pseudonyms


def test_keep_names_keeps_ids_and_names_and_coaches_replace_approvers(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "small.csv", SMALL)
    text, _ = import_org(path, keep_names=True, managers_as="coaches")
    assert "Jörg Lead" in text
    units = load_scenario(_saved(tmp_path, text)).structure.units
    assert {u.id for u in units if u.kind == "coach"} == {"_2"}
    assert {u.id for u in units if u.kind == "approver"} == {"_1"}  # the top still decides


def _saved(folder: Path, text: str) -> Path:
    path = folder / "imported.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "latin-1"), ("\t", "utf-8-sig"), ("|", "utf-8")]
)
def test_delimiters_and_encodings_are_detected(
    tmp_path: Path, delimiter: str, encoding: str
) -> None:
    path = write_rows(tmp_path / "chart.csv", SMALL, delimiter, encoding)
    people = chart.read_chart(path)
    assert [p.id for p in people] == ["1", "2", "3", "4", "5"]
    assert people[1].text("name") == "Jörg Lead"


def test_an_xlsx_chart_with_its_own_headers_is_read_through_a_mapping(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    renamed = [["Personnel", "Boss", "Full Name"], *([r[0], r[1], r[2]] for r in SMALL[1:])]
    for row in renamed:
        book.active.append([int(c) if c.isdigit() else (c or None) for c in row])
    path = tmp_path / "chart.xlsx"
    book.save(path)
    out = tmp_path / "org.yaml"
    args = ["import-org", str(path), "--out", str(out), "--column", "id=Personnel"]
    code, _, err = run_cli([*args, "--column", "manager_id=Boss"])
    assert code == 0, err
    assert load_scenario(out).tree.headcount == 5


# --- bad charts: exit 2 naming the lines, nothing written ---------------------------------

BAD_CHARTS = {
    "unknown manager": ([["id", "manager_id"], ["1", ""], ["2", "9"]], ["line 3", "'9'"]),
    "cycle": (
        [["id", "manager_id"], ["1", ""], ["2", "3"], ["3", "2"]],
        ["lines 3, 4", "cycle"],
    ),
    "several tops": ([["id", "manager_id"], ["1", ""], ["2", ""]], ["lines 2, 3", "no manager"]),
    "duplicate id": (
        [["id", "manager_id"], ["1", ""], ["2", "1"], ["2", "1"]],
        ["lines 3 and 4", "twice"],
    ),
    "unreadable cell": (
        [["id", "manager_id", "mandate"], ["1", "", ""], ["2", "1", "lots"]],
        ["line 3", "column mandate", "'lots'"],
    ),
    "no id column": ([["person", "manager_id"], ["1", ""]], ["no id column", "--column"]),
    "only a header": ([["id", "manager_id"]], ["no rows"]),
}


@pytest.mark.parametrize("case", BAD_CHARTS.values(), ids=BAD_CHARTS.keys())
def test_a_bad_chart_exits_2_naming_its_lines_and_writes_nothing(
    tmp_path: Path, case: tuple[list[list[str]], list[str]]
) -> None:
    rows, expected = case
    path = write_rows(tmp_path / "chart.csv", rows)
    out = tmp_path / "org.yaml"
    code, _, err = run_cli(["import-org", str(path), "--out", str(out)])
    assert code == 2
    assert str(path) in err
    assert "Traceback" not in err
    for part in expected:
        assert part in err
    assert not out.exists()


def test_an_empty_file_and_one_over_the_bounds_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = run_cli(["import-org", str(empty), "--out", str(tmp_path / "a.yaml")])
    assert code == 2
    assert "empty" in err
    big = write_rows(tmp_path / "big.csv", SMALL)
    monkeypatch.setattr(chart, "MAX_CHART_BYTES", 20)
    code, _, err = run_cli(["import-org", str(big), "--out", str(tmp_path / "b.yaml")])
    assert code == 2
    assert "more than the 20 read" in err
    assert not (tmp_path / "b.yaml").exists()


def test_export_writes_every_person_of_a_shorthand_scenario(tmp_path: Path) -> None:
    out = tmp_path / "hierarchy.csv"
    code, text, _ = run_cli(["export-org", str(HIERARCHY), "--out", str(out)])
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 64
    assert sum(row["kind"] == "employee" for row in rows) == 48
    tops = [row for row in rows if not row["manager_id"]]
    assert [row["role"] for row in tops] == ["deal_committee"]
    assert "64 people" in text

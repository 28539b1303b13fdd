"""docs/catalogue.md names every scenario (regenerate: ``python docs/make_catalogue.py``)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_catalogue_has_a_row_and_a_section_for_every_scenario():
    # scenarios/examples/ (a chart and the scenario imported from it) is walked through in
    # docs/your_organisation.md, not catalogued: only the folder's own files are here
    catalogue = (ROOT / "docs" / "catalogue.md").read_text()
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        assert f"| {path.stem} |" in catalogue, path.stem
        assert f"### {path.stem}\n" in catalogue, path.stem


def test_every_scenario_file_opens_with_a_comment_naming_its_idea():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        assert path.read_text().startswith("# Idea:"), path.name

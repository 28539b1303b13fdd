from pathlib import Path

from orgsim.scenario.reference import reference
from orgsim.scenario.schema import Layer, Teams

DOC = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"


def test_the_scenario_reference_is_current():
    """If this fails: python -m orgsim.scenario.reference > docs/scenarios.md"""
    assert DOC.read_text() == reference()


def test_every_key_of_the_schema_is_documented_with_a_meaning():
    text = reference()
    for model in (Teams, Layer):
        for name in model.model_fields:
            row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
            assert not row.endswith("|  |"), row

"""Every shipped scenario's summary, request log and event log, byte for byte (issue 23).

The engine's hot path is optimised for speed; these digests (written by
``tests/regen_regression_figures.py``) show that no optimisation changed a single
draw, event, figure or log row. A failure names the scenario and the output.
"""

from __future__ import annotations

import json

import pytest
from regen_regression_figures import FIGURES, digests, key, scenario_files

STORED = json.loads(FIGURES.read_text())


def test_every_scenario_has_stored_figures() -> None:
    assert sorted(STORED) == sorted(key(path) for path in scenario_files())


@pytest.mark.parametrize("path", scenario_files(), ids=lambda path: path.stem)
def test_outputs_are_byte_identical_to_the_stored_figures(path) -> None:
    now = digests(path)
    stored = STORED[key(path)]
    changed = [name for name in stored if now[name] != stored[name]]
    assert not changed, (
        f"{key(path)}: {', '.join(changed)} differ from tests/regression_figures.json. "
        "If the model changed on purpose, run `python tests/regen_regression_figures.py` "
        "and say why in the commit message."
    )

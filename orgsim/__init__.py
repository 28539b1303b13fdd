"""orgsim: how an organisation's structure shapes its speed and its customers' happiness.

An agent-based, event-driven simulation on Mesa of hierarchical and self-managing
organisations. Start with :func:`simulate` and a scenario file::

    from orgsim import simulate
    result = simulate("scenarios/hierarchy.yaml", seed=1)
    result.summary["response_time_mean_h"]

or compare structures over replications: ``orgsim.compare(["a.yaml", "b.yaml"])``, and
redesigns of one: ``orgsim.redesign("a.yaml", [remove_layer("department_manager")])``
(the changes are in :mod:`orgsim.scenario.redesign`).

The names below are imported on first use, so that ``import orgsim`` (and the CLI's
``--help``) does not pay for Mesa, pandas and pydantic until they are needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgsim.results.run import SimulationResult, simulate
    from orgsim.scenario.errors import CapacityWarning, ScenarioError
    from orgsim.scenario.loading import load_scenario
    from orgsim.scenario.redesign import redesign
    from orgsim.scenario.schema import Scenario
    from orgsim.sim.model import OrgModel

__version__ = "0.1.0"
__all__ = [
    "CapacityWarning",
    "OrgModel",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "compare",
    "load_scenario",
    "redesign",
    "simulate",
]

_WHERE = {
    "CapacityWarning": "orgsim.scenario.errors",
    "OrgModel": "orgsim.sim.model",
    "Scenario": "orgsim.scenario.schema",
    "ScenarioError": "orgsim.scenario.errors",
    "SimulationResult": "orgsim.results.run",
    "load_scenario": "orgsim.scenario.loading",
    "redesign": "orgsim.scenario.redesign",
    "simulate": "orgsim.results.run",
}


_SUBPACKAGES = {"compare"}
"""Public names that are subpackages: ``orgsim.compare`` is also callable (see its doc)."""


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"orgsim.{name}")
    if name not in _WHERE:
        raise AttributeError(f"module 'orgsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*globals(), *__all__]

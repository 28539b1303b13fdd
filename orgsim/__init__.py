"""orgsim: how an organisation's structure shapes its speed and its customers' happiness.

An agent-based, event-driven simulation on Mesa of hierarchical and self-managing
organisations. Start with :func:`simulate` and a scenario file::

    from orgsim import simulate
    result = simulate("scenarios/hierarchy.yaml", seed=1)
    result.summary["response_time_mean_h"]
"""

from orgsim.loading import ScenarioError, load_scenario
from orgsim.model import OrgModel
from orgsim.results import SimulationResult, simulate
from orgsim.scenario import Scenario

__all__ = [
    "OrgModel",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "load_scenario",
    "simulate",
]
__version__ = "0.1.0"

"""The mechanism interface: the model builds and starts what the registry lists, nothing else."""

from pathlib import Path

import pytest

from orgsim import OrgModel
from orgsim.sim import registry
from orgsim.sim.mechanism import Setting

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SHORT = {"run.days": 2, "run.warmup_days": 0}


class _Probe:
    """A mechanism that remembers its setting and when it was started."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self.started_at: float | None = None

    def start(self) -> None:
        self.started_at = self.setting.loop.now


def test_a_mechanism_added_to_the_registry_is_built_and_started(monkeypatch):
    monkeypatch.setattr(registry, "MECHANISMS", (*registry.MECHANISMS, ("probe", _Probe)))
    model = OrgModel(SCENARIOS / "hierarchy.yaml", rng=1, overrides=SHORT)
    probe = model.mechanisms["probe"]
    assert probe.started_at == 0.0
    assert probe.setting.org is model.org
    assert probe.setting.life is model.life


def test_a_mechanism_whose_builder_returns_none_is_left_out(monkeypatch):
    monkeypatch.setattr(registry, "MECHANISMS", (("nothing", lambda setting: None),))
    model = OrgModel(SCENARIOS / "hierarchy.yaml", rng=1, overrides=SHORT)
    assert model.mechanisms == {}


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("hierarchy.yaml", {"newcomers", "interruptions"}),
        ("self_managing.yaml", {"newcomers", "interruptions"}),
        ("self_managing_coached.yaml", {"newcomers", "interruptions", "coaching"}),
        ("crm_teams.yaml", {"newcomers", "interruptions", "monitoring"}),
    ],
)
def test_only_the_mechanisms_a_scenario_switches_on_are_started(scenario, expected):
    model = OrgModel(SCENARIOS / scenario, rng=1, overrides=SHORT)
    assert set(model.mechanisms) >= expected
    assert ("coaching" in model.mechanisms) == ("coaching" in expected)

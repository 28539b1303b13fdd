"""The hand-off penalty is paid once per pass: the answer's way back is not another hand-off."""

from pathlib import Path

from orgsim import simulate

HIERARCHY = Path(__file__).resolve().parent.parent / "scenarios" / "hierarchy.yaml"


def test_an_escalated_request_is_handed_off_once_per_hop():
    """Hierarchy (no lateral hand-offs), rework off: every pass is a hop up the line."""
    log = simulate(
        HIERARCHY, seed=3, days=15, overrides={"structure.rework.probability": 0.0}
    ).requests
    answered = log[log["outcome"] == "resolved"]
    assert (answered["hops"] > 0).sum() > 100
    assert (answered["handoffs"] == answered["hops"]).all()

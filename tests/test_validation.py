"""The model against theory (marker ``validation``): each check passes, and can fail.

Checks use fixed seeds and 95% intervals (orgsim.results.stats.CONFIDENCE); the power
tests hand each check a deliberately wrong scenario and expect it to fail.
"""

import pytest

from orgsim.validate import checks as validation

pytestmark = pytest.mark.validation


def _ids(thunks):
    return [f"check-{i}" for i in range(len(thunks))]


CHECKS = list(validation.all_checks())


@pytest.mark.parametrize("thunk", CHECKS, ids=_ids(CHECKS))
def test_every_theory_check_passes(thunk):
    for check in thunk():
        assert check.passed, check


def test_a_tandem_with_slower_reviewers_than_theory_assumes_fails():
    check = validation.tandem_check(2, replications=10, hours=5_000, simulated_rates=(0.9, 0.81))
    assert not check.passed, check


def test_an_uneven_tree_matches_jackson_and_slower_middle_approvers_fail_it():
    """The theory: loads add up where chains merge (b1 carries teams b and d), 95% interval."""
    assert validation.uneven_tree_check(replications=10, hours=5_000).passed
    slower = validation.UNEVEN_SERVICE_RATES | {"b1": 1.0, "b2": 0.85}
    check = validation.uneven_tree_check(replications=10, hours=5_000, simulated_rates=slower)
    assert not check.passed, check


def test_a_pooled_team_one_short_of_theory_fails():
    check = validation.mmc_check(replications=10, hours=2_000, simulated_servers=5)
    assert not check.passed, check


@pytest.mark.parametrize(
    ("structure", "rule"), [("chain", "all"), ("parallel", "majority"), ("sequential", "any")]
)
def test_screening_with_less_skill_than_theory_assumes_fails(structure, rule):
    checks = validation.screening_checks(
        structure, rule, skill=0.65, theory_skill=0.7, proposals=10_000
    )
    assert not all(check.passed for check in checks), checks


@pytest.mark.parametrize(("structure", "rule", "k"), validation.TWO_SIDED_SCREENING)
def test_screening_of_cautious_evaluators_judged_as_neutral_ones_fails(structure, rule, k):
    """Theory that takes p_bad = 1 - p_good for cautious evaluators must not pass."""
    checks = validation.screening_checks(
        structure, rule, proposals=10_000, caution=0.5, k=k, theory_caution=0.0
    )
    assert not all(check.passed for check in checks), checks


def test_littles_law_check_fails_on_a_queue_whose_bookkeeping_is_off(monkeypatch):
    from orgsim.sim.stations import Station
    from orgsim.validate import degenerate

    original = Station.statistics

    def lopsided(self):
        figures = original(self)
        figures["mean_sojourn_h"] *= 1.05  # what a station that misses 5% of its waits reports
        return figures

    monkeypatch.setattr(Station, "statistics", lopsided)
    [check] = validation.littles_law_checks([("tandem", degenerate.tandem(0.5, [1.0], 5_000, 100))])
    assert not check.passed, check


def test_a_correlated_committee_judged_as_an_independent_one_fails():
    """Theory that ignores the shared reading (Condorcet's independent jury) must not pass."""
    checks = validation.screening_checks(
        "parallel", "majority", evaluators=5, proposals=10_000, correlation=0.4,
        theory_correlation=0.0,
    )  # fmt: skip
    assert not all(check.passed for check in checks), checks


def test_a_knowledge_hierarchy_whose_front_line_knows_less_than_theory_assumes_fails():
    checks = validation.knowledge_checks(proposals=10_000, theory_knowledge=(0.45, 1.5))
    assert not all(check.passed for check in checks), checks

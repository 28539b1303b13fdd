"""Judgement with two sides: caution sets false accepts against false rejects.

The directional test runs paired replications (tests/paired.py: common random numbers,
one seed per pair) and asks a one-sided paired t-test for significance at the 1% level.
"""

from pathlib import Path

import pytest
from paired import ALPHA, NOBODY_LEAVES, one_sided, paired, summary_keys

from orgsim import simulate
from orgsim.sim.judgement import acceptance
from orgsim.sim.organisation import EMPLOYEE_LEVEL

HIERARCHY = Path(__file__).resolve().parent.parent / "scenarios" / "hierarchy.yaml"


@pytest.mark.parametrize("right", [0.5, 0.65, 0.8, 0.95])
def test_a_neutral_evaluator_is_todays_evaluator_exactly(right):
    assert acceptance(right, True, 0.0) == right
    assert acceptance(right, False, 0.0) == 1.0 - right


@pytest.mark.parametrize("right", [0.6, 0.8, 0.95])
def test_caution_rejects_more_of_both_and_breaks_p_plus_q_equal_one(right):
    good, bad = acceptance(right, True, 0.5), acceptance(right, False, 0.5)
    assert good < right
    assert bad < 1.0 - right
    assert good + bad < 1.0
    lenient_good, lenient_bad = acceptance(right, True, -0.5), acceptance(right, False, -0.5)
    assert lenient_good > right
    assert lenient_bad > 1.0 - right


def test_a_caution_of_zero_leaves_the_run_as_it_was():
    base = simulate(HIERARCHY, seed=2, days=20).summary
    neutral = simulate(HIERARCHY, seed=2, days=20, overrides={"judgement.manager_caution": 0.0})
    assert neutral.summary == base


def _employees_alone(result):
    """False accepts and rejects of decisions employees took alone, and their trust."""
    log = result.requests
    alone = log[(log["outcome"] == "resolved") & (log["level"] == EMPLOYEE_LEVEL)]
    return {
        "false_accept_rate": float(alone.loc[~alone["good"], "accepted"].mean()),
        "false_reject_rate": float((~alone.loc[alone["good"], "accepted"]).mean()),
        "trust_mean": result.summary["trust_mean"],
    }


BLAME_MAKES_CAUTIOUS = {
    "judgement.blame_caution": 2.0,
    "culture.trust.learning_rate": 0.1,
    "culture.trust.discovery_probability": 0.6,
    "demand.kinds[0].good_share": 0.5,  # enough bad proposals decided alone to count
    "satisfaction.churn": NOBODY_LEAVES,
}


@pytest.mark.validation
def test_blame_makes_people_cautious_fewer_false_accepts_more_false_rejects():
    """Blame lowers trust; with blame_caution, lower trust raises employees' criterion.

    8 paired seeds, 30 days of hierarchy.yaml, one-sided paired t-tests at 1%.
    """
    blamed, spared = paired(
        HIERARCHY,
        BLAME_MAKES_CAUTIOUS | {"culture.trust.blame": True},
        BLAME_MAKES_CAUTIOUS | {"culture.trust.blame": False},
        _employees_alone,
    )
    for key, blame_raises in (
        ("false_accept_rate", False),
        ("false_reject_rate", True),
        ("trust_mean", False),
    ):
        test = one_sided(blamed[key], spared[key], a_larger=blame_raises)
        assert test.pvalue < ALPHA, (key, test)


@pytest.mark.validation
def test_cautious_approvers_trade_bad_deals_for_lost_good_ones_in_money():
    """What is at stake, in money: caution 0.5 for every approver, 8 paired seeds, 30 days.

    Every wrong no is priced at its full value here (the shipped losses price a refused
    price change at nothing and a refused deal at a tenth), so that the good proposals
    lost show in money as the bad ones kept out do; nobody leaves, so that both arms keep
    the same customers."""
    full = {f"demand.kinds[{k}].loss": {"bad_accepted": 1.0, "good_rejected": 1.0} for k in (2, 3)}
    full["satisfaction.churn"] = NOBODY_LEAVES
    cautious, neutral = paired(
        HIERARCHY,
        full | {"judgement.manager_caution": 0.5},
        full,
        summary_keys("value_bad_accepted", "value_good_rejected"),
    )
    fewer_bad = one_sided(
        cautious["value_bad_accepted"], neutral["value_bad_accepted"], a_larger=False
    )
    assert fewer_bad.pvalue < ALPHA, fewer_bad
    more_good_lost = one_sided(
        cautious["value_good_rejected"], neutral["value_good_rejected"], a_larger=True
    )
    assert more_good_lost.pvalue < ALPHA, more_good_lost

"""A customer base that lives: new accounts, referrals, common random numbers, yearly churn.

Directional tests run paired replications (tests/paired.py) and ask a one-sided paired
t-test for significance at the 1% level.
"""

from pathlib import Path

import pytest
from paired import ALPHA, NOBODY_LEAVES, one_sided, paired, summary_keys

from orgsim import OrgModel, simulate
from orgsim.results import metrics
from orgsim.sim.customer_base import Headcount

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"


def test_headcount_averages_the_active_customers_over_time():
    base = Headcount(10)
    base.change(2.0, -2)  # 10 for 2 h, then 8
    base.reset(4.0)  # 8 from here on
    base.change(6.0, +4)  # 8 for 2 h, then 12 for 2 h
    assert base.mean(8.0) == pytest.approx(10.0)
    assert base.active == 12


def test_yearly_churn_scales_the_lost_share_of_the_mean_base_to_a_year():
    assert metrics.yearly_churn(10, 200.0, 125.0) == pytest.approx(0.1)
    assert metrics.yearly_churn(3, 0.0, 10.0) != metrics.yearly_churn(3, 0.0, 10.0)  # NaN


def test_no_new_customers_set_explicitly_is_the_run_as_it_was():
    base = simulate(HIERARCHY, seed=3, days=20).summary
    off = {"demand.new_customers.per_day": 0.0, "demand.new_customers.referral_threshold": 0.7}
    assert simulate(HIERARCHY, seed=3, days=20, overrides=off).summary == base


def test_two_structures_with_one_seed_see_the_same_new_customers_and_requests():
    columns = ["request_id", "customer_id", "kind", "value", "good", "created_h"]
    overrides = {"satisfaction.churn": NOBODY_LEAVES, "demand.new_customers.per_day": 2.0}
    runs = [OrgModel(path, rng=5, overrides=overrides | {"run.days": 30}) for path in
            (HIERARCHY, SELF_MANAGING)]  # fmt: skip
    for model in runs:
        model.run()
    arrived = [[(c.account, c.contact.team.index) for c in m.customers] for m in runs]
    assert arrived[0] == arrived[1]
    assert runs[0].newcomers.arrived > 30
    hierarchy, self_managing = (model.log.frame() for model in runs)
    both = hierarchy[columns].merge(self_managing[columns], on="request_id", suffixes=("", "_b"))
    assert len(both) > 1000
    assert both["customer_id"].max() >= 200  # newcomers ask too
    for column in columns[1:]:
        assert (both[column] == both[f"{column}_b"]).all(), column


@pytest.mark.validation
def test_new_customers_keep_the_base_from_emptying():
    """The hierarchy loses customers; arrivals refill it (8 paired seeds, 120 days)."""
    refilled, emptying = paired(
        HIERARCHY,
        {"demand.new_customers.per_day": 0.5},
        {},
        summary_keys("customers_active"),
        days=120,
    )
    test = one_sided(refilled["customers_active"], emptying["customers_active"], a_larger=True)
    assert test.pvalue < ALPHA, test


@pytest.mark.validation
def test_satisfied_customers_refer_more_customers_to_the_self_managing_organisation():
    """Referrals follow satisfaction: the seeds' "we" organisation grows by word of mouth."""
    referrals = {"demand.new_customers.referrals_per_customer_per_day": 0.002}
    self_managing, hierarchy = paired(
        SELF_MANAGING,
        referrals,
        referrals,
        summary_keys("customers_arrived"),
        days=60,
        scenario_b=HIERARCHY,
    )
    arrived = "customers_arrived"
    test = one_sided(self_managing[arrived], hierarchy[arrived], a_larger=True)
    assert test.pvalue < ALPHA, test

"""CRM monitoring (seed 004): accuracy kept up by watching KPIs, without adding waits.

Paired replications (tests/paired.py) of scenarios/crm_teams.yaml with monitoring on
and off; one-sided paired t-tests at the 1% level, and a non-inferiority test for
the response time (its upper 99% confidence bound of the difference within a margin).
"""

from pathlib import Path

import numpy as np
import pytest
from paired import ALPHA, one_sided, paired, summary_keys
from scipy import stats

from orgsim import OrgModel, simulate

CRM_TEAMS = Path(__file__).resolve().parent.parent / "scenarios" / "crm_teams.yaml"
NO_WAIT_MARGIN = 0.05
"""Largest relative rise of the mean response time that still counts as "no added wait"."""


def test_a_team_under_par_is_coached_and_one_on_par_is_not():
    on = simulate(CRM_TEAMS, seed=1, days=20).summary
    lenient = {"monitoring.accuracy_below": 0.0, "monitoring.satisfaction_below": 0.0}
    assert on["crm_interventions"] > 0
    assert simulate(CRM_TEAMS, seed=1, days=20, overrides=lenient).summary["crm_interventions"] == 0


def test_a_mandate_cut_is_restored_after_its_days():
    cut = {
        "monitoring.action": "cut_mandate",
        "monitoring.accuracy_below": 1.0,
        "monitoring.cut_days": 3,
        "run.days": 12,
    }
    model = OrgModel(CRM_TEAMS, rng=1, overrides=cut)
    full = [e.mandate for e in model.org.employees]
    model.loop.run_until(5 * 8 + 1)  # just after the first reading: every team is cut
    assert [e.mandate for e in model.org.employees] == [m * 0.5 for m in full]
    model.loop.run_until(10 * 8 - 1)  # after the 3-day cut, before the second reading
    assert [e.mandate for e in model.org.employees] == full


@pytest.mark.validation
def test_crm_monitoring_keeps_accuracy_up_without_adding_waits():
    """8 paired seeds, 60 days.

    Reporting time and rework are off in both arms, so that any added wait would be the
    monitoring's: better judges reject more bad proposals, and a reworked rejection takes
    longer to answer, which is a change in decisions, not a wait.
    """
    free = {"monitoring.reporting_h": 0.0, "structure.rework.probability": 0.0}
    watched, unwatched = paired(
        CRM_TEAMS,
        free,
        free | {"monitoring.enabled": False},
        summary_keys("decision_accuracy", "response_time_mean_h"),
        days=60,
    )
    test = one_sided(watched["decision_accuracy"], unwatched["decision_accuracy"], a_larger=True)
    assert test.pvalue < ALPHA, test
    difference = watched["response_time_mean_h"] - unwatched["response_time_mean_h"]
    upper = difference.mean() + stats.t.ppf(1 - ALPHA, len(difference) - 1) * difference.std(
        ddof=1
    ) / np.sqrt(len(difference))
    assert upper < NO_WAIT_MARGIN * unwatched["response_time_mean_h"].mean(), difference

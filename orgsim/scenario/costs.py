"""What keeping an organisation together costs in people's time: coordination.

A team's members spend time keeping each other informed. Brooks (1975, "The Mythical
Man-Month", ch. 2) counts the channels of a team of n as n(n - 1) / 2: each member
keeps up with n - 1 colleagues, so the time one member spends grows with the team's
size and the team's total with its channels. The default rate is Dunbar's (1993,
"Coevolution of neocortical size, group size and language in humans", Behavioral and
Brain Sciences 16:681): social time grows by about 0.29% of the day per member of a
primate's group (grooming), and conversation is about 2.8 times as efficient, so about
0.1% of the working day per colleague; a member of a group of 150 (Dunbar's number)
then spends some 15% of its day on keeping up, near the 20% of the day humans are
observed to spend in social interaction (Dunbar 1998, "The social brain hypothesis").
"""

from __future__ import annotations

from pydantic import Field

from orgsim.scenario import limits
from orgsim.scenario.spec import Spec
from orgsim.scenario.spec import probability as _probability


class Coordination(Spec):
    """Coordination by communication channels (Brooks 1975; Dunbar 1993).

    Every ``interval_days``, each member of a team of n books ``share_per_colleague *
    (n - 1)`` of that interval's working hours at its desk (a job queued like a
    request): the team as a whole spends ``2 * share_per_colleague`` of a day per
    channel. Time spent keeping up is time not spent on customers, so a cell beyond
    some size answers later as an outcome of queueing, not because a cap says so.
    A share of 0 switches it off.
    """

    share_per_colleague: float = _probability(
        "Share of a member's working time spent keeping up with each colleague "
        "(Dunbar 1993: about 0.001).",
        0.001,
    )
    interval_days: float = Field(
        default=1.0,
        ge=0.05,
        le=limits.MAX_DAYS,
        description="Days between two coordination slots (a daily stand-up: 1).",
    )

    def share(self, size: int) -> float:
        """Share of a member's working time a team of ``size`` takes to keep coordinated."""
        return min(1.0, self.share_per_colleague * (size - 1))

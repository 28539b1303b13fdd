"""What an organisation's ways of working cost: coordination time, and wrong decisions.

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


class Loss(Spec):
    """What one wrong decision on a request of this kind costs, as shares of its value.

    The value of a request is what is at stake: a discount, a compensation, a deal's
    size. A bad proposal accepted costs ``bad_accepted`` of it (a discount that was not
    needed costs the discount: 1); a good one rejected costs ``good_rejected`` of it
    plus ``good_rejected_amount`` (a deal turned down costs its margin times its chance
    to close, e.g. 0.2 x 0.5 = 0.1; a justified complaint refused, goodwill). A
    customer who leaves over it is priced apart (``money.customer_value``). The
    defaults, 1 and 1, price every wrong decision at its full value, as before.
    """

    bad_accepted: float = Field(
        default=1.0,
        ge=0,
        le=limits.MAX_LOSS_SHARE,
        description="Share of the value lost when a bad proposal is accepted.",
    )
    good_rejected: float = Field(
        default=1.0,
        ge=0,
        le=limits.MAX_LOSS_SHARE,
        description="Share of the value lost when a good proposal is rejected.",
    )
    good_rejected_amount: float = Field(
        default=0.0,
        ge=0,
        le=limits.MAX_PARAMETER,
        description="A fixed amount lost besides when a good proposal is rejected (goodwill).",
    )

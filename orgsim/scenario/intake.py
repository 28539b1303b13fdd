"""Intake and closing: the people a request meets before and after its worker.

A help desk's ticket is often received by a dispatcher (triage: it is classified and
assigned) before a worker takes it, sometimes taken in charge by one worker and passed
to another (a transfer), and confirmed or closed by someone else (a back office) after
the answer. Each is a hand-off (MODEL.md "A request's life": hand-offs
counted, one point of contact means one person throughout) and costs time in a queue
of its own: the dispatchers (or closers) are one pool of ``people`` servers, an M/M/c
station when times are exponential (Erlang 1917; in series with the workers, a Jackson
network, Jackson 1957).

Both are off by default (share 0): a scenario that leaves ``structure.intake`` out runs
exactly as before, with the same random numbers drawn and the same digest.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from orgsim.scenario import limits
from orgsim.scenario.distributions import Deterministic, Distribution
from orgsim.scenario.spec import Probability, Spec
from orgsim.scenario.spec import probability as _probability


class Desk(Spec):
    """A role of its own people that a share of requests passes through (dispatch, closing)."""

    share: Probability = _probability("Chance a request passes through this desk (0: off).", 0.0)
    people: int = Field(
        default=1,
        ge=1,
        le=limits.MAX_MEMBERS,
        description="People at this desk: one pool, a multi-server queue.",
    )
    time_h: Distribution = Field(
        default=Deterministic(value=0.0), description="Hours one request takes at this desk."
    )


class Closing(Desk):
    """Closing after the answer: by a closer of the pool, or by the worker who answered."""

    same_person: bool = Field(
        default=False,
        description="The worker who answered closes it (no hand-off, the worker's time); "
        "otherwise a closer of this desk's pool does.",
    )

    @model_validator(mode="after")
    def _people_or_same_person(self) -> Self:
        if self.same_person and "people" in self.model_fields_set:
            raise ValueError(
                "closing.people goes with a pool of closers; with same_person: true the "
                "worker who answered closes (leave people out, or set same_person: false)"
            )
        return self


class Transfer(Spec):
    """A worker takes a request in charge, then passes it to a colleague of the team."""

    share: Probability = _probability(
        "Chance a request is taken in charge by one worker and worked by another (0: off).", 0.0
    )
    time_h: Distribution = Field(
        default=Deterministic(value=0.0),
        description="Hours the first worker spends taking it in charge.",
    )


class Intake(Spec):
    """Who receives a request before its worker (dispatch) and closes it after (closing)."""

    dispatch: Desk = Field(
        default=Desk(), description="Triage by a dispatcher, who hands the request to a worker."
    )
    transfer: Transfer = Field(
        default=Transfer(), description="Reassignment within the team after the intake."
    )
    closing: Closing = Field(
        default=Closing(), description="Confirmation and closing after the answer."
    )

    @property
    def enabled(self) -> bool:
        """Whether any request meets a dispatcher or a closer."""
        return self.dispatch.share > 0 or self.transfer.share > 0 or self.closing.share > 0

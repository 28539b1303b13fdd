"""Collective decisions that are not ideal juries: shared readings and social loafing.

Condorcet's jury theorem assumes independent voters of undiminished care. Here each
voter of a team decision or a committee follows, with chance ``correlation``, the one
reading the group shares (the latent-signal model of Ladha 1992; groupthink, Janis
1972), and each voter's edge over a coin flip shrinks as n^-t in a group of n (social
loafing: Latané, Williams & Harkins 1979; Karau & Williams 1993; Latané 1981).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgsim.scenario.distributions import uniform_sampler

if TYPE_CHECKING:
    import numpy as np

    from orgsim.scenario.decision_mechanisms import Juries
    from orgsim.sim.requests import Request


class Jury:
    """The draws that make a group's votes move together, and the care a group's size leaves.

    Args:
        spec: the scenario's juries group.
        rng: this mechanism's own stream (who follows the shared reading, and that reading).
    """

    def __init__(self, spec: Juries, rng: np.random.Generator) -> None:
        self.correlation = spec.correlation
        self.loafing = spec.loafing
        self._follows = uniform_sampler(rng)
        self._shared = uniform_sampler(rng)

    def care(self, voters: int) -> float:
        """Share of a voter's edge over a coin flip kept in a group of ``voters``: n^-t."""
        return voters**-self.loafing if self.loafing else 1.0

    def draw(self, request: Request, own: float) -> float:
        """The uniform a voter compares with its chance to accept: the group's, or ``own``.

        The group's shared reading is drawn once per stage (``request.shared`` below 0
        until then), so that every voter who follows it votes alike where their chances do.
        """
        if self.correlation == 0 or self._follows() >= self.correlation:
            return own
        if request.shared < 0:
            request.shared = self._shared()
        return request.shared

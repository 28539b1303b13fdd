"""One colour per scenario, the same in every figure, table and front-end.

Kept here, below every front-end (compare, sweep, ui), so that they all draw a
scenario in the same colour: the first scenario of a comparison is always blue.
The colours are the Okabe-Ito palette, which stays distinct for colour-blind
readers (Okabe & Ito 2008, "Color Universal Design").
"""

from __future__ import annotations

from collections.abc import Sequence

SCENARIO_COLOURS = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)


def scenario_colours(names: Sequence[str]) -> dict[str, str]:
    """Each scenario's colour, by its place in the comparison (cycling past eight)."""
    return {name: SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i, name in enumerate(names)}

"""An org chart in the page: its SVG, and a click on a team's box to show its people.

The chart is a string of SVG (:mod:`.orgchart`); this Vue component sets it as the
element's HTML, as ``solara.HTML`` does, and sends the index of a team whose box is
clicked, so that a trainer can open one team of a collapsed chart.
"""

from __future__ import annotations

from collections.abc import Callable

import solara


@solara.component_vue("orgchart_view.vue")
def OrgChartView(svg: str, event_team_clicked: Callable[[int], None]) -> None:
    """An org chart's SVG; a click on a team's box sends the team's index."""

"""One scenario explored on its own, with Mesa's ``SolaraViz`` (the "one scenario" page).

SolaraViz rebuilds the model as ``type(model)(**params)`` from its sidebar: the scenario,
by its name in the scenarios folder (:func:`by_name`), and the seed. Each Mesa step is
one sampling interval (a working day); the org chart and the charts redraw through
Mesa's ``update_counter``. Imported only when the page is opened: ``mesa.visualization``
pulls in altair.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from orgsim.results.palette import SCENARIO_COLOURS
from orgsim.sim.model import OrgModel
from orgsim.ui import charts, orgchart

CURVES = (
    ("Response time (h), mean of the day's answers", "response_mean_h", None),
    ("Customer satisfaction, mean", "satisfaction_mean", 1.0),
    ("Backlog: requests in progress", "backlog", None),
)


SEEDS = list(range(100))
"""The seeds offered: a list rather than a slider, whose value Mesa's slider hides."""


def model_params(files: dict[str, Path], first: str) -> dict[str, Any]:
    """SolaraViz's sidebar inputs: the model's own keyword parameters, shown by value."""
    return {
        "scenario": {"type": "Select", "value": first, "values": list(files), "label": "scenario"},
        "rng": {"type": "Select", "value": 1, "values": SEEDS, "label": "seed"},
    }


def by_name(files: dict[str, Path]) -> type[OrgModel]:
    """OrgModel taking a scenario by its name in ``files``, as SolaraViz rebuilds it.

    The page names scenarios as the side-by-side page does (``hierarchy.yaml``), not by
    the server's absolute paths.
    """

    class OrgModelByName(OrgModel):
        def __init__(self, scenario: str, rng: int | None = None) -> None:
            super().__init__(files[scenario], rng=rng)

    return OrgModelByName


@solara.component
def OrgChart(model: OrgModel) -> None:
    """The org chart of :mod:`orgsim.ui.orgchart`, redrawn at each Mesa step."""
    update_counter.get()
    layers = list(model.spec.tree.roles)
    chart = solara.use_memo(lambda: orgchart.layout(model.org, model.accounts, layers), [model])
    solara.HTML(
        tag="div",
        unsafe_innerHTML=orgchart.render(chart, model.accounts, model.steps),
        classes=["orgsim-orgchart"],
    )


def _curve(title: str, column: str, y_max: float | None) -> Any:
    """A component drawing one of the DataCollector's daily series, in a cell of its own."""

    @solara.component
    def Curve(model: OrgModel) -> None:
        update_counter.get()
        frame = model.datacollector.get_model_vars_dataframe()
        days = (frame["time_h"] / model.spec.run.hours_per_day).tolist()
        line = charts.Line(model.spec.name, SCENARIO_COLOURS[0], days, frame[column].tolist())
        solara.HTML(
            tag="div", unsafe_innerHTML=charts.line_chart(title, [line], y_max),
            classes=["orgsim-curve"],
        )  # fmt: skip

    return Curve


CURVE_COMPONENTS = [_curve(*curve) for curve in CURVES]
"""One component per chart: SolaraViz gives each component half the page's width (three
charts in one component were thumbnails)."""


@solara.component
def Page(files: dict[str, Path], first: str) -> None:
    """SolaraViz over one OrgModel, with the org chart and the daily series."""
    model = solara.use_memo(lambda: by_name(files)(first, rng=1), [])
    SolaraViz(
        model,
        components=[(OrgChart, 0)] + [(curve, 0) for curve in CURVE_COMPONENTS],
        model_params=model_params(files, first),
        name="orgsim: one scenario",
    )

"""One scenario explored on its own, with Mesa's ``SolaraViz`` (the "one scenario" page).

SolaraViz rebuilds the model as ``OrgModel(**params)`` from its sidebar: the scenario
file and the seed. Each Mesa step is one sampling interval (a working day); the org
chart and the charts redraw through Mesa's ``update_counter``. Imported only when the
page is opened: ``mesa.visualization`` pulls in altair.
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


def model_params(files: dict[str, Path], first: str) -> dict[str, Any]:
    """SolaraViz's sidebar inputs: OrgModel's own keyword parameters."""
    return {
        "scenario": {
            "type": "Select",
            "value": str(files[first]),
            "values": [str(path) for path in files.values()],
            "label": "scenario file",
        },
        "rng": {"type": "SliderInt", "value": 1, "min": 0, "max": 99, "step": 1, "label": "seed"},
    }


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


@solara.component
def Curves(model: OrgModel) -> None:
    """The DataCollector's daily series, as the side-by-side page draws its charts."""
    update_counter.get()
    frame = model.datacollector.get_model_vars_dataframe()
    days = (frame["time_h"] / model.spec.run.hours_per_day).tolist()
    with solara.Row():
        for title, column, y_max in CURVES:
            line = charts.Line(model.spec.name, SCENARIO_COLOURS[0], days, frame[column].tolist())
            solara.HTML(tag="div", unsafe_innerHTML=charts.line_chart(title, [line], y_max))


@solara.component
def Page(files: dict[str, Path], first: str) -> None:
    """SolaraViz over one OrgModel, with the org chart and the daily series."""
    model = solara.use_memo(lambda: OrgModel(files[first], rng=1), [])
    SolaraViz(
        model,
        components=[(OrgChart, 0), (Curves, 0)],
        model_params=model_params(files, first),
        name="orgsim: one scenario",
    )

"""An org chart uploaded in the browser (CSV or .xlsx), imported as ``orgsim import-org`` does.

The chart goes through :func:`orgsim.scenario.orgchart_io.import_org`, with its bounds
and its messages (the rows at fault, with their line numbers), so a chart the command
refuses is refused here with the same line, naming the uploaded file, never the
server's folders.
"""

from __future__ import annotations

from pathlib import Path

from orgsim.scenario.chart import MAX_CHART_BYTES
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import printable
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.orgchart_io import import_org
from orgsim.scenario.schema import Scenario
from orgsim.ui.settings import keep_upload, roots_of, upload_name

CHART_SUFFIXES = (".csv", ".xlsx")
MAX_CHART_UPLOAD_BYTES = min(MAX_CHART_BYTES, 8_000_000)
"""Largest chart uploaded: about 150,000 rows of CSV. A websocket message carries it
(base64, a third larger), well within the server's 16 MiB message limit."""


def is_chart(name: str) -> bool:
    """Whether an upload is an org chart (by its suffix) rather than a scenario file."""
    return name.lower().endswith(CHART_SUFFIXES)


def load_chart_upload(name: str, content: bytes, scenarios: Path) -> tuple[Path, Scenario, str]:
    """Keep an uploaded chart, import it beside it and load the scenario it makes.

    Returns:
        The scenario file written, the scenario, and the import's summary.

    Raises:
        ScenarioError: the chart is too large, cannot be read or is no tree (the
            import's message, with the uploaded file's name).
    """
    shown = printable(name, 60) or "the chart"
    if len(content) > MAX_CHART_UPLOAD_BYTES:
        raise ScenarioError(f"{shown}: larger than {MAX_CHART_UPLOAD_BYTES:,} bytes")
    chart = keep_upload(upload_name(name, CHART_SUFFIXES), content, scenarios, shown)
    out = chart.with_suffix(".yaml")
    try:
        _, summary = import_org(chart, name=_scenario_name(chart), out=out, force=True)
        return out, load_scenario(out, roots=roots_of(out, scenarios)), summary
    except ScenarioError as error:
        message = str(error).replace(str(chart.parent) + "/", "")
        raise ScenarioError(message.replace(chart.name, shown)) from None


def _scenario_name(chart: Path) -> str:
    """The scenario's name: the chart's stem, as a name a scenario may have."""
    stem = "".join(c if c.isalnum() or c in "_-" else "_" for c in chart.stem)
    return stem.strip("_-") or "uploaded_chart"

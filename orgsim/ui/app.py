"""The Solara page: two organisations side by side, their org charts and live charts.

Served by ``orgsim ui`` (:mod:`orgsim.ui.server`). One page per browser tab: each tab
has its own runs. The page only wires controls to :mod:`.settings`, frames to
:class:`.session.Lockstep` and figures to :mod:`.orgchart` and :mod:`.charts`.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import solara

from orgsim.results.palette import SCENARIO_COLOURS
from orgsim.scenario.errors import ScenarioError
from orgsim.sim.model import DEFAULT_SCENARIO
from orgsim.ui import charts, orgchart
from orgsim.ui.controls import SIDES, Actions, Controls, Sides, shared_changes
from orgsim.ui.orgchart_view import OrgChartView
from orgsim.ui.session import Lockstep, Side, clock_text
from orgsim.ui.settings import SideSettings, build, roots_of

SCENARIOS = Path(os.environ.get("ORGSIM_UI_SCENARIOS", DEFAULT_SCENARIO.parent))
DEFAULTS = ("hierarchy.yaml", "self_managing.yaml")
FRAME_S = 0.1
"""Shortest time between frames while playing: at most 10 frames a second. Tried
without the pause, the server sent frames faster than chromium drew them and the page
stopped answering within seconds."""
SPEEDS_H = {"15 min": 0.25, "30 min": 0.5, "1 hour": 1.0, "2 hours": 2.0, "4 hours": 4.0,
            "8 hours": 8.0, "16 hours": 16.0}  # fmt: skip
"""Simulated time per frame: a day per frame is too coarse to see a request move."""


MEMBERS = {"auto": None, "each person": True, "head counts": False}
"""How teams are drawn: person by person or as head counts (auto: by the organisation's
size, :data:`orgchart.MEMBERS_UP_TO`)."""
PRESENT = os.environ.get("ORGSIM_UI_PRESENT") == "1"
"""Whether the page opens in presentation mode (``orgsim ui --present``)."""
PRESENT_CHART_H = 86.0
"""Height of a live chart in presentation mode (its width is 320): four, squat, fit
beside the org charts at 1280x720."""
PRESENT_ORGCHART = {"width": 380.0, "font": 15.0}
"""An org chart in presentation mode: laid out as narrow as its column (a third of a
1280-pixel screen), in type that reads from the back of a room."""
PRESENT_CSS = """
.orgsim-present { font-size: 17px; }
.orgsim-present .orgsim-headline { font-size: 17px; min-height: 3em; }
.orgsim-present .orgsim-pane { flex: 1 1 0; min-width: 0; max-height: calc(100vh - 170px);
                               overflow-y: auto; }
.orgsim-present .orgsim-charts { flex: 1 1 0; min-width: 0; }
.orgsim-present .orgsim-choose-left, .orgsim-present .orgsim-choose-right,
.orgsim-present .orgsim-speed { max-width: 160px !important; }
"""


def scenario_files(folder: Path) -> dict[str, Path]:
    """The scenarios a trainer can pick: the folder's YAML files and its ``examples/``."""
    found = {path.name: path for path in sorted(folder.glob("*.y*ml"))}
    return found | {f"examples/{p.name}": p for p in sorted(folder.glob("examples/*.y*ml"))}


def side_of(path: Path) -> SideSettings:
    """A side showing the file at ``path``.

    Through ``extends`` it reaches into its own folder and the scenarios folder only: an
    uploaded file may not read the server's other files.
    """
    return SideSettings(path, roots=roots_of(path, SCENARIOS))


def _default_sides(files: dict[str, Path]) -> Sides:
    names = list(files)
    chosen = [name if name in files else names[min(i, len(names) - 1)]
              for i, name in enumerate(DEFAULTS)]  # fmt: skip
    return side_of(files[chosen[0]]), side_of(files[chosen[1]])


@dataclass(frozen=True)
class Notice:
    """What the message line says: ``kind`` is info, reset or error."""

    kind: str
    text: str


FIRST_SHARED: dict[str, Any] = {"seed": 1, "demand": None}
WELCOME = Notice("info", "Press play to watch both organisations answer the same customers.")


def _first_run(files: dict[str, Path]) -> tuple[Sides, Lockstep | None, Notice]:
    """The page's first settings and run, or why there is none."""
    sides = _default_sides(files)
    try:
        scenarios = [build(side, shared_changes(FIRST_SHARED)) for side in sides]
    except ScenarioError as error:
        return sides, None, Notice("error", str(error))
    return sides, Lockstep(*scenarios, seed=FIRST_SHARED["seed"]), WELCOME


@solara.component
def Page() -> None:
    """The side-by-side page, behind a boundary: a fault is one line, never a traceback."""
    error, clear = solara.use_exception()
    if error is not None:
        with solara.Column(style={"padding": "8px"}):
            text = f"Something went wrong ({type(error).__name__}); the run was stopped."
            NoticeLine(Notice("error", text))
            solara.Button("Start again", on_click=clear)
        return
    SideBySide()


@solara.component
def SideBySide() -> None:
    """Both organisations, their controls, clock, notice and figures."""
    files = solara.use_reactive(solara.use_memo(lambda: scenario_files(SCENARIOS), []))
    first_sides, first_pair, first_notice = solara.use_memo(lambda: _first_run(files.value), [])
    sides = solara.use_reactive(first_sides)
    shared = solara.use_reactive(FIRST_SHARED)
    notice = solara.use_reactive(first_notice)
    pair = solara.use_reactive(first_pair)
    frame = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    ended = solara.use_reactive(False)  # the run reached its horizon: play and step greyed
    speed = solara.use_reactive("1 hour")
    present = solara.use_reactive(PRESENT)  # presentation mode: large type, no sidebar
    members = solara.use_reactive("auto")
    lock = solara.use_memo(threading.Lock, [])

    def restart(new_sides: Sides, new_shared: dict[str, Any], why: str | None) -> bool:
        """Build both scenarios and start afresh; on bad input, say why and keep the run."""
        try:
            scenarios = [build(side, shared_changes(new_shared)) for side in new_sides]
            fresh = Lockstep(*scenarios, seed=new_shared["seed"])
        except ScenarioError as error:
            report(error)
            return False
        playing.set(False)
        sides.set(new_sides)
        shared.set(new_shared)
        pair.set(fresh)
        frame.set(0)
        ended.set(False)
        if why:
            notice.set(Notice("reset", f"{why}: the run restarted from the start (day 1, 0:00 h)."))
        return True

    def report(error: ScenarioError) -> None:
        notice.set(Notice("error", f"Not applied: {error}"))

    act = Actions(restart, report)

    def advance() -> None:
        current = pair.value
        if current is None or not current.running:
            return
        # one frame at a time on a run; the page is drawn outside the lock, as Solara
        # holds its own while drawing and a click may be waiting for it
        with lock:
            current.advance(SPEEDS_H[speed.value])
        frame.set(current.frame)
        ended.set(not current.running)

    def play(cancel: threading.Event) -> None:
        try:
            while playing.value and not cancel.is_set():
                started = time.perf_counter()
                if pair.value is None or not pair.value.running:
                    playing.set(False)
                    return
                advance()
                cancel.wait(max(0.0, FRAME_S - (time.perf_counter() - started)))
        except Exception as error:  # a frame must never take the page down
            playing.set(False)
            notice.set(Notice("error", f"The run stopped: {error}"))

    solara.use_thread(play, dependencies=[playing.value, pair.value], intrusive_cancel=False)

    solara.Title("orgsim: two organisations side by side")
    if not present.value:  # folded for a room: the toolbar's switch brings it back
        with solara.Sidebar():
            scenarios = [] if pair.value is None else [side.scenario for side in pair.value.sides]
            Controls(sides.value, shared.value, scenarios, files, SCENARIOS, act)
    solara.Style(PRESENT_CSS)
    page_classes = ["orgsim-page"] + (["orgsim-present"] if present.value else [])
    with solara.Column(style={"padding": "8px"}, classes=page_classes):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            Toolbar(pair.value, ended.value, playing, speed, files.value, sides.value,
                    shared.value, act, advance)  # fmt: skip
            solara.Switch(label="presentation", value=present, classes=["orgsim-present-switch"])
            if pair.value is not None and present.value:  # one row: the charts need the height
                Clock(pair.value, frame)
            else:
                solara.Select(label="teams drawn", values=list(MEMBERS), value=members,
                              classes=["orgsim-members"], style={"max-width": "130px"})  # fmt: skip
        if pair.value is not None and not present.value:
            Clock(pair.value, frame)
        started = playing.value or frame.value > 0
        said = not (notice.value is WELCOME and started)  # the welcome says nothing once played
        if said and (not present.value or notice.value.kind == "error"):
            NoticeLine(notice.value)
        if pair.value is not None:
            Figures(pair.value, frame, MEMBERS[members.value], present.value)


@solara.component
def OneScenario() -> None:
    """Mesa's SolaraViz over one scenario (:mod:`orgsim.ui.single`, imported when opened)."""
    from orgsim.ui import single

    files = solara.use_memo(lambda: scenario_files(SCENARIOS), [])
    single.Page(files, DEFAULTS[0] if DEFAULTS[0] in files else next(iter(files)))


routes = [
    solara.Route(path="/", component=Page, label="Side by side"),
    solara.Route(path="one", component=OneScenario, label="One scenario (SolaraViz)"),
]
"""The pages: Solara shows them as tabs in the app bar."""


@solara.component
def Toolbar(
    current: Lockstep | None,
    ended: bool,
    playing: solara.Reactive[bool],
    speed: solara.Reactive[str],
    files: dict[str, Path],
    sides: Sides,
    shared: dict[str, Any],
    act: Actions,
    advance: Any,
) -> None:
    """Scenario choice, play / pause / step / reset, and the speed."""
    names = {path: name for name, path in files.items()}

    def choose(index: int, name: str) -> None:
        chosen = list(sides)
        chosen[index] = side_of(files[name])
        act.restart((chosen[0], chosen[1]), shared, f"The {SIDES[index]} organisation is {name}")

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        for index, side in enumerate(sides):
            solara.Select(
                label=f"{SIDES[index]} organisation",
                values=list(files),
                value=names.get(side.source, side.source.name),
                on_value=lambda name, i=index: choose(i, name),
                classes=[f"orgsim-choose-{SIDES[index]}"],
                style={"max-width": "220px"},
            )
        running = current is not None and not ended
        solara.Button(
            "Pause" if playing.value else "Play",
            on_click=lambda: playing.set(not playing.value),
            disabled=not running,
            color="primary",
            classes=["orgsim-play"],
        )
        solara.Button("Step", on_click=advance, disabled=playing.value or not running,
                      classes=["orgsim-step"])  # fmt: skip
        solara.Button("Reset", on_click=lambda: act.restart(sides, shared, "Reset"),
                      classes=["orgsim-reset"])  # fmt: skip
        solara.Select(label="simulated time per frame", values=list(SPEEDS_H), value=speed,
                      classes=["orgsim-speed"], style={"max-width": "200px"})  # fmt: skip


@solara.component
def Clock(current: Lockstep, frame: solara.Reactive[int]) -> None:
    """The simulated clock in working days and hours; redrawn each frame, alone."""
    _ = frame.value  # subscribe: only this and the figures redraw on a frame
    hours_per_day = current.sides[0].scenario.run.hours_per_day
    done = "" if current.running else " (end of the run)"
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"{clock_text(current.clock_h, hours_per_day)}{done}",
        classes=["orgsim-clock"],
        style={"font-size": "1.4em", "font-weight": "bold"},
    )


@solara.component
def NoticeLine(notice: Notice) -> None:
    """The message line: what happened last, or what is wrong with an input."""
    classes = [f"orgsim-notice orgsim-notice-{notice.kind}"]
    if notice.kind == "error":
        solara.Error(notice.text, classes=classes, style={"white-space": "pre-wrap"})
    elif notice.kind == "reset":
        solara.Warning(notice.text, classes=classes, dense=True)
    else:
        solara.Info(notice.text, classes=classes, dense=True)


@solara.component
def Figures(
    current: Lockstep, frame: solara.Reactive[int], members: bool | None, present: bool
) -> None:
    """Both org charts, and the live charts below them (beside them when presenting)."""
    number = frame.value
    sizes = PRESENT_ORGCHART if present else {}
    # teams a trainer clicked open, per side, for the run they were opened in
    opened = solara.use_reactive((current, frozenset[int](), frozenset[int]()))
    run, *shown = opened.value
    if run is not current:
        shown = [frozenset(), frozenset()]

    def drawn(side: Side, shown: frozenset[int]) -> orgchart.Layout:
        roles = list(side.scenario.tree.roles)
        model = side.model
        return orgchart.layout(model.org, model.accounts, roles, members=members, expanded=shown,
                               **sizes)  # fmt: skip

    layouts = solara.use_memo(
        lambda: [drawn(side, teams) for side, teams in zip(current.sides, shown, strict=True)],
        [current, members, present, *shown],
    )

    def toggle(index: int, team: int) -> None:
        both = list(shown)
        both[index] = both[index] ^ {team}
        opened.set((current, both[0], both[1]))

    figures = _charts(current, PRESENT_CHART_H if present else charts.HEIGHT)
    with solara.Row(style={"flex-wrap": "nowrap", "align-items": "flex-start"}):
        with solara.Columns([1, 1], style={"flex": "2 1 0", "min-width": "0"}):
            for index, (side, chart) in enumerate(zip(current.sides, layouts, strict=True)):
                with solara.Column(classes=[f"orgsim-side-{SIDES[index]}", "orgsim-pane"]):
                    solara.HTML(
                        tag="div",
                        unsafe_innerHTML=_headline(side),
                        classes=["orgsim-headline"],
                        style={"color": SCENARIO_COLOURS[index], "font-weight": "bold"},
                    )
                    OrgChartView(
                        svg=orgchart.render(chart, side.model.accounts, number),
                        event_team_clicked=lambda team, i=index: toggle(i, team),
                    )
        if present:
            with solara.Column(classes=["orgsim-charts"], gap="4px"):
                for svg in figures:
                    solara.HTML(tag="div", unsafe_innerHTML=svg)
    if not present:
        with solara.Column(classes=["orgsim-charts"]):
            for row in (figures[:2], figures[2:]):
                with solara.Columns([1, 1]):
                    for svg in row:
                        solara.HTML(tag="div", unsafe_innerHTML=svg)


def _headline(side: Side) -> str:
    """The side's name and figures now, in words (the name as text, never markup)."""
    series = side.series
    mean = series["response_mean_h"][-1]
    answered = "no answers yet today" if math.isnan(mean) else f"answers in {mean:.1f} h"
    counts = side.model.life.counts
    return (
        f"{escape(side.name)}: {answered}, satisfaction {series['satisfaction'][-1]:.2f}, "
        f"{counts.in_flight} in progress, {counts.churned} "
        f"customer{'' if counts.churned == 1 else 's'} lost"
    )


def _charts(current: Lockstep, height: float) -> list[str]:
    both = list(zip(current.sides, SCENARIO_COLOURS, strict=False))
    response = [
        charts.Line(f"{side.name} {what}", colour, side.series["day"], side.series[key], dashed)
        for side, colour in both
        for what, key, dashed in (("mean", "response_mean_h", False),
                                  ("p90", "response_p90_h", True))
    ]  # fmt: skip
    satisfaction = [
        charts.Line(side.name, colour, side.series["day"], side.series["satisfaction"])
        for side, colour in both
    ]
    backlog = [
        charts.Line(side.name, colour, side.series["day"], side.series["backlog"])
        for side, colour in both
    ]
    escalations = [(side.name, colour, _escalations(side)) for side, colour in both]
    return [
        charts.line_chart("Response time (h), answers of the last day", response, None, height),
        charts.line_chart("Customer satisfaction, mean", satisfaction, 1.0, height),
        charts.line_chart("Backlog: requests in progress", backlog, None, height),
        charts.bar_chart("Escalations decided per layer, so far", escalations, height),
    ]


def _escalations(side: Side) -> list[tuple[str, float]]:
    """Requests decided at each level above the employee that can decide (not coaches)."""
    tree = side.scenario.tree
    deciding = [any(team.spec.decision != "individual" for team in tree.teams)]
    coaching = {point.level for point in tree.points if point.coach}
    deciding += [level not in coaching for level in range(len(tree.roles))]
    levels = side.model.log.levels
    return [
        (levels[level], float(side.decided_by_level[level]))
        for level, decides in enumerate(deciding, start=1)
        if decides
    ]

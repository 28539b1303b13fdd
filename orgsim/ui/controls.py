"""The sidebar: the ideas trainers talk about, as controls, and scenario files in and out.

Mandates of each layer and of the team, layers taken out, trust and blame, coaching,
demand and the seed. Each change goes through :class:`Actions`: the run restarts and
the page says so, or the change is refused with the loader's message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipyvuetify
import solara
from solara.components.input import use_change

from orgsim.scenario.distributions import Deterministic
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import printable
from orgsim.scenario.schema import Layer, Scenario
from orgsim.ui.chart_upload import MAX_CHART_UPLOAD_BYTES, is_chart, load_chart_upload
from orgsim.ui.session import clock_text
from orgsim.ui.settings import (
    MAX_UPLOAD_BYTES,
    SideSettings,
    build,
    exported_name,
    load_upload,
    mandate_text,
    parse_mandate,
    parse_number,
    roots_of,
    upload_name,
)
from orgsim.ui.settings import to_yaml as scenario_yaml
from orgsim.ui.upload import ScenarioUpload, received, too_large

SIDES = ("left", "right")
Sides = tuple[SideSettings, SideSettings]


@dataclass(frozen=True)
class Actions:
    """What a control may do: restart the run with new settings, or report bad input.

    ``restart(sides, shared, why)`` builds both scenarios and restarts (saying ``why``),
    or reports the :class:`ScenarioError` and keeps the run; it returns whether it did.
    """

    restart: Callable[[Sides, dict[str, Any], str | None], bool]
    report: Callable[[ScenarioError], None]


def shared_changes(shared: dict[str, Any]) -> dict[str, Any]:
    """The changes both sides share: the demand level, when the trainer set one."""
    if shared["demand"] is None:
        return {}
    return {"demand.requests_per_customer_per_day": shared["demand"]}


@solara.component
def Controls(
    sides: Sides,
    shared: dict[str, Any],
    scenarios: list[Scenario],
    files: solara.Reactive[dict[str, Path]],
    folder: Path,
    act: Actions,
) -> None:
    """Shared controls first, then a card per side."""
    solara.HTML(tag="p", unsafe_innerHTML="<b>Both organisations</b>: any change restarts "
                f"the run from the start ({clock_text(0.0, 8.0)}).")  # fmt: skip
    demand = shared["demand"]
    if demand is None and scenarios:
        demand = scenarios[0].demand.requests_per_customer_per_day

    def seed(text: str) -> None:
        try:
            value = parse_number(text, "seed")
            if value < 0 or value != int(value):
                raise ScenarioError(f"seed: a whole number from 0 up, found {text!r}")
        except ScenarioError as error:
            act.report(error)
            return
        act.restart(sides, {**shared, "seed": int(value)}, f"Seed {int(value)}")

    def demand_level(text: str) -> None:
        try:
            value = parse_number(text, "demand")
        except ScenarioError as error:
            act.report(error)
            return
        act.restart(sides, {**shared, "demand": value}, f"Demand {value:g} per customer a day")

    Entry("seed", str(shared["seed"]), seed, ["orgsim-seed"])
    Entry("demand: requests per customer per day", "" if demand is None else f"{demand:g}",
          demand_level,
          ["orgsim-demand"])  # fmt: skip
    for index, side in enumerate(sides):
        scenario = scenarios[index] if scenarios else None
        title = scenario.name if scenario is not None else side.source.name
        with solara.Card(f"{SIDES[index]}: {title}", classes=[f"orgsim-controls-{SIDES[index]}"]):
            if scenario is not None:
                SideControls(index, sides, shared, scenario, act)
            Upload(index, sides, shared, files, folder, act)
            if scenario is not None:
                solara.FileDownload(
                    lambda s=scenario: scenario_yaml(s),
                    filename=f"{exported_name(scenario.name)}.yaml",
                    label="Export settings as YAML",
                )


@solara.component
def SideControls(
    index: int, sides: Sides, shared: dict[str, Any], scenario: Scenario, act: Actions
) -> None:
    """One side's mandates, layers, trust and blame, and coaching."""
    side, name = sides[index], SIDES[index]

    def change(settings: SideSettings, why: str) -> None:
        chosen = list(sides)
        chosen[index] = settings
        act.restart((chosen[0], chosen[1]), shared, f"{name.capitalize()}: {why}")

    def mandate(target: str | int, what: str, text: str) -> None:
        try:
            value = parse_mandate(text, f"{name}: {what}")
        except ScenarioError as error:
            act.report(error)
            return
        if isinstance(target, int):
            change(side.with_layer_mandate(target, value), f"{what} {mandate_text(value)}")
        elif tree:  # a tree's role: as orgsim redesign --mandate ROLE=VALUE
            change(side.with_role_mandate(target, value), f"{what} {mandate_text(value)}")
        else:
            change(side.with_change(target, value), f"{what} {mandate_text(value)}")

    tree = scenario.structure.teams is None  # units, not the shorthand
    teams = scenario.tree.teams[0].spec  # the file's teams, alike (a tree's first)
    employee = "employee" if tree else "structure.teams.employee_mandate"
    Entry(
        "employee mandate", value=mandate_text(teams.employee_mandate),
        on_commit=lambda t: mandate(employee, "employee mandate", t),
        classes=[f"orgsim-{name}-employee-mandate"],
    )  # fmt: skip
    if teams.decision != "individual":
        team = "team" if tree else "structure.teams.team_mandate"
        Entry(
            "team negotiation mandate", value=mandate_text(teams.team_mandate),
            on_commit=lambda t: mandate(team, "team mandate", t),
            classes=[f"orgsim-{name}-team-mandate"],
        )  # fmt: skip
    layers = solara.use_memo(lambda: _file_layers(side), [side.source])
    for number, (role, layer) in enumerate(layers):
        LayerControl(number, role, layer, side, change, mandate, name, scenario)
    trust = scenario.culture.trust
    solara.Checkbox(
        label="blame culture", value=trust.blame,
        on_value=lambda b: change(side.with_change("culture.trust.blame", b),
                                  "blame culture " + ("on" if b else "off")),
    )  # fmt: skip
    initial = trust.initial.value if isinstance(trust.initial, Deterministic) else None

    def number(path: str, what: str) -> Callable[[str], None]:
        def commit(text: str) -> None:
            try:
                value = parse_number(text, f"{name}: {what}")
            except ScenarioError as error:
                act.report(error)
                return
            change(side.with_change(path, value), f"{what} {value:g}")

        return commit

    if initial is not None:
        trust_key = number("culture.trust.initial", "initial trust")
        Entry("initial trust (0 to 1)", f"{initial:g}", trust_key, [f"orgsim-{name}-trust"])
    coaching = scenario.culture.coaching
    if any(point.coach for point in scenario.tree.points):
        Entry("coaching: skill gain per round", f"{coaching.skill_gain:g}",
              number("culture.coaching.skill_gain", "coaching skill gain"),
              [f"orgsim-{name}-coaching"])  # fmt: skip


@solara.component
def Entry(
    label: str,
    value: str,
    on_commit: Callable[[str], None],
    classes: list[str],
    disabled: bool = False,
) -> None:
    """A text field that applies its text on Enter or on leaving it.

    The typed text is kept as the field's own state while it is typed, so that frames
    drawn meanwhile (ten a second while playing) never put the old value back.
    """
    typed = solara.use_reactive(value)
    field = ipyvuetify.TextField.element(
        v_model=typed.value, on_v_model=typed.set, label=label, disabled=disabled,
        class_=" ".join(classes), hide_details="auto",
    )  # fmt: skip
    use_change(field, lambda text: on_commit(str(text)))


@solara.component
def LayerControl(
    number: int,
    role: str,
    layer: Layer | None,
    side: SideSettings,
    change: Callable[[SideSettings, str], None],
    mandate: Callable[[str | int, str, str], None],
    name: str,
    scenario: Scenario,
) -> None:
    """A layer (or a tree's role) kept or taken out, and its approvers' mandate.

    A tree's approvers of one role may each have their own mandate: the field shows the
    first one's, and a value typed sets them all.
    """
    kept = number not in side.dropped_layers
    with solara.Row(style={"align-items": "center"}):
        solara.Checkbox(
            label=f"{role} ({layer.role if layer else 'role'})"
            if layer is None or layer.role != "approver"
            else "",
            value=kept,
            on_value=lambda k: change(
                side.with_layer_kept(number, k), f"layer {role} {'back' if k else 'out'}"
            ),
        )
        if layer is not None and layer.role == "approver":
            shown = side.layer_mandates.get(number, layer.mandate)
            Entry(
                f"{role} mandate", value=mandate_text(shown), disabled=not kept,
                on_commit=lambda t: mandate(number, f"{role} mandate", t),
                classes=[f"orgsim-{name}-layer-{number}-mandate"],
            )  # fmt: skip
        elif layer is None and (mandates := _mandates_of(scenario, role)):
            Entry(
                f"{role} mandate", value=mandate_text(mandates[0]), disabled=not kept,
                on_commit=lambda t: mandate(role, f"{role} mandate", t),
                classes=[f"orgsim-{name}-layer-{number}-mandate"],
            )  # fmt: skip


def _mandates_of(scenario: Scenario, role: str) -> list[float | None]:
    """The mandates of the approvers and committees of ``role`` (None: unlimited)."""
    return [p.spec.mandate for p in scenario.tree.points if p.spec.name == role and not p.coach]


def _file_layers(side: SideSettings) -> list[tuple[str, Layer | None]]:
    """The layers (or a tree's roles) as the file has them, so one taken out can come back."""
    try:
        scenario = build(side.as_filed())
    except ScenarioError:
        return []
    layers = scenario.structure.layers
    if layers:
        return [(layer.name, layer) for layer in layers]
    return [(role, None) for role in scenario.tree.roles]


@solara.component
def Upload(
    index: int,
    sides: Sides,
    shared: dict[str, Any],
    files: solara.Reactive[dict[str, Path]],
    folder: Path,
    act: Actions,
) -> None:
    """Load a scenario file, or an org chart to import, from the trainer's disk into one side."""

    def loaded(data: Any) -> None:
        try:
            sent, content = received(data, MAX_CHART_UPLOAD_BYTES)
            if is_chart(sent):
                path, scenario, _ = load_chart_upload(sent, content, folder)
                name = f"{path.name} (imported from {printable(sent, 60)}: "
                name += f"{scenario.tree.headcount:,} people)"
            else:
                name = upload_name(sent)
                path, _ = load_upload(name, content, folder)
                name += " (uploaded)"
        except ScenarioError as error:
            act.report(error)
            return
        except Exception as error:  # never a traceback in the page: one line, and go on
            act.report(ScenarioError(f"the upload could not be loaded ({type(error).__name__})"))
            return
        files.set({**files.value, f"uploaded: {path.name}": path})
        chosen = list(sides)
        chosen[index] = SideSettings(path, roots=roots_of(path, folder))
        act.restart((chosen[0], chosen[1]), shared, f"{SIDES[index]}: {name}")

    def refused(file: Any) -> None:
        name = str(file.get("name", "")) if isinstance(file, dict) else ""
        if is_chart(name):
            message = too_large(file, MAX_CHART_UPLOAD_BYTES, "the largest chart read here")
        else:
            message = too_large(file, MAX_UPLOAD_BYTES)
        act.report(ScenarioError(message))

    ScenarioUpload(
        limit=MAX_UPLOAD_BYTES,
        chart_limit=MAX_CHART_UPLOAD_BYTES,
        event_loaded=loaded,
        event_refused=refused,
    )

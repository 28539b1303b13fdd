"""From the trainer's controls to a validated scenario, and back out as a YAML file.

Every control is a change to one scenario value; the scenario loader validates the
result, so a value out of range gets the loader's own message (the field, the value,
what is allowed) and the page shows it instead of restarting the run.
"""

from __future__ import annotations

import functools
import math
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import printable
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.redesign import redesign, remove_layer, set_mandates
from orgsim.scenario.schema import Scenario

UNLIMITED = "unlimited"


@dataclass(frozen=True)
class SideSettings:
    """One side's scenario and what the trainer changed in it.

    Attributes:
        source: the scenario file.
        changes: dotted scenario paths to new values (``{"culture.trust.blame": False}``).
        layer_mandates: new mandates of layers, by their index in the file.
        dropped_layers: indices of layers taken out (delayering): of the shorthand's
            layers, or of a tree's roles (lowest first).
        roots: the folders the file and those it ``extends`` must lie in (None: any).
        role_mandates: new mandates of a tree's roles (``employee`` and ``team`` for
            its teams), made as ``orgsim redesign --mandate ROLE=VALUE`` makes them.
    """

    source: Path
    changes: Mapping[str, Any] = field(default_factory=dict)
    layer_mandates: Mapping[int, float | None] = field(default_factory=dict)
    dropped_layers: frozenset[int] = frozenset()
    roots: tuple[Path, ...] | None = None
    role_mandates: Mapping[str, float | None] = field(default_factory=dict)

    def as_filed(self) -> SideSettings:
        """The file's own settings, nothing changed (to read what the file has)."""
        return SideSettings(self.source, roots=self.roots)

    def with_change(self, path: str, value: Any) -> SideSettings:
        """These settings with one more change."""
        return replace(self, changes={**self.changes, path: value})

    def with_layer_mandate(self, index: int, mandate: float | None) -> SideSettings:
        """These settings with layer ``index``'s mandate changed."""
        return replace(self, layer_mandates={**self.layer_mandates, index: mandate})

    def with_role_mandate(self, role: str, mandate: float | None) -> SideSettings:
        """These settings with the mandates of a tree's ``role`` set to ``mandate``."""
        return replace(self, role_mandates={**self.role_mandates, role: mandate})

    def with_layer_kept(self, index: int, kept: bool) -> SideSettings:
        """These settings with layer ``index`` kept or taken out."""
        dropped = self.dropped_layers - {index} if kept else self.dropped_layers | {index}
        return replace(self, dropped_layers=frozenset(dropped))


def build(settings: SideSettings, shared: Mapping[str, Any] | None = None) -> Scenario:
    """The validated scenario of ``settings``, with ``shared`` changes (demand) on top.

    Raises:
        ScenarioError: the file, or a changed value, is not allowed; the message says why.
    """
    base = load_scenario(settings.source, roots=settings.roots)
    overrides: dict[str, Any] = {}
    roles = base.tree.roles  # a shorthand's layers, or a tree's roles, lowest first
    for index, mandate in settings.layer_mandates.items():
        overrides[f"structure.layers[{index}].mandate"] = mandate
    if settings.dropped_layers and len(settings.dropped_layers) >= len(roles):
        raise ScenarioError("layers: keep at least one layer (someone must decide)")
    overrides |= dict(settings.changes) | dict(shared or {})
    scenario = load_scenario(base, overrides) if overrides else base
    if not (settings.dropped_layers or settings.role_mandates):
        return scenario
    # as orgsim redesign --remove-layer: the reports move up, spans grow, managers leave
    dropped = [roles[i] for i in sorted(settings.dropped_layers)]
    changes = [remove_layer(role) for role in dropped]
    changes += [
        set_mandates(role, value)
        for role, value in settings.role_mandates.items()
        if role not in dropped
    ]
    # named for what was taken out, so that the page tells a redesign from its source
    name = f"{scenario.name}_no_{'_'.join(dropped)}" if dropped else scenario.name
    return redesign(scenario, changes, name=name)


def parse_mandate(text: str, what: str) -> float | None:
    """A mandate typed by a trainer: a number, or ``unlimited`` (or nothing) for no limit."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if cleaned.lower() in ("", UNLIMITED, "null", "none", "inf"):
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ScenarioError(
            f"{what}: expected an amount such as 5000, or {UNLIMITED!r}; found {text!r}"
        ) from None
    if not math.isfinite(value):
        raise ScenarioError(f"{what}: expected an amount such as 5000; found {text!r}")
    return value


def parse_number(text: str, what: str) -> float:
    """A number typed by a trainer; the scenario's own checks judge its range."""
    try:
        value = float(text.strip().replace(",", "").replace("_", ""))
    except ValueError:
        raise ScenarioError(f"{what}: expected a number, found {text!r}") from None
    if not math.isfinite(value):
        raise ScenarioError(f"{what}: expected a finite number, found {text!r}")
    return value


def mandate_text(mandate: float | None) -> str:
    """A mandate as the controls show it."""
    if mandate is None or math.isinf(mandate):
        return UNLIMITED
    return f"{mandate:g}" if mandate < 1e6 else f"{mandate:.0f}"


EXPORTED = "_edited"
"""Added to an exported scenario's name: it must compare with its source, whose name
it would otherwise share (``orgsim compare`` needs distinct names)."""


def exported_name(name: str) -> str:
    """The name an exported scenario takes: its source's, marked as edited."""
    return name + EXPORTED


def to_yaml(scenario: Scenario) -> str:
    """The whole scenario, every default spelled out, as a file ``orgsim run`` reads.

    It is named anew (:func:`exported_name`), so that it compares with its source.
    """
    name = exported_name(scenario.name)
    header = (
        f"# {name}: exported from the orgsim browser UI (from {scenario.name}) with every\n"
        "# setting spelled out. Run it with: orgsim run <this file>; compare it with its\n"
        f"# source: orgsim compare <{scenario.name}'s file> <this file>\n"
    )
    raw = scenario.model_dump(mode="python") | {"name": name}
    return header + yaml.safe_dump(raw, sort_keys=False)


@functools.cache
def _uploads() -> tempfile.TemporaryDirectory:
    """One folder for this server's uploads (kept alive here), removed when it ends."""
    return tempfile.TemporaryDirectory(prefix="orgsim-ui-")


MAX_UPLOAD_BYTES = limits.MAX_FILE_BYTES
"""Largest upload read: a scenario file is a few kilobytes (the page refuses larger ones
before sending them, :mod:`orgsim.ui.upload_guard`; this is the server's own check)."""


def upload_name(name: str, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> str:
    """A file name for an upload that is a plain name in its folder: no ``..``, no ``/``.

    Characters other than letters, digits, ``.``, ``_``, ``-`` and spaces become ``_``;
    leading dots and spaces go (no hidden file, no ``..``); one of ``suffixes`` is kept,
    or the first added.
    """
    cleaned = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).lstrip(". ")[:100]
    stem = cleaned.rstrip(". ")
    if not stem:
        return f"uploaded{suffixes[0]}"
    return stem if stem.lower().endswith(suffixes) else f"{stem}{suffixes[0]}"


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]")


def load_upload(name: str, content: bytes, scenarios: Path) -> tuple[Path, Scenario]:
    """Keep an uploaded scenario file and load it; ``extends:`` resolves in ``scenarios``.

    The file is written into a fresh folder beside links to the scenario folder's
    contents, so that ``extends: base/customers.yaml`` works as it does there; it may
    extend files in that folder or in ``scenarios`` only (:data:`roots_of`), never other
    files of the server. Errors name the uploaded file, not the temporary folder.

    Raises:
        ScenarioError: the file is too large, cannot be kept, or is not a valid
            scenario (the loader's message).
    """
    shown = printable(name, 60) or "the file"
    if len(content) > MAX_UPLOAD_BYTES:
        raise ScenarioError(
            f"{shown}: larger than {MAX_UPLOAD_BYTES:,} bytes; a scenario is a few kilobytes"
        )
    path = keep_upload(upload_name(name), content, scenarios, shown)
    try:
        return path, load_scenario(path, roots=roots_of(path, scenarios))
    except ScenarioError as error:
        raise ScenarioError(str(error).replace(str(path.parent) + "/", "")) from None


def keep_upload(safe: str, content: bytes, scenarios: Path, shown: str) -> Path:
    """Write an upload named ``safe`` into a fresh folder beside links to ``scenarios``.

    Raises:
        ScenarioError: it cannot be kept (``shown`` names it).
    """
    try:
        folder = Path(tempfile.mkdtemp(prefix="orgsim-upload-", dir=_uploads().name))
        for entry in scenarios.iterdir():
            if entry.name != safe:
                (folder / entry.name).symlink_to(entry.resolve())
        path = folder / safe
        path.write_bytes(content)
    except OSError as error:
        raise ScenarioError(
            f"{shown}: could not be kept on the server ({error.strerror})"
        ) from None
    return path


def roots_of(path: Path, scenarios: Path) -> tuple[Path, ...]:
    """Where a scenario the UI reads may reach through ``extends``: its folder, the scenarios."""
    return path.parent.resolve(), scenarios.resolve()

"""Scenario files are parsed by libyaml, and read exactly as the pure-Python reader reads them.

The fast path (:class:`~orgsim.scenario.reading._FastLoader`) must give the same data as
the reference (:class:`~orgsim.scenario.reading._Loader`) on every file it accepts, apply
the same checks itself, and leave every refusal to the reference, which words it.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml

from orgsim import OrgModel
from orgsim.bulk import collector_paused
from orgsim.scenario import reading
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.reading import parse_yaml, read_mapping
from orgsim.sim import model as model_module
from orgsim.sim.organisation import build

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted({*ROOT.glob("scenarios/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")})

TRICKY = [
    "a: 1e3\nb: -2.5E-3\nc: 1_000\nd: 0x1F\ne: .inf\nf: ~\ng: 'x: y'\n",
    "base: &b {mandate: 5000, skill: {dist: beta, mean: 0.7}}\nunits:\n- <<: *b\n  id: t\n",
    "when: 2024-02-29\nflag: yes\nno_flag: off\nnote: |\n  two\n  lines\n",
    "name: Zürich → Genève ✓\nlist: [1, [2, [3]], {k: v}]\n",
    "# only a comment\nkey: value # and another\n",
    "a: !!float 3\nb: !!str 4\nc: !!int '5'\n",
]


def _both(text: str) -> tuple[object, object]:
    return yaml.load(text, Loader=reading._FastLoader), yaml.load(text, Loader=reading._Loader)


def test_libyaml_is_there() -> None:
    """PyYAML's wheels ship libyaml; without it the fast path would be the slow one."""
    assert yaml.__with_libyaml__
    assert issubclass(reading._FastLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_reads_alike_on_both_paths(path: Path) -> None:
    fast, reference = _both(path.read_text(encoding="utf-8"))
    assert fast == reference


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents_read_alike_on_both_paths(text: str) -> None:
    fast, reference = _both(text)
    assert fast == reference
    assert repr(fast) == repr(reference)  # types too: 1e3 a float on both, 1 an int


def test_the_fast_path_reads_valid_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the reference reader broken, a valid document still reads: libyaml read it."""

    class Broken(yaml.SafeLoader):
        def __init__(self, stream: str) -> None:
            raise AssertionError("the reference reader was used for a valid document")

    monkeypatch.setattr(reading, "_Loader", Broken)
    assert parse_yaml("a: 1e3\nb: [x, y]\n") == {"a": 1000.0, "b": ["x", "y"]}


@pytest.mark.parametrize(
    "text",
    ["a: 1\nb: 2\na: 3\n", "a: 2020-13-01\n", "a: !!bool maybe\n"],
    ids=["duplicate key", "impossible date", "bad bool"],
)
def test_the_fast_path_applies_the_checks_itself(text: str) -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load(text, Loader=reading._FastLoader)


@pytest.mark.parametrize(
    "text",
    ["a: 1\nb: 2\na: 3\n", "a: [1, 2\nb: 3\n", "a: b: c\n", "x: \x07\n", "[" * 5000],
    ids=["duplicate key", "unclosed flow", "mapping in a plain scalar", "control", "deep"],
)
def test_refusals_are_worded_by_the_reference_reader(tmp_path: Path, text: str) -> None:
    """The message (what, line, column) is the pure-Python reader's, as before libyaml."""
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        yaml.load(text, Loader=reading._Loader)
    except RecursionError:
        expected = reading.yaml_problem(yaml.YAMLError("nested too deeply"), text)
    except yaml.YAMLError as error:
        expected = reading.yaml_problem(error, text)
    with pytest.raises(ScenarioError) as refused:
        read_mapping(path)
    assert str(refused.value) == f"{path}: broken YAML{expected}"


def test_collector_is_paused_inside_and_back_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            pass
        assert not gc.isenabled()  # an inner use does not turn it back on
    assert gc.isenabled()


def test_collector_is_back_after_a_failure() -> None:
    def fails() -> None:
        with collector_paused():
            raise KeyError("a failed build")

    with pytest.raises(KeyError):
        fails()
    assert gc.isenabled()


def test_a_model_is_built_without_collector_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passes during a build walk every live object and free nothing (orgsim.bulk)."""
    seen = []

    def watched(*args: object) -> object:
        seen.append(gc.isenabled())
        return build(*args)

    monkeypatch.setattr(model_module, "build", watched)
    model = OrgModel(ROOT / "scenarios" / "uneven.yaml", rng=1)
    assert model.org.employees
    assert seen == [False]
    assert gc.isenabled()

"""Reading scenario files: bounded YAML, no duplicate keys, ``extends:`` inheritance.

Reading is bounded (:mod:`orgsim.scenario.limits`): a file's size, the values it holds
once its aliases are expanded and the length of an ``extends`` chain, so that no file
makes the loader hang or fill the memory.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import Location, schema_keys, short

_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")
"""A number with an exponent and no dot (``1e6``, ``5e-324``): YAML 1.2 and JSON read it as
a float, YAML 1.1 (PyYAML) as a string. Types are strict, so it must be read as a number."""


class _Checks:
    """Refusing duplicate keys; a scalar a safe loader cannot convert is an error.

    The safe loader raises ``ValueError`` or ``KeyError`` for scalars such as
    ``2020-13-01`` or ``!!bool maybe``; this turns them into errors with a line. It also
    keeps the last of two equal keys silently (a second ``structure:`` replaces the
    first): here that is an error too. Keys merged in with ``<<`` may still be overridden.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """The mapping, after checking that no key is written twice."""
        first_lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(
                key_node, yaml.ScalarNode
            ):
                continue
            key = self.construct_object(key_node)
            if key in first_lines:
                raise yaml.constructor.ConstructorError(
                    problem=f"duplicate key {key!r} (first at line {first_lines[key]})",
                    problem_mark=key_node.start_mark,
                )
            first_lines[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            tag = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                problem=f"cannot read {node.value!r} as {tag} ({error})",
                problem_mark=node.start_mark,
            ) from None


class _Loader(_Checks, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with the checks: the reference, and its messages."""


class _FastLoader(_Checks, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same loader on libyaml's parser (in PyYAML's wheels): about 10x faster.

    Only the scanning and parsing are libyaml's: the constructor and the resolver (types,
    duplicate keys, ``1e3`` as a number) are the Python ones above.
    """


for _loader in (_Loader, _FastLoader):
    _loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789"))


def read_chain(
    path: Path, roots: Sequence[Path] | None = None
) -> list[tuple[Path, dict[str, Any]]]:
    """The file at ``path`` and the files it ``extends``, each as read: ``path`` first.

    Each mapping is as its file wrote it, less ``extends``; merging them (and applying
    a file's own ``overrides:``) is the loader's business. With ``roots``, every file of
    the chain must lie (links resolved) in one of those folders: a scenario uploaded to
    a server may not read the server's other files.
    """
    chain: list[Path] = []
    files: list[tuple[Path, dict[str, Any]]] = []
    current = path
    while True:
        resolved = _resolve(current)
        if roots is not None and not any(resolved.is_relative_to(root) for root in roots):
            raise ScenarioError(f"{_named(path, current)}: {CONFINED}")
        if resolved in chain:
            names = " -> ".join(str(p) for p in (*chain, resolved))
            raise ScenarioError(f"{current}: extends: circular inheritance ({names})")
        raw = _read_named(current) if not chain else _read_parent(current, chain[-1])
        parent = raw.pop("extends", None)
        chain.append(resolved)
        files.append((current, raw))
        if parent is None:
            return files
        if not isinstance(parent, str) or not parent.strip():
            found = short(parent) if len(chain) == 1 else f"a {type(parent).__name__}"
            raise ScenarioError(
                f"{current}: extends: expected the file name of a scenario, found {found}"
            )
        if len(chain) > limits.MAX_EXTENDS_DEPTH:
            raise ScenarioError(
                f"{path}: extends: a chain of more than {limits.MAX_EXTENDS_DEPTH} files "
                f"({chain[0]} -> ... -> {current} -> {parent} ...); at most "
                f"{limits.MAX_EXTENDS_DEPTH} are allowed"
            )
        current = current.parent / parent


CONFINED = (
    "not read: a scenario here may extend only files in its own folder or in the "
    "scenarios folder the server was started with"
)
"""Why a file outside the allowed roots is refused (its name is the writer's, not shown)."""


def _named(path: Path, current: Path) -> str:
    """How a refused file is named: the first file as given, an extended one by its writer."""
    return str(path) if current == path else f"{path}: extends: {short(current.name)}"


def _read_named(path: Path) -> dict[str, Any]:
    raw = read_mapping(path)
    check_sections(raw, SECTIONS, path)
    return raw


def _read_parent(path: Path, child: Path) -> dict[str, Any]:
    try:
        raw = read_mapping(path, quote=False)
        check_sections(raw, SECTIONS, path, named=False)
    except ScenarioError as error:
        raise ScenarioError(f"{error} (extended by {child})") from None
    return raw


def leaf_locations(raw: Mapping[str, Any], prefix: Location = ()) -> set[Location]:
    """Locations of the values (not mappings) in ``raw``: what a file set itself."""
    leaves: set[Location] = set()
    for key, value in raw.items():
        if isinstance(value, Mapping):
            leaves |= leaf_locations(value, (*prefix, key))
        else:
            leaves.add((*prefix, key))
    return leaves


def check_size(raw: Any, origin: str) -> None:
    """Refuse a document of more values than a scenario could need, aliases expanded.

    Counts at most :data:`~orgsim.scenario.limits.MAX_DOCUMENT_NODES` values, so the
    check costs little even for an alias bomb of astronomical expanded size.
    """
    budget, stack = limits.MAX_DOCUMENT_NODES, [raw]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            raise ScenarioError(
                f"{origin}: too large: more than {limits.MAX_DOCUMENT_NODES:,} values "
                "(aliases counted at each use); a scenario holds a few hundred"
            )
        if isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError) as error:
        raise ScenarioError(f"{path}: not a usable file name ({error})") from None


def read_mapping(path: Path, kind: str = "scenario", quote: bool = True) -> dict[str, Any]:
    """The mapping in the YAML file at ``path``, read within the bounds of :mod:`limits`.

    Args:
        path: the file.
        kind: what the file should be, for messages (``scenario``, ``experiment``).
        quote: whether a YAML error may quote the text (only in a file the user named).

    Raises:
        ScenarioError: the file is missing, not a regular file, too large, not UTF-8,
            broken YAML (duplicate keys included), not a mapping, or too many values.
    """
    try:
        text = _read_text(path, kind)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such {kind} file") from None
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: is not UTF-8 text") from None
    except ValueError as error:
        raise ScenarioError(f"{path}: not a usable file name ({error})") from None
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError as error:
        where = yaml_problem(error, text, quote)
        raise ScenarioError(f"{path}: broken YAML{where}") from None
    if not isinstance(raw, dict):
        found = "empty" if raw is None else f"a {type(raw).__name__}"
        raise ScenarioError(f"{path}: {_a(kind)} must be a mapping of sections, this is {found}")
    check_size(raw, str(path))
    return raw


SECTIONS = frozenset({*schema_keys(()), "extends", "overrides"})
"""The top-level keys a scenario file may hold."""


def check_sections(
    raw: Mapping[Any, Any],
    allowed: Iterable[str],
    path: Path,
    kind: str = "scenario",
    named: bool = True,
) -> None:
    """Refuse a mapping that is not of the ``allowed`` top-level keys, echoing none of it.

    A file none of whose keys is allowed is some other file (a password file read as
    YAML is a mapping too): it is refused whole. A file the user did not name (one
    reached through ``extends``) must hold allowed keys only; the keys it holds
    otherwise are not shown, only the lines they start on. A named file's unknown keys
    are left to the validator, which names them for the writer.
    """
    allowed = set(allowed)
    unknown = [key for key in raw if key not in allowed]
    if not unknown or (named and len(unknown) < len(raw)):
        return
    if len(unknown) == len(raw):
        raise ScenarioError(
            f"{path}: not {_a(kind)} file: none of its top-level keys is one of "
            f"{', '.join(sorted(allowed))}; its content is not shown"
        )
    lines = _key_lines(path, unknown, kind)
    where = f" (at line {', '.join(map(str, lines))})" if lines else ""
    raise ScenarioError(
        f"{path}: {len(unknown)} top-level key(s){where} are not sections of {_a(kind)}; "
        f"allowed: {', '.join(sorted(allowed))}"
    )


def _key_lines(path: Path, keys: list[Any], kind: str) -> list[int]:
    """The lines (from 1) on which block-style top-level ``keys`` start: at most five."""
    try:
        text = _read_text(path, kind)
    except (OSError, ValueError, ScenarioError):
        return []
    starts = {f"{key}:" for key in keys if isinstance(key, str)}
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.split(" ", 1)[0] in starts]
    return found[:5]


def _read_text(path: Path, kind: str) -> str:
    """The text of a regular file of at most ``MAX_FILE_BYTES``, read without waiting.

    A device (``/dev/zero``), a pipe or a folder is refused before it is opened: reading
    one may never end, or wait for a writer that never comes.
    """
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise ScenarioError(f"{path}: cannot be read ({what}; {_a(kind)} is a YAML file)")
    with path.open("rb") as file:
        data = file.read(limits.MAX_FILE_BYTES + 1)
    if len(data) > limits.MAX_FILE_BYTES:
        raise ScenarioError(
            f"{path}: larger than {limits.MAX_FILE_BYTES:,} bytes; {_a(kind)} is a few kilobytes"
        )
    return data.decode("utf-8")


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def parse_yaml(text: str) -> Any:
    """The document in ``text``; every way it can be broken is a ``yaml.YAMLError``.

    libyaml reads it first (a 10,000-person chart in a tenth of a second rather than
    seconds); whatever libyaml refuses, or fails on, the pure-Python reader reads again
    and decides, so that a broken file is refused with the same message and line as
    ever, and anything libyaml alone refuses is still read as before.
    """
    try:
        return yaml.load(text, Loader=_FastLoader)  # a SafeLoader: builds plain data only
    except Exception:  # the reference reader below decides, and says why
        pass
    try:
        return yaml.load(text, Loader=_Loader)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None


def yaml_problem(error: yaml.YAMLError, text: str, quote: bool = True) -> str:
    """Where and what: `` at line 3, column 4: expected ',' or ']'``.

    Without ``quote`` only where: what PyYAML says may quote the file's values.
    """
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
    else:
        return f": {error}" if quote else ""
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or error
    return f" at line {line}, column {column}" + (f": {problem}" if quote else "")


def deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: mappings merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged

"""Org charts as HR systems export them: one row per person, with the id of their manager.

:func:`read_chart` reads a CSV (delimiter and encoding detected: ``,`` ``;`` tabs ``|``, a
UTF-8 BOM, UTF-8 or Latin-1) or an ``.xlsx`` sheet, finds its columns by the usual
headers (or a mapping the user gives), and checks it is one tree: each bad row named
with its line number, before anything is inferred or written. :func:`write_chart` writes
the same shape.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from orgsim.scenario.errors import ScenarioError

MAX_CHART_BYTES = 50_000_000
"""Largest chart file read: 50 MB holds about a million rows of an HR export."""

MAX_CHART_ROWS = 200_000
"""Most people in a chart (a large company; each becomes an agent with a queue)."""

FIELDS = {
    "id": ("id", "employee_id", "employee id", "person_id", "emp_id", "personnel number"),
    "manager_id": ("manager_id", "manager id", "manager", "reports_to", "supervisor_id"),
    "name": ("name", "full_name", "full name", "employee name"),
    "title": ("title", "job_title", "job title", "position"),
    "unit": ("unit", "team", "department", "dept"),
    "role": ("role",),
    "kind": ("kind",),
    "mandate": ("mandate", "approval_limit", "approval limit"),
    "fte": ("fte", "fte_share"),
    "customers": ("customers",),
    "requests_per_customer_per_day": ("requests_per_customer_per_day",),
}
"""Each field and the headers (any case) it is found under."""

UNLIMITED = ("unlimited", "none", "null", "inf")
"""How a mandate cell says there is no limit."""


class ChartError(ScenarioError):
    """A chart that cannot be read or is no tree; the message names the rows at fault."""


@dataclass(frozen=True)
class Person:
    """One row of a chart: ``line`` is its line in the file (the header is line 1)."""

    line: int
    id: str
    manager: str | None
    cells: Mapping[str, str]

    def text(self, field: str) -> str:
        """The cell of ``field``, stripped ('' if the chart has no such column)."""
        return self.cells.get(field, "")

    def number(self, field: str, path: str) -> float | None:
        """The cell of ``field`` as a number; None if empty; inf for "unlimited"."""
        text = self.text(field)
        if not text:
            return None
        if text.lower() in UNLIMITED:
            return math.inf
        try:
            value = float(
                text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
            )
        except ValueError:
            value = math.nan
        if not (value >= 0):  # NaN, negative
            raise ChartError(
                f"{path}: line {self.line}, column {field}: cannot read {text[:40]!r} as a "
                "number of 0 or more"
            )
        return value


def read_chart(path: Path, columns: Mapping[str, str] | None = None) -> list[Person]:
    """The people of the chart at ``path``, checked to form one tree.

    Args:
        path: a ``.csv`` (or any delimited text) or ``.xlsx`` file.
        columns: field -> header, for headers that differ from :data:`FIELDS`.

    Raises:
        ChartError: an unreadable or empty file, missing columns, or rows that are no
            tree (naming them with their lines).
    """
    rows = _rows(path)
    header, body = _header(rows, path)
    where = _columns(header, columns or {}, path)
    people = [
        Person(line, cells[where["id"]], cells[where["manager_id"]] or None, _cells(cells, where))
        for line, cells in body
    ]
    if not people:
        raise ChartError(f"{path}: no rows below the header")
    check_tree(people, str(path))
    return people


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ChartError(f"{path}: cannot read it ({error.strerror or error})") from None
    if not path.is_file():
        raise ChartError(f"{path}: not a file")
    if size > MAX_CHART_BYTES:
        raise ChartError(f"{path}: {size:,} bytes, more than the {MAX_CHART_BYTES:,} read")
    if size == 0:
        raise ChartError(f"{path}: the file is empty")
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    data = path.read_bytes()
    text = _decoded(data)
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for cells in reader:
            if len(rows) > MAX_CHART_ROWS:
                raise ChartError(f"{path}: more than {MAX_CHART_ROWS:,} rows")
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise ChartError(f"{path}: line {reader.line_num}: {error}") from None
    return [(line, cells) for line, cells in rows if any(cells)]


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Latin-1, which reads any byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:20_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        best = max(",;\t|", key=first.count)

        class Found(csv.excel):
            delimiter = best

        return Found


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl  # only for .xlsx: not every command pays for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any failure of a foreign file is one message
        raise ChartError(f"{path}: not a readable .xlsx file ({type(error).__name__})") from None
    rows = []
    for line, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        if line > MAX_CHART_ROWS + 1:
            raise ChartError(f"{path}: more than {MAX_CHART_ROWS:,} rows")
        cells = ["" if v is None else _cell_text(v) for v in values]
        if any(cells):
            rows.append((line, cells))
    book.close()
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(
    rows: list[tuple[int, list[str]]], path: Path
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not rows:
        raise ChartError(f"{path}: the file is empty")
    (_, header), body = rows[0], rows[1:]
    width = len(header)
    for line, cells in body:
        if len(cells) > width and any(cells[width:]):
            raise ChartError(
                f"{path}: line {line}: {len(cells)} cells, the header has {width} columns"
            )
    return [h.strip().lower() for h in header], [
        (line, cells + [""] * width) for line, cells in body
    ]


def _columns(header: list[str], given: Mapping[str, str], path: Path) -> dict[str, int]:
    """Each field's column index: the header the user names for it, else a usual one."""
    where: dict[str, int] = {}
    for field, names in FIELDS.items():
        wanted = [given[field].strip().lower()] if field in given else list(names)
        found = [header.index(name) for name in wanted if name in header]
        if field in given and not found:
            raise ChartError(
                f"{path}: column {given[field]!r} (for {field}) is not in the header "
                f"({', '.join(header)})"
            )
        if found:
            where[field] = found[0]
    for needed in ("id", "manager_id"):
        if needed not in where:
            raise ChartError(
                f"{path}: no {needed} column (looked for {', '.join(FIELDS[needed])}; the "
                f"header has {', '.join(header)}); name it with --column {needed}=HEADER"
            )
    return where


def _cells(cells: list[str], where: Mapping[str, int]) -> dict[str, str]:
    return {field: cells[index] for field, index in where.items()}


def check_tree(people: Sequence[Person], path: str) -> None:
    """Raise unless ``people`` form one tree: unique ids, known managers, one top, no cycle."""
    seen: dict[str, Person] = {}
    for person in people:
        if not person.id:
            raise ChartError(f"{path}: line {person.line}: the id is empty")
        if person.id in seen:
            raise ChartError(
                f"{path}: lines {seen[person.id].line} and {person.line}: id {person.id!r} "
                "appears twice"
            )
        seen[person.id] = person
    for person in people:
        if person.manager is not None and person.manager not in seen:
            raise ChartError(
                f"{path}: line {person.line}: manager id {person.manager!r} is no row's id"
            )
    tops = [p for p in people if p.manager is None]
    if len(tops) > 1:
        lines = ", ".join(str(p.line) for p in tops[:10]) + (", ..." if len(tops) > 10 else "")
        raise ChartError(
            f"{path}: lines {lines}: {len(tops)} people have no manager; a chart has one top"
        )
    _no_cycle(people, seen, path)


def _no_cycle(people: Sequence[Person], by_id: Mapping[str, Person], path: str) -> None:
    """Every chain of managers ends at the top: walked once per person, memoised."""
    reaches_top: set[str] = set()
    for person in people:
        chain: list[Person] = []
        on_chain: set[str] = set()
        current: Person | None = person
        while current is not None and current.id not in reaches_top:
            if current.id in on_chain:
                loop = chain[[p.id for p in chain].index(current.id) :]
                lines = ", ".join(str(p.line) for p in loop)
                raise ChartError(
                    f"{path}: lines {lines}: their managers form a cycle "
                    f"({' -> '.join(p.id for p in loop)} -> {current.id})"
                )
            chain.append(current)
            on_chain.add(current.id)
            current = by_id[current.manager] if current.manager is not None else None
        reaches_top.update(on_chain)


def chart_text(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """``rows`` as CSV text with ``columns`` (a None value as an empty cell)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()

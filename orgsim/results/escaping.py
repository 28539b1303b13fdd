"""Text from scenarios made inert in files people open elsewhere: CSV cells and Markdown.

A scenario's name, description or a level's label is the writer's text, and it reaches
``summary.csv``, ``main_effects.csv`` and ``report.md``. A spreadsheet runs a cell that
starts with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``, DDE's
``=cmd|' /C calc'!A0``), and a Markdown viewer renders ``<script>``, links and remote
images. The HTML pages escape with :func:`html.escape`; these do the same for the others.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
"""A plain number written as text (``-1.5``): a spreadsheet reads it as the number it is."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]!|~#<>&])")
"""Characters that start markup inline: emphasis, code, links and images, tables, HTML."""


def csv_cell(value: Any) -> Any:
    """``value``, with a text that a spreadsheet would run as a formula quoted by a ``'``.

    OWASP's rule: prefix the cell with a single quote, which spreadsheets show as text
    and do not run. Numbers, and texts that are plain numbers, are left as they are.
    """
    return "'" + value if isinstance(value, str) and _formula(value) else value


def _formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def csv_cell_reversible(value: Any) -> Any:
    """:func:`csv_cell`, made undoable by :func:`csv_cell_read` for any text.

    A text that starts with quotes followed by what :func:`csv_cell` quotes (``'=x``,
    ``''+1 x``) gains one more quote, so that reading strips exactly the one added:
    an event log written with it reads back with the very values it was written from.
    """
    if not isinstance(value, str):
        return value
    return "'" + value if _formula(value.lstrip("'")) else value


def csv_cell_read(value: str) -> str:
    """The text :func:`csv_cell_reversible` was given: one quote fewer where it added one.

    A spreadsheet's own export quotes formulas alike (``'=x``), and reads back as ``=x``.
    """
    return value[1:] if value.startswith("'") and _formula(value.lstrip("'")) else value


def csv_safe_reversible(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``table`` whose text ``columns`` are :func:`csv_cell_reversible` safe.

    Only cells that start with a formula character or a quote are touched: a million
    rows cost a vectorised test per column.
    """
    return _apply(table.copy(), columns, (*FORMULA_STARTS, "'"), csv_cell_reversible)


def csv_read_back(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (all text) with every :func:`csv_cell_reversible` cell read back, in place."""
    return _apply(table, table.columns, ("'",), csv_cell_read)


def _apply(
    table: pd.DataFrame, columns: Iterable[str], starts: tuple[str, ...], rule: Any
) -> pd.DataFrame:
    for column in columns:
        text = table[column]
        if pd.api.types.is_numeric_dtype(text.dtype):
            continue
        if not pd.api.types.is_string_dtype(text.dtype):  # categories, mixed objects
            text = text.astype(object).where(text.notna(), None)
        hit = text.str.startswith(starts, na=False).to_numpy(dtype=bool)
        if hit.any():
            text = text.astype(object)
            text[hit] = text[hit].map(rule)
            table[column] = text
    return table


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names are :func:`csv_cell` safe."""
    safe = table.rename(columns=csv_cell)
    for column, dtype in safe.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype):
            safe[column] = safe[column].map(csv_cell)
    return safe


def to_csv(table: pd.DataFrame, **options: Any) -> str:
    """``table`` as CSV text, every cell safe to open in a spreadsheet."""
    return csv_safe(table).to_csv(**options)


def markdown_text(text: Any) -> str:
    """``text`` shown as itself in Markdown: no markup, link, image or HTML, on one line.

    Markdown's punctuation is escaped with a backslash and ``&``, ``<``, ``>`` as
    HTML entities, so ``<script>``, ``[x](javascript:...)`` and ``![](http://...)``
    are shown as typed, and ``|`` cannot split a table's cell.
    """
    one_line = " ".join(str(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)
    return escaped.replace("\\&", "&amp;").replace("\\<", "&lt;").replace("\\>", "&gt;")


def markdown_code(text: Any) -> str:
    """``text`` for a Markdown code span: on one line, no backtick to end the span early."""
    return " ".join(str(text).split()).replace("`", "'").replace("|", "\\|")


def html_png(alt: str, png: bytes) -> str:
    """An ``<img>`` holding ``png`` itself (a self-contained page), its text escaped."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'

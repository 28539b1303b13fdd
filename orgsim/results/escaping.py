"""Text from scenarios made inert in files people open elsewhere: CSV cells and Markdown.

A scenario's name, description or a level's label is the writer's text, and it reaches
``summary.csv``, ``main_effects.csv`` and ``report.md``. A spreadsheet runs a cell that
starts with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``, DDE's
``=cmd|' /C calc'!A0``), and a Markdown viewer renders ``<script>``, links and remote
images. The HTML pages escape with :func:`html.escape`; these do the same for the others.
"""

from __future__ import annotations

import re
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
    formula = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    return "'" + value if formula and not _NUMBER.fullmatch(value) else value


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

"""A streaming XES reader: one pass of expat's callbacks, no element tree built.

pm4py reads XES too, but it pins pandas below 3 (orgsim runs on pandas 3) and brings
cvxopt and PuLP along; the part of XES an event log needs (IEEE 1849-2016: ``log``,
``trace``, ``event`` and their typed attributes ``string``, ``date``, ``int``,
``float``, ``boolean``, ``id``) is read here in one bounded pass with the standard
library's expat, whose callbacks hand over each element's attributes as a dict: twice
as fast as ``ElementTree.iterparse`` on the helpdesk log, which builds and clears
elements. Nested attributes (lists, containers, meta-attributes) are skipped; globals
and classifiers are not needed to read values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from orgsim.calibrate.bounded import LogError
from orgsim.results.log_format import CASE, CASE_PREFIX

_VALUE_TAGS = frozenset({"string", "date", "int", "float", "boolean", "id"})


class _Reader:
    """expat's callbacks, keeping every event of every trace as a flat record."""

    def __init__(self, path: Path, max_events: int) -> None:
        self.path, self.max_events = path, max_events
        self.records: list[dict[str, Any]] = []
        self.depth = self.traces = 0
        self.trace: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.event: dict[str, Any] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        depth, name = self.depth, tag.rpartition(":")[2]
        if depth == 4 and self.event is not None and name in _VALUE_TAGS:
            key = attrs.get("key")
            if key is not None:
                self.event[key] = attrs.get("value")
        elif depth == 3 and name == "event":
            self.event = {"_trace": self.traces, "_row": len(self.records) + len(self.events) + 1}
        elif depth == 3 and name in _VALUE_TAGS and "key" in attrs:
            self.trace[attrs["key"]] = attrs.get("value")
        elif depth == 2 and name == "trace":
            self.traces += 1
            self.trace, self.events = {}, []
        elif name == "event":
            raise LogError(
                f"{self.path}: event {len(self.records) + len(self.events) + 1}: an <event> "
                "outside a <trace>; XES events belong to a trace (their case)"
            )
        elif depth == 1 and name != "log":
            raise LogError(
                f"{self.path}: XML but not XES: the root element is <{name}>, XES's is <log> "
                "(IEEE 1849)"
            )

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.depth == 2 and self.event is not None:
            self.events.append(self.event)
            self.event = None
            if len(self.records) + len(self.events) > self.max_events:
                raise LogError(
                    f"{self.path}: more than {self.max_events:,} events, the reader's bound "
                    "(--max-events raises it)"
                )
        elif self.depth == 1 and tag.rpartition(":")[2] == "trace":
            self._close_trace()

    def _close_trace(self) -> None:
        """Copy the trace's attributes onto its events (as ``case:...``) and keep them."""
        if "concept:name" not in self.trace:
            raise LogError(
                f"{self.path}: trace {self.traces}: no concept:name, the case's identifier; "
                'XES names each trace with <string key="concept:name" value="..."/>'
            )
        case = {
            CASE_PREFIX + key: value for key, value in self.trace.items() if key != "concept:name"
        }
        case[CASE] = self.trace["concept:name"]
        for event in self.events:
            event.update(case)
        self.records.extend(self.events)


def read_xes(stream: BinaryIO, path: Path, max_events: int) -> list[dict[str, Any]]:
    """Every event of an XES stream as a flat record, case attributes prefixed ``case:``.

    Each record carries ``_row`` (the event's place in the file, from 1) and ``_trace``
    (its trace's, from 1), so that an error can name the element at fault.

    Raises:
        LogError: not XML, XML whose root is not ``log``, an event outside a trace, a trace
            without a name, or more than ``max_events`` events.
    """
    reader = _Reader(path, max_events)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as error:
        raise LogError(
            f"{path}: line {error.lineno}, column {error.offset}: not well-formed XML "
            f"({expat.ErrorString(error.code)})"
        ) from None
    return reader.records

"""A streaming XES reader: one pass of ``iterparse``, each trace dropped once read.

pm4py reads XES too, but it pins pandas below 3 (orgsim runs on pandas 3) and brings
cvxopt and PuLP along; the part of XES an event log needs (IEEE 1849-2016: ``log``,
``trace``, ``event`` and their typed attributes ``string``, ``date``, ``int``,
``float``, ``boolean``, ``id``) is read here in one bounded pass with the standard
library. Nested attributes (lists, containers, meta-attributes) are skipped; globals and
classifiers are not needed to read values.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, BinaryIO

from orgsim.calibrate.bounded import LogError
from orgsim.results.log_format import CASE, CASE_PREFIX

_VALUE_TAGS = {"string", "date", "int", "float", "boolean", "id"}


def _local(tag: str) -> str:
    """The tag without its namespace: ``{http://www.xes-standard.org/}event`` -> ``event``."""
    return tag.rpartition("}")[2]


def read_xes(stream: BinaryIO, path: Path, max_events: int) -> list[dict[str, Any]]:
    """Every event of an XES stream as a flat record, case attributes prefixed ``case:``.

    Each record carries ``_row`` (the event's place in the file, from 1) and ``_trace``
    (its trace's, from 1), so that an error can name the element at fault.

    Raises:
        LogError: not XML, XML whose root is not ``log``, an event outside a trace, a trace
            without a name, or more than ``max_events`` events.
    """
    records: list[dict[str, Any]] = []
    trace_attrs: dict[str, Any] = {}
    trace_events: list[dict[str, Any]] = []
    depth, traces = 0, 0
    event: dict[str, Any] | None = None
    try:
        for action, element in ET.iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if action == "start":
                depth += 1
                if depth == 1 and name != "log":
                    raise LogError(
                        f"{path}: XML but not XES: the root element is <{name}>, XES's is <log> "
                        "(IEEE 1849)"
                    )
                if name == "trace" and depth == 2:
                    traces += 1
                    trace_attrs, trace_events = {}, []
                elif name == "event":
                    if depth != 3:
                        raise LogError(
                            f"{path}: event {len(records) + len(trace_events) + 1}: an <event> "
                            "outside a <trace>; XES events belong to a trace (their case)"
                        )
                    event = {"_trace": traces, "_row": len(records) + len(trace_events) + 1}
                continue
            depth -= 1
            if name in _VALUE_TAGS:
                key = element.get("key")
                if key is not None and depth == 3 and event is not None:
                    event[key] = element.get("value")
                elif key is not None and depth == 2:
                    trace_attrs[key] = element.get("value")
            elif name == "event" and event is not None:
                trace_events.append(event)
                event = None
                if len(records) + len(trace_events) > max_events:
                    raise LogError(
                        f"{path}: more than {max_events:,} events, the reader's bound "
                        "(--max-events raises it)"
                    )
                element.clear()
            elif name == "trace":
                _close_trace(trace_attrs, trace_events, records, traces, path)
                element.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise LogError(f"{path}: line {line}, column {column}: not well-formed XML") from None
    return records


def _close_trace(
    attrs: dict[str, Any],
    events: list[dict[str, Any]],
    records: list[dict[str, Any]],
    number: int,
    path: Path,
) -> None:
    """Copy the trace's attributes onto its events (as ``case:...``) and keep them."""
    if "concept:name" not in attrs:
        raise LogError(
            f"{path}: trace {number}: no concept:name, the case's identifier; XES names each "
            'trace with <string key="concept:name" value="..."/>'
        )
    case = {CASE_PREFIX + key: value for key, value in attrs.items() if key != "concept:name"}
    case[CASE] = attrs["concept:name"]
    for event in events:
        event.update(case)
    records.extend(events)

"""Event logs of many runs (``compare`` and ``sweep``): named, bounded, written as runs end.

Each run's log is written by the process that ran it, as soon as the run ends, whole
or not at all (a temporary file renamed), so a later fault loses no finished log, and
no log travels between processes. Before the first run the expected size is checked:
each log must stay within what ``orgsim calibrate`` reads back
(:data:`MAX_EVENTS_PER_LOG`), and all of them within :data:`MAX_LOG_EVENTS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orgsim.results.event_log import Calendar, to_event_log, write_event_log
from orgsim.scenario import workload
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.schema import Scenario

FORMATS = ("xes.gz", "csv.gz", "xes", "csv")
"""The suffixes a run's log may have; ``xes.gz`` is the default."""

EVENTS_PER_REQUEST = 6.0
"""Events a request makes, for the size estimate: 5 on the hierarchy (measured over a
million events), 4-5 on flatter structures; a margin above them."""

MAX_EVENTS_PER_LOG = 5_000_000
"""A log's bound: what ``orgsim calibrate`` reads by default (its ``MAX_EVENTS``)."""

MAX_LOG_EVENTS = 50_000_000
"""All logs of one command: about 500 MB as xes.gz (some 9 bytes an event)."""


@dataclass(frozen=True)
class RunLogs:
    """Where and how the runs' event logs are written.

    Attributes:
        folder: the folder of the logs.
        format: their suffix, one of :data:`FORMATS`.
    """

    folder: Path
    format: str = "xes.gz"

    def path(self, name: str, seed: int) -> Path:
        """The log of scenario ``name``'s run with ``seed``: ``NAME_seedSEED.FORMAT``."""
        return self.folder / f"{file_stem(name)}_seed{seed}.{self.format}"

    def write(
        self, events: pd.DataFrame, scenario: Scenario, seed: int, name: str | None = None
    ) -> dict[str, object]:
        """Write a traced run's log; its file name and case count, for the run's record.

        ``name`` replaces the scenario's in the file's name. A log that cannot be written
        is reported in the record (``event_log_error``), not raised: the run's figures
        are kept all the same.
        """
        target = self.path(name or scenario.name, seed)
        calendar = Calendar(hours_per_day=scenario.run.hours_per_day)
        try:
            write_event_log(to_event_log(events, calendar), target)
        except OSError as error:
            return {"event_log_error": f"{target}: {error.strerror or error}"}
        return {"event_log": target.name, "event_log_cases": int(events["request"].nunique())}


def file_stem(name: str) -> str:
    """``name`` as a file name's stem: letters, digits, ``.``, ``-`` and ``_`` only."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "scenario"


def expected_events(scenario: Scenario) -> float:
    """Events a run's log is expected to hold: its expected requests x 6."""
    return workload.expected_requests(scenario) * EVENTS_PER_REQUEST


def check_sizes(runs: Iterable[tuple[Scenario, int]], option: str) -> float:
    """Refuse, before any run, logs larger than the bounds; the expected events in all.

    Args:
        runs: each scenario with how many of its runs write a log.
        option: the option asking for logs, for messages.

    Raises:
        ScenarioError: one log over :data:`MAX_EVENTS_PER_LOG`, or all over
            :data:`MAX_LOG_EVENTS`.
    """
    total = 0.0
    for scenario, count in runs:
        one = expected_events(scenario)
        if one > MAX_EVENTS_PER_LOG:
            raise ScenarioError(
                f"{option}: a run of {scenario.name} would log about {one:,.0f} events, more "
                f"than the {MAX_EVENTS_PER_LOG:,} orgsim calibrate reads; shorten run.days"
            )
        total += one * count
    if total > MAX_LOG_EVENTS:
        raise ScenarioError(
            f"{option}: the logs would hold about {total:,.0f} events in all, more than "
            f"{MAX_LOG_EVENTS:,} (some {MAX_LOG_EVENTS * 9 / 1e6:,.0f} MB); fewer "
            "replications or shorter runs"
        )
    return total


def check_format(text: str, option: str) -> str:
    """``text`` if it is one of :data:`FORMATS`.

    Raises:
        ScenarioError: any other.
    """
    if text not in FORMATS:
        raise ScenarioError(f"{option} {text!r}: allowed: {', '.join(FORMATS)}")
    return text

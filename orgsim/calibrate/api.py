"""``calibrate``: from an event log to a scenario file, its sidecar and a report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from orgsim.calibrate.cases import Cases, build_cases
from orgsim.calibrate.estimate import Calibration, calibrate_cases
from orgsim.calibrate.grouping import groups_by_activity
from orgsim.calibrate.reading import EventLog, read_log
from orgsim.calibrate.split import Split, split_cases
from orgsim.calibrate.writing import scenario_yaml, write_calibration
from orgsim.scenario.loading import load_scenario


@dataclass(frozen=True)
class LogOptions:
    """How to read a log and which of its activities mean what; kept in the sidecar."""

    columns: Mapping[str, str] | None = None
    keep_names: bool = False
    sort_events: bool = False
    kind_attribute: str | None = None
    escalations: tuple[str, ...] | None = None
    answer: str | None = None
    close: str | None = None
    group_similarity: float | None = None

    def read(self, path: Path, **bounds: int) -> tuple[EventLog, Cases]:
        """Read the log at ``path`` and build its cases."""
        log = read_log(
            path, self.columns, keep_names=self.keep_names, sort_events=self.sort_events, **bounds
        )
        if self.group_similarity is not None and (log.events["group"] == "").all():
            groups = groups_by_activity(log.events, self.group_similarity)
            log.events["group"] = log.events["resource"].map(groups).fillna("")
            log.notes.append(
                f"no org:group: {groups.nunique()} group(s) of resources formed by activity "
                f"profile (correlation >= {self.group_similarity:g}; Song & van der Aalst 2008)"
            )
        cases = build_cases(log, self.kind_attribute, self.escalations, self.answer, self.close)
        return log, cases

    def as_dict(self) -> dict[str, Any]:
        """For the sidecar."""
        return {
            "columns": dict(self.columns or {}),
            "keep_names": self.keep_names,
            "sort_events": self.sort_events,
            "kind_attribute": self.kind_attribute,
            "escalations": list(self.escalations) if self.escalations is not None else None,
            "answer": self.answer,
            "close": self.close,
            "group_similarity": self.group_similarity,
        }


@dataclass(frozen=True)
class Calibrated:
    """What ``calibrate`` made: the estimates, the cases, the split, the notes."""

    calibration: Calibration
    cases: Cases
    split: Split
    notes: list[str]
    facts: dict[str, Any]


def calibrate(
    log_path: str | Path,
    out: str | Path,
    options: LogOptions = LogOptions(),
    train_until: datetime | None = None,
    train_share: float = 0.7,
    recent_days: float | None = None,
    **bounds: int,
) -> Calibrated:
    """Calibrate a scenario on the training period of a log and write it to ``out``.

    Nothing is written unless the log is read, split and estimated without fault and
    the scenario passes the scenario checks.

    Raises:
        LogError: a log that cannot be used, or a split that leaves a period empty.
    """
    log_path, out = Path(log_path), Path(out)
    log, cases = options.read(log_path, **bounds)
    split = split_cases(
        cases.table["start"], log.events["time"], log_path, train_until, train_share
    )
    calibration = calibrate_cases(cases, split.train, out.stem, recent_days)
    load_scenario(calibration.scenario)  # a scenario orgsim cannot run is a bug here
    calendar = cases.calendar
    facts = {
        "log": str(log_path),
        "options": options.as_dict(),
        "calendar": {
            "start": calendar.start.isoformat(),
            "hours_per_day": calendar.hours_per_day,
            "day_start_h": calendar.day_start_h,
            "weekmask": calendar.weekmask,
        },
        "train_cases": len(split.train),
        "validation_cases": len(split.validation),
        "cutoff": split.cutoff.isoformat(),
        "recent_days": recent_days,
        "warnings": calibration.warnings,
        "end": split.end.isoformat(),
        "notes": log.notes,
    }
    header = (
        f"Calibrated by `orgsim calibrate` from {log_path.name}: {len(split.train):,} cases "
        f"starting before {split.cutoff}.\nMeasured: demand, work, waits, closing, "
        "escalation shares, teams, intake (dispatch, transfer and closing: who does a "
        "case's\nfirst and last events). Defaulted (the log cannot tell): decision quality, "
        "mandates\n(a notional unit), trust, satisfaction and churn, money. See the "
        f"calibration report and {out.stem}.calibration.json."
    )
    write_calibration(out, scenario_yaml(calibration.scenario, header), facts)
    return Calibrated(calibration, cases, split, log.notes, facts)

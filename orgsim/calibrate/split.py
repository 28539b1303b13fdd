"""Splitting a log by case start: a training period to calibrate, a later one to validate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from orgsim.calibrate.bounded import LogError


@dataclass(frozen=True)
class Split:
    """Cases starting before ``cutoff`` train; the others, to the log's end, validate."""

    train: pd.Index
    validation: pd.Index
    cutoff: pd.Timestamp
    end: pd.Timestamp


def split_cases(
    starts: pd.Series,
    ends: pd.Series,
    path: Path,
    train_until: datetime | None = None,
    train_share: float = 0.7,
) -> Split:
    """Split cases by their start: before ``train_until``, or the first ``train_share``.

    Raises:
        LogError: a share outside (0, 1), or a date leaving either period without cases.
    """
    if train_until is not None:
        cutoff = pd.Timestamp(train_until)
        if starts.dt.tz is not None and cutoff.tzinfo is None:
            cutoff = cutoff.tz_localize("UTC")
        elif starts.dt.tz is None and cutoff.tzinfo is not None:
            cutoff = cutoff.tz_convert("UTC").tz_localize(None)
    else:
        if not 0 < train_share < 1:
            raise LogError(f"--train-share {train_share:g}: allowed: above 0 and below 1")
        ordered = starts.sort_values(kind="stable")
        cutoff = ordered.iloc[min(int(len(ordered) * train_share), len(ordered) - 1)]
    train = starts.index[starts < cutoff]
    validation = starts.index[starts >= cutoff]
    if len(train) == 0 or len(validation) == 0:
        empty = "training" if len(train) == 0 else "validation"
        raise LogError(
            f"{path}: splitting at {cutoff} leaves no case in the {empty} period; cases start "
            f"from {starts.min()} to {starts.max()}: choose --train-until between them"
        )
    return Split(train, validation, cutoff, ends.max())

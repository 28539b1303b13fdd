"""Rewrite tests/regression_figures.json: ``python tests/regen_regression_figures.py``.

The file holds, for every shipped scenario (``scenarios/**/*.yaml`` but the ``base/``
fragments) and for ``tests/data/all_mechanisms.yaml`` (every mechanism group on), the
SHA-256 of a short run's outputs with seed 1: the ``--json`` summary, the per-request
log, the stations' and time series' tables (``--out``), and the event log (trace on).
tests/test_regression_figures.py holds every run to them byte for byte, so that a
faster engine (issue 23) provably changes nothing.

Run it only when the model changes on purpose (a new draw, a new figure), and say why
in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

from orgsim import simulate
from orgsim.scenario.errors import CapacityWarning

ROOT = Path(__file__).resolve().parent.parent
FIGURES = Path(__file__).parent / "regression_figures.json"
ALL_MECHANISMS = Path(__file__).parent / "data" / "all_mechanisms.yaml"
SHORT = {"run.days": 12, "run.warmup_days": 2, "run.sample_every_days": 1}
"""A short horizon: every mechanism has its first events, the test stays fast."""


def scenario_files() -> list[Path]:
    """Every runnable scenario shipped in ``scenarios/``, then the all-mechanisms one."""
    shipped = [p for p in (ROOT / "scenarios").rglob("*.yaml") if "base" not in p.parts]
    return [*sorted(shipped), ALL_MECHANISMS]


def digests(path: Path) -> dict[str, str]:
    """SHA-256 of one scenario's summary, logs and tables (seed 1, short run)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CapacityWarning)
        plain = simulate(path, seed=1, overrides=SHORT)
        traced = simulate(path, seed=1, overrides=SHORT, trace=True)
    return {
        "summary": _sha(plain.summary_json()),
        "requests": _sha(plain.requests.to_csv(index=False)),
        "stations": _sha(plain.stations.to_csv(index=False)),
        "timeseries": _sha(plain.timeseries.to_csv()),
        "traced_summary": _sha(traced.summary_json()),
        "events": _sha(traced.events.to_csv(index=False)),
    }


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def key(path: Path) -> str:
    """A scenario's name in the file: its path from the repository's root."""
    return path.relative_to(ROOT).as_posix()


if __name__ == "__main__":
    figures = {key(path): digests(path) for path in scenario_files()}
    temporary = FIGURES.with_suffix(".tmp")
    temporary.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
    temporary.replace(FIGURES)
    print(f"wrote {FIGURES} ({len(figures)} scenarios)")

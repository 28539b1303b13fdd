"""What a store holds against its design: stored, failed, missing, and what a design adds.

Told by ``orgsim sweep --status DIR`` and at the top of ``orgsim analyze``'s page, so
that an incomplete design is never analysed without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orgsim.sweep.store import Store

EXAMPLES = 3
"""Missing runs named in a message."""


@dataclass(frozen=True)
class Completeness:
    """A store's runs against its design.

    Attributes:
        expected: runs in the design.
        stored: runs of the design stored (failed ones included).
        failed: stored runs that ended in an error.
        missing: per base, the (point, replication) pairs not stored.
    """

    expected: int
    stored: int
    failed: int
    missing: dict[str, list[tuple[int, int]]]

    @property
    def complete(self) -> bool:
        """Whether every run of the design is stored."""
        return not any(self.missing.values())

    def describe(self) -> str:
        """One line: counts, and the missing runs per base with a few examples."""
        text = f"{self.stored} of {self.expected} runs stored, {self.failed} failed"
        if self.complete:
            return text + "; the design is complete"
        lost = [f"{base} {len(pairs)}" for base, pairs in self.missing.items() if pairs]
        first = next((base, pairs[:EXAMPLES]) for base, pairs in self.missing.items() if pairs)
        examples = ", ".join(f"point {p} replication {r}" for p, r in first[1])
        return (
            f"{text}; {self.expected - self.stored} missing ({', '.join(lost)}; e.g. "
            f"{first[0]} {examples})"
        )


def completeness(store: Store) -> Completeness:
    """How complete the store's design is."""
    experiment, layout = store.experiment(), store.layout()
    runs = store.query("select base, point, replication, error from runs")
    stored = set(zip(runs["base"], runs["point"], runs["replication"], strict=True))
    missing = {
        base: [
            (point, r)
            for point in range(points)
            for r in range(experiment.replications)
            if (base, point, r) not in stored
        ]
        for base, points in layout.items()
    }
    expected = sum(layout.values()) * experiment.replications
    return Completeness(expected, len(runs), int(runs["error"].notna().sum()), missing)


def growth(store: Store, source: str | Path) -> str:
    """What the design in ``source`` would add to the store, in words.

    Raises:
        ScenarioError: the file's design is unusable.
    """
    from orgsim.sweep.design import load_experiment
    from orgsim.sweep.growth import design_id
    from orgsim.sweep.points import plan

    experiment = load_experiment(source)
    if design_id(experiment) != design_id(store.experiment()):
        return f"{source} is another design: it cannot resume into this store"
    keys = store.keys()
    tasks = plan(experiment, source)
    new = sum(task.key not in keys for task in tasks)
    return f"{source} would add {new} runs ({len(tasks)} in its design)"

"""Designs that grow: more replications, or a Sobol design's N doubled, into the same store.

Replication ``r``'s seed does not depend on how many replications there are
(:mod:`orgsim.sweep.seeds`), and a scrambled Sobol sequence of 2N points begins with
the sequence of N, so Saltelli's design of 2N begins with the design of N (point
``i`` unchanged). Such a grown design keeps every stored run's key, and a resumed
sweep makes only the new runs. Both designs share a *design id*: the experiment's
digest without its replications and Sobol N. A Latin hypercube or Morris design
cannot grow this way (more samples move every point), so their size is in the id.
"""

from __future__ import annotations

import hashlib
import json

from orgsim.sweep.design import Experiment, Sobol


def design_id(experiment: Experiment) -> str:
    """The digest shared by an experiment and its grown versions."""
    raw = experiment.model_dump(mode="json", by_alias=True)
    raw.pop("replications")
    if isinstance(experiment.sampler, Sobol):
        raw["sampler"].pop("samples")
    canonical = json.dumps(raw, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def shrinks(stored: Experiment, new: Experiment) -> str | None:
    """What ``new`` drops of the ``stored`` design of the same id, or None if it keeps all."""
    if new.replications < stored.replications:
        return f"replications {stored.replications} -> {new.replications}"
    old_n, new_n = _sobol_n(stored), _sobol_n(new)
    if new_n < old_n:
        return f"sobol samples {old_n} -> {new_n}"
    return None


def _sobol_n(experiment: Experiment) -> int:
    return experiment.sampler.samples if isinstance(experiment.sampler, Sobol) else 0

"""Every run's seed, derived from the experiment's master seed.

Replication ``r`` of every design point and every base shares one seed, so all
points face the same customers and requests in it (common random numbers): a
difference between two points is then their parameters', not luck's. The seeds
come from numpy's ``SeedSequence`` spawned from the master seed, so they are
independent streams and do not depend on how many points the design has.
"""

from __future__ import annotations

import numpy as np


def replication_seeds(master_seed: int, replications: int) -> list[int]:
    """The seed of each replication, ``replications`` of them, from ``master_seed``."""
    children = np.random.SeedSequence(master_seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]

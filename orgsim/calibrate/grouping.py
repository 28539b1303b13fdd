"""Resource groups from activity profiles, for a log without ``org:group``.

Song & van der Aalst (2008), "Towards comprehensive support for organizational mining",
as Simod's role discovery does it: each resource's profile is how often it performs
each activity; two resources are alike when the Pearson correlation of their profiles
reaches a threshold; a group is a connected component of the "alike" graph (so a group
may chain resources that are alike two by two). Groups are numbered by size, the largest
first: ``group 1``, ``group 2``, ...
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

SIMILARITY = 0.7
"""Correlation at which two resources' profiles are alike (Simod's default range: 0.5-0.9)."""


def groups_by_activity(events: pd.DataFrame, similarity: float = SIMILARITY) -> pd.Series:
    """Each named resource's group, from the correlation of activity profiles.

    Args:
        events: ``resource`` and ``activity`` of every event (``""``: no resource).
        similarity: correlation from which two resources are in one group, in [-1, 1].

    Returns:
        Group name by resource.
    """
    named = events[events["resource"] != ""]
    profiles = pd.crosstab(named["resource"], named["activity"])
    if len(profiles) < 2:
        return pd.Series("group 1", index=profiles.index)
    counts = profiles.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        alike = np.nan_to_num(np.corrcoef(counts), nan=0.0) >= similarity
    np.fill_diagonal(alike, True)  # a resource doing one activity only has no variance
    _, labels = connected_components(csr_matrix(alike), directed=False)
    sizes = np.bincount(labels)
    rank = np.empty_like(sizes)
    rank[np.argsort(-sizes, kind="stable")] = np.arange(len(sizes))
    return pd.Series([f"group {r + 1}" for r in rank[labels]], index=profiles.index)

"""Use: batch parameter sweeps: an experiment designed, executed and stored apart.

``design`` reads an experiment file and samples its points (EMA Workbench's
parameters and samplers as data), ``points`` turns them into validated scenarios,
``execute`` runs them on any ``concurrent.futures.Executor``, ``store`` keeps each
finished group as a Parquet part file, and ``analyze`` reads the store back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgsim.sweep.store import Store


def run(path: str | Path, out: str | Path, **options: Any) -> Store:
    """Run the experiment in ``path`` into the store ``out`` and return the store.

    For notebooks: ``store = orgsim.sweep.run("experiments/x.yaml", "results/x")``, then
    ``store.runs()``, ``store.contrasts()``, ``store.sobol()``. ``options`` are
    :func:`orgsim.sweep.runner.run_sweep`'s (``workers``, ``resume``, ...).
    """
    from orgsim.sweep.runner import run_sweep
    from orgsim.sweep.store import Store

    run_sweep(path, out, **options)
    return Store(out)

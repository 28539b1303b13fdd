"""Use: scenarios compared over replications with common random numbers, and reported.

``orgsim.compare`` is this subpackage and, called, the comparison itself::

    import orgsim

    result = orgsim.compare(["scenarios/hierarchy.yaml", "scenarios/self_managing.yaml"])
    orgsim.compare.write_report(result, "results/comparison")

Why a callable module: importing any ``orgsim.compare.*`` module makes Python set
the attribute ``orgsim.compare`` to this package, so a *function* of that name in
``orgsim/__init__.py`` would be replaced by the package as soon as anything imported
a module below it, and ``orgsim.compare(...)`` would then fail depending on import
order. A module whose class has ``__call__`` (module ``__class__`` assignment,
Python reference 3.3.2.1) stays the one object behind the name, whatever the order.
The call and the names below import their modules on first use, so importing the
package stays cheap.

Modules: :mod:`~orgsim.compare.api` (compare, write_report), ``workers`` (runs,
pooled), ``extract`` (a run's compact record), ``store`` (the folder and its
runs.jsonl), ``comparison`` (the runs as tables), ``analysis`` (intervals, paired
differences), ``verdict``, ``measures``, ``figures``, ``settings``, ``table``
(terminal), ``report``, ``report_html``, ``report_md``.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_WHERE = {
    "compare": "orgsim.compare.api",
    "write_report": "orgsim.compare.api",
    "DEFAULT_REPLICATIONS": "orgsim.compare.defaults",
    "Comparison": "orgsim.compare.comparison",
}


class _CallableModule(types.ModuleType):
    """This package, callable as :func:`orgsim.compare.api.compare`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from orgsim.compare.api import compare

        return compare(*args, **kwargs)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'orgsim.compare' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)


sys.modules[__name__].__class__ = _CallableModule

"""Serving the page: Solara's Starlette app under uvicorn, offline and quiet.

Solara reads its settings from the environment when it is first imported, so they are
set here before anything of Solara is: the app module, no telemetry (there may be no
internet, and a trainer's room owes nobody a ping), production mode (no stack traces
in the page), front-end assets from the ``solara-assets`` package rather than a CDN,
and kernels of closed tabs culled after a minute so that their runs stop.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

APP = "orgsim.ui.app"
ENVIRONMENT = {
    "SOLARA_APP": APP,
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",  # serve /_solara/cdn from solara-assets' files
    "SOLARA_KERNEL_CULL_TIMEOUT": "60s",
    "SOLARA_CHECK_HOOKS": "off",
    "SOLARA_THEME_SHOW_BANNER": "False",  # "runs on Solara" covered a corner of a chart
}


SAMESITE_WARNING = r"Cookies with samesite=none require https"
"""The start of the 12-line warning ``solara.server.starlette`` gives for every page
served over plain http to a host other than ``localhost`` (127.0.0.1 included): it
cannot mark its session cookie ``SameSite=None; Secure`` and falls back to ``Lax``. That
matters only for a page embedded in an iframe of another site; the UI is opened on its
own, where ``Lax`` is the right cookie, so the warning says nothing a trainer can act on.
Solara has no setting for it (it asks for https or an ``x-forwarded-proto`` header from
a proxy), so this one warning, from that module only, is filtered."""


def quiet_cookie_warning() -> None:
    """Filter Solara's same-site cookie warning (:data:`SAMESITE_WARNING`), nothing else."""
    warnings.filterwarnings(
        "ignore", message=SAMESITE_WARNING, category=UserWarning, module="solara.server.starlette"
    )


def serve(host: str, port: int, scenarios: Path, present: bool = False) -> None:
    """Serve the UI on ``host:port`` until interrupted; scenarios are picked from ``scenarios``.

    ``present``: pages open in presentation mode (:data:`orgsim.ui.app.PRESENT`).
    """
    os.environ.update(ENVIRONMENT)
    os.environ["ORGSIM_UI_SCENARIOS"] = str(scenarios.resolve())
    os.environ["ORGSIM_UI_PRESENT"] = "1" if present else "0"
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    quiet_cookie_warning()
    import uvicorn

    print(f"orgsim ui: open http://{host}:{port}/ in a browser (Ctrl+C stops it)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")

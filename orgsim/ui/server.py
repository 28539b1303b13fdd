"""Serving the page: Solara's Starlette app under uvicorn, offline and quiet.

Solara reads its settings from the environment when it is first imported, so they are
set here before anything of Solara is: the app module, no telemetry (there may be no
internet, and a trainer's room owes nobody a ping), production mode (no stack traces
in the page), front-end assets from the ``solara-assets`` package rather than a CDN,
and kernels of closed tabs culled after a minute so that their runs stop.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "orgsim.ui.app"
ENVIRONMENT = {
    "SOLARA_APP": APP,
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",  # serve /_solara/cdn from solara-assets' files
    "SOLARA_KERNEL_CULL_TIMEOUT": "60s",
    "SOLARA_CHECK_HOOKS": "off",
}


def serve(host: str, port: int, scenarios: Path, present: bool = False) -> None:
    """Serve the UI on ``host:port`` until interrupted; scenarios are picked from ``scenarios``.

    ``present``: pages open in presentation mode (:data:`orgsim.ui.app.PRESENT`).
    """
    os.environ.update(ENVIRONMENT)
    os.environ["ORGSIM_UI_SCENARIOS"] = str(scenarios.resolve())
    os.environ["ORGSIM_UI_PRESENT"] = "1" if present else "0"
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    import uvicorn

    print(f"orgsim ui: open http://{host}:{port}/ in a browser (Ctrl+C stops it)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")

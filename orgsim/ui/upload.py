"""The upload button: a file chosen in the browser, refused there if it is too large.

ipywidgets' ``FileUpload`` sends any file whole, as one websocket message: 30 MB exceed
the server's message limit, the page's link closes, and every later upload does nothing.
This button checks the size in the browser first and sends only files within the
limit (base64 in one event), so the server tells the trainer why a file was refused.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

import solara

from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.explain import printable


@solara.component_vue("upload.vue")
def ScenarioUpload(
    limit: int,
    chart_limit: int,
    event_loaded: Callable[[dict[str, Any]], None],
    event_refused: Callable[[dict[str, Any]], None],
) -> None:
    """A button that sends a chosen file to ``event_loaded``, if not too large.

    A scenario file may have ``limit`` bytes, an org chart (``.csv``, ``.xlsx``)
    ``chart_limit``.
    """


def received(data: Any, limit: int) -> tuple[str, bytes]:
    """The name and bytes of a file the button sent.

    Raises:
        ScenarioError: the message is not a file of at most ``limit`` bytes (a page
            altered in the browser could send anything).
    """
    if not isinstance(data, dict) or not isinstance(data.get("content"), str):
        raise ScenarioError("upload: not a file")
    name = str(data.get("name", ""))
    if len(data["content"]) > 4 * (limit // 3 + 1):
        raise ScenarioError(too_large({"name": name, "size": limit + 1}, limit))
    try:
        return name, base64.b64decode(data["content"], validate=True)
    except (binascii.Error, ValueError):
        raise ScenarioError(f"{printable(name, 60)}: the upload arrived broken") from None


def too_large(file: Any, limit: int, what: str = "a scenario file is a few kilobytes") -> str:
    """Why the browser did not send ``file`` (``{"name", "size"}``; size -1: unreadable)."""
    info = file if isinstance(file, dict) else {}
    name = printable(str(info.get("name", "the file")), 60)
    size = info.get("size")
    if not isinstance(size, int) or size < 0:
        return f"{name}: the browser could not read it"
    return f"{name}: {size:,} bytes, larger than {limit:,}; {what}, so it was not loaded"

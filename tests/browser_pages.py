"""A written HTML page opened in Debian's chromium (Playwright; never `playwright install`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
playwright = pytest.importorskip("playwright.sync_api")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs .ci/install-browser")


@contextmanager
def opened(path: Path, width: int = 1280, height: int = 900) -> Iterator[tuple[object, list[str]]]:
    """The page at ``path``, loaded, and every URL it asked for (to check it stays offline)."""
    requests: list[str] = []
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        try:
            yield page, requests
        finally:
            browser.close()

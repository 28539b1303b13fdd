"""Driving ``orgsim ui`` from a real browser, for its tests and its frames-per-second benchmark.

The server is started as a user starts it (the ``orgsim`` command, a free port), and the
browser is Debian's chromium (``.ci/install-browser``), launched by Playwright without
any download. Playwright is a development dependency: it is imported only here, inside
the functions that need it.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
VIEWPORT = {"width": 1500, "height": 1000}
CLOCK = re.compile(r"day (\d+), (\d+):(\d\d) h")

COUNT_FRAMES_JS = """() => {
  window.__orgsimFrames = new Set();
  const note = () => document.querySelectorAll('.orgsim-orgchart svg').forEach(
      svg => window.__orgsimFrames.add(svg.dataset.frame));
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true,
                                                     attributes: true});
}"""
"""Counts the distinct org-chart frames the browser has actually drawn."""


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served(
    scenarios: Path | None = None, timeout_s: float = 60, options: tuple[str, ...] = ()
) -> Iterator[tuple[str, Any]]:
    """Run ``orgsim ui`` (with ``options``) on a free port; yield its address and process."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("orgsim")), "ui", "--port", str(port), *options]
    if scenarios is not None:
        command += ["--scenarios", str(scenarios)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, process, timeout_s)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(url: str, process: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"orgsim ui ended with {process.returncode}:\n{output}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"orgsim ui did not answer on {url} within {timeout_s} s")


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium under Playwright (never ``playwright install``)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no {CHROMIUM}: install it with .ci/install-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, url: str) -> Any:
    """A new tab on the UI, once the side-by-side view has been drawn."""
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(url)
    page.wait_for_selector(".orgsim-side-right .orgsim-orgchart svg", timeout=60_000)
    return page


def choose(page: Any, side: str, name: str) -> None:
    """Pick scenario ``name`` in the ``side`` organisation's dropdown."""
    page.click(f".orgsim-choose-{side}")
    items = page.locator(".v-menu__content.menuable__content__active .v-list-item")
    # the whole name: self_managing.yaml is not low_trust_self_managing.yaml
    items.filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")).first.click()


def pick_speed(page: Any, label: str) -> None:
    """Choose the simulated time per frame (``"4 hours"``)."""
    page.click(".orgsim-speed")
    page.locator(".v-menu__content.menuable__content__active .v-list-item").filter(
        has_text=label
    ).first.click()


def clock_h(page: Any, hours_per_day: float = 8) -> float:
    """The page's simulated clock, in working hours since the start."""
    match = CLOCK.search(page.inner_text(".orgsim-clock"))
    if match is None:
        raise ValueError(f"no clock on the page: {page.inner_text('.orgsim-clock')!r}")
    day, hours, minutes = match.groups()
    return (int(day) - 1) * hours_per_day + int(hours) + int(minutes) / 60


def frames_per_second(page: Any, seconds: float) -> float:
    """Distinct org-chart frames the browser drew per second while playing."""
    page.evaluate(COUNT_FRAMES_JS)
    page.wait_for_timeout(seconds * 1000)
    drawn = page.evaluate("() => window.__orgsimFrames.size")
    return drawn / seconds  # both org charts of a frame carry its number: counted once

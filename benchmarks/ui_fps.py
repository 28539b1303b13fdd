"""Benchmark 6: frames per second of ``orgsim ui`` as the browser draws them.

Starts ``orgsim ui`` as a user would, opens it in Debian's chromium (headless, through
Playwright), presses play and counts the distinct frames the browser actually drew
(each org chart carries its frame number) during ``--seconds``. Two cases: the two
default scenarios side by side, and both sides grown to 500 employees (50 teams of
10, with their managers and 1,250 customers each). Target: at least 5 frames a
second in both; the page draws at most 10 (``orgsim.ui.app.FRAME_S``).

Run ``python benchmarks/ui_fps.py``; it needs /usr/bin/chromium (``.ci/install-browser``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from common import SCENARIOS, make_parser, print_table, target

from orgsim.ui import browser

TARGET_FPS = 5.0
BIG = "structure:\n  teams:\n    count: 50\n    size: 10\n"


def scenario_folder(into: Path) -> Path:
    """The shipped scenarios, and both defaults grown to 500 employees."""
    shutil.copytree(SCENARIOS, into, dirs_exist_ok=True)
    for stem in ("hierarchy", "self_managing"):
        (into / f"big_{stem}.yaml").write_text(f"extends: {stem}.yaml\nname: big_{stem}\n{BIG}")
    return into


def measure(page: object, seconds: float, speed: str) -> tuple[float, float]:
    """Frames per second drawn while playing, and simulated hours per wall-clock second."""
    browser.pick_speed(page, speed)
    start_h = browser.clock_h(page)
    page.click(".orgsim-play")
    fps = browser.frames_per_second(page, seconds)
    page.click(".orgsim-play")
    page.wait_for_timeout(300)
    return fps, (browser.clock_h(page) - start_h) / seconds


def main(argv: list[str] | None = None) -> None:
    parser = make_parser(__doc__.splitlines()[0], repeats=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring time per case")
    parser.add_argument("--speed", default="1 hour", help="simulated time per frame")
    args = parser.parse_args(argv)
    seconds = 1.0 if args.tiny else args.seconds
    rows, results = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = scenario_folder(Path(tmp) / "scenarios")
        with browser.served(folder) as (url, _), browser.chromium() as chromium:
            page = browser.open_page(chromium, url)
            cases = [("defaults (hierarchy | self_managing)", None)]
            cases += [("500 employees a side", ("big_hierarchy.yaml", "big_self_managing.yaml"))]
            for label, chosen in cases:
                if chosen is not None:
                    browser.choose(page, "left", chosen[0])
                    browser.choose(page, "right", chosen[1])
                    page.wait_for_function(
                        "() => document.querySelector('.orgsim-headline')"
                        ".innerText.startsWith('big_')"
                    )
                fps, speed_h = measure(page, seconds, args.speed)
                rows.append([label, f"{fps:.1f}", f"{speed_h:.1f}"])
                results.append((label, fps))
    print(f"orgsim ui in chromium, {args.speed} per frame, {seconds:g} s per case")
    print_table(["case", "frames/s", "simulated h/s"], rows)
    for label, fps in results:
        target(f"frames per second, {label}", fps, fps >= TARGET_FPS, f">= {TARGET_FPS:g}")


if __name__ == "__main__":
    main()

"""Benchmark 6: frames per second of ``orgsim ui`` as the browser draws them.

Starts ``orgsim ui`` as a user would, opens it in Debian's chromium (headless, through
Playwright), presses play and counts the distinct frames the browser actually drew
(each org chart carries its frame number) during ``--seconds``. Two cases: the two
default scenarios side by side, and both sides grown to 500 employees (50 teams of
10, with their managers and 1,250 customers each). Target: at least 5 frames a
second in both. The page draws at most 10 a second (``orgsim.ui.app.FRAME_S``).

Run ``python benchmarks/ui_fps.py``; it needs /usr/bin/chromium (``.ci/install-browser``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from common import SCENARIOS, make_parser, print_table, target

from orgsim.ui import browser

TARGET_FPS = 5.0
LONG = "run: {days: 5000}\n"  # no case reaches the end of its run, even uncapped
BIG = "structure: {teams: {count: 50, size: 10}}\n"
CASES = {
    "defaults (hierarchy | self_managing)": ("", ""),
    "500 employees a side": ("big_", BIG),
}


def scenario_folder(into: Path) -> Path:
    """The shipped scenarios, and for each case both defaults (grown to 500) run long."""
    shutil.copytree(SCENARIOS, into, dirs_exist_ok=True)
    for prefix, change in CASES.values():
        for stem in ("hierarchy", "self_managing"):
            name = f"{prefix}long_{stem}"
            text = f"extends: {stem}.yaml\nname: {name}\n{LONG}{change}"
            (into / f"{name}.yaml").write_text(text)
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
            for label, (prefix, _) in CASES.items():
                browser.choose(page, "left", f"{prefix}long_hierarchy.yaml")
                browser.choose(page, "right", f"{prefix}long_self_managing.yaml")
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.orgsim-headline')].map(e => e.innerText)"
                    f".join().split('{prefix}long_').length == 3"
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

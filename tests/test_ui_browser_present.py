"""A user's own organisation in the browser, shown to a room (issue 21, section 4).

One ``orgsim ui --present`` server and one tab for the module, at a projector's
1280x720: the 611-person example chart is uploaded, put beside a redesign of itself
(a layer taken out), and shown in presentation mode.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_ui_browser import notice, upload

from orgsim.ui import browser

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parent.parent / "scenarios" / "examples"
SHOTS = os.environ.get("ORGSIM_SCREENSHOTS")
"""A folder to keep the screenshot in, for a person to look at (unset: the test's tmp only)."""
PROJECTOR = {"width": 1280, "height": 720}
READABLE_PX = 14

LABEL_SIZES_JS = """() => [...document.querySelectorAll('.orgsim-orgchart svg text')]
  .filter(t => t.getBoundingClientRect().width > 0)
  .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
"""Each org-chart label's type size on the screen, in CSS pixels (its font size in the
SVG's units times the SVG's scale)."""

BOXES_JS = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {x: r.x, y: r.y, width: r.width, height: r.height}; };
  return [[...document.querySelectorAll('.orgsim-charts svg')].map(box),
          box(document.querySelector('.orgsim-side-right .orgsim-orgchart svg'))];
}"""
"""Where the live charts and the right org chart are, read at one instant (a frame
replaces them)."""


@pytest.fixture(scope="module")
def page():
    with browser.served(options=("--present",)) as (url, _), browser.chromium() as chromium:
        tab = chromium.new_page(viewport=PROJECTOR)
        tab.goto(url)
        tab.wait_for_selector(".orgsim-side-right .orgsim-orgchart svg", timeout=60_000)
        yield tab
        tab.close()


def presenting(page) -> bool:
    return page.locator(".orgsim-present").count() == 1


def test_the_page_opens_presenting_with_the_sidebar_folded(page):
    assert presenting(page)
    expect(page.locator(".orgsim-controls-left")).to_have_count(0)
    page.click(".orgsim-present-switch")
    expect(page.locator(".orgsim-controls-left")).to_be_visible()
    assert not presenting(page)


def test_an_uploaded_chart_is_imported_and_a_bad_one_refused_with_its_line(page, tmp_path):
    if presenting(page):
        page.click(".orgsim-present-switch")
    bad = tmp_path / "bad_chart.csv"
    bad.write_text("id,manager_id\nboss,\nann,boss\nbob,nobody\n")
    upload(page, "left", bad)
    notice(page, "error", "bad_chart.csv: line 4: manager id 'nobody' is no row's id")
    assert "Traceback" not in page.inner_text("body")
    assert "/tmp" not in page.inner_text(".orgsim-notice-error")
    huge = tmp_path / "huge_chart.csv"
    huge.write_bytes(b"id,manager_id\n" + b"#" * 9_000_000)
    upload(page, "left", huge)
    notice(page, "error", "huge_chart.csv", "larger than 8,000,000")
    chart = tmp_path / "acme_chart.csv"
    shutil.copy(EXAMPLES / "acme_chart.csv", chart)
    upload(page, "left", chart)
    notice(page, "reset", "imported from acme_chart.csv: 611 people")
    svg = page.locator(".orgsim-side-left .orgsim-orgchart svg")
    expect(svg).to_have_attribute("data-teams", "54")
    assert int(svg.get_attribute("data-managers")) == 63
    # a click on a team's box shows its people; another folds them again
    assert svg.get_attribute("data-people-shown") == "0"
    team = page.locator(".orgsim-side-left g.team").nth(5)
    size = team.get_attribute("data-size")
    team.click()
    expect(svg).to_have_attribute("data-people-shown", size)
    page.locator(".orgsim-side-left g.team").nth(5).click()
    expect(svg).to_have_attribute("data-people-shown", "0")


def test_the_chart_beside_a_redesign_of_it_at_1280x720_presenting(page, tmp_path):
    if presenting(page):
        page.click(".orgsim-present-switch")
    browser.choose(page, "left", "examples/acme.yaml")
    notice(page, "reset", "left organisation is examples/acme.yaml")
    browser.choose(page, "right", "examples/acme.yaml")
    notice(page, "reset", "right organisation is examples/acme.yaml")
    right = page.locator(".orgsim-side-right .orgsim-orgchart svg")
    before = int(right.get_attribute("data-managers"))
    controls = page.locator(".orgsim-controls-right")
    controls.get_by_text("level_2 (role)").click()
    notice(page, "reset", "Right: layer level_2 out")
    expect(right).not_to_have_attribute("data-managers", str(before))
    assert int(right.get_attribute("data-managers")) < before
    page.click(".orgsim-present-switch")
    expect(page.locator(".orgsim-present")).to_have_count(1)
    page.click(".orgsim-play")
    page.wait_for_timeout(1500)
    page.click(".orgsim-play")
    expect(page.locator(".orgsim-charts svg")).to_have_count(4)
    page.wait_for_timeout(300)  # the last frame drawn
    charts, org = page.evaluate(BOXES_JS)
    for index, box in enumerate(charts):
        assert box["x"] >= 0
        assert box["y"] >= 0
        assert box["width"] > 250  # not thumbnails
        assert box["x"] + box["width"] <= PROJECTOR["width"]
        assert box["y"] + box["height"] <= PROJECTOR["height"], f"chart {index} below the fold"
        assert box["x"] >= org["x"] + org["width"]  # beside the org charts, not below them
    expect(page.get_by_text("This website runs on")).to_have_count(0)  # over a chart
    sizes = page.evaluate(LABEL_SIZES_JS)
    assert len(sizes) > 200  # both charts' roles and head counts
    assert min(sizes) >= READABLE_PX
    shot = tmp_path / "present-acme-and-redesign.png"
    page.screenshot(path=str(shot))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(SHOTS) / shot.name)


def test_the_welcome_goes_once_played_and_one_scenario_names_files_by_name(page):
    """The trainer's small things: the banner, and the SolaraViz tab's inputs and charts."""
    tab = page.context.browser.new_page(viewport=PROJECTOR)
    tab.goto(page.url)
    tab.wait_for_selector(".orgsim-side-right .orgsim-orgchart svg", timeout=60_000)
    tab.click(".orgsim-present-switch")  # out of presentation: every notice shows
    expect(tab.locator(".orgsim-notice-info")).to_contain_text("Press play")
    assert "restarts the run from the start (day 1, 0:00 h)" in tab.inner_text("body")
    tab.click(".orgsim-play")
    expect(tab.locator(".orgsim-notice-info")).to_have_count(0)
    tab.goto(page.url + "one")
    chart = tab.locator(".orgsim-orgchart svg")
    expect(chart).to_have_attribute("data-frame", "0", timeout=60_000)
    tab.get_by_role("button", name="Step").click()
    expect(chart).to_have_attribute("data-frame", "1")
    inputs = tab.inner_text(".v-navigation-drawer")
    assert "hierarchy.yaml" in inputs
    assert "/" not in inputs.replace("examples/", "")  # names, not the server's paths
    assert "seed" in inputs
    assert "\n1\n" in f"\n{inputs}\n"  # the seed's value shows
    widths = tab.evaluate(
        "() => [...document.querySelectorAll('.orgsim-curve svg')]"
        ".map(s => s.getBoundingClientRect().width)"
    )
    assert len(widths) == 3
    assert min(widths) > 400  # a chart a cell, not three thumbnails in one
    tab.close()


def test_solaras_cookie_warning_is_not_printed_for_each_connection():
    import urllib.request

    with browser.served() as (url, process):
        for _ in range(3):
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "samesite" not in output.lower()
    assert "orgsim ui: open" in output  # the output was read

"""orgsim ui in a real browser: started as a user starts it, driven as a trainer would.

One server for the module (it starts in a few seconds); each test opens its own tab.
Chromium comes from apt (.ci/install-browser), never from ``playwright install``.
"""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from orgsim.results.palette import SCENARIO_COLOURS
from orgsim.ui import browser

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def server():
    with browser.served() as (url, process):
        yield url, process


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as launched:
        yield launched


@pytest.fixture
def page(server, chromium):
    url, _ = server
    requested = []
    tab = browser.open_page(chromium, url)
    tab.on("request", lambda request: requested.append(request.url))
    yield tab
    tab.close()
    outside = [u for u in requested if not u.startswith(url.rstrip("/"))]
    assert not outside, f"the page fetched from outside the server: {outside[:3]}"


clock_h = browser.clock_h


def org_chart(page, side: str) -> str:
    return page.inner_html(f".orgsim-side-{side} .orgsim-orgchart")


def notice(page, kind: str, *expected: str) -> str:
    """The notice of this kind, once it says everything expected."""
    line = page.locator(f".orgsim-notice-{kind}")
    for text in expected:
        expect(line).to_contain_text(text, timeout=10_000)
    return line.inner_text()


def upload(page, side: str, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.locator(f".orgsim-controls-{side}").get_by_text("Load a scenario file").click()
    chooser.value.set_files(str(path))


def wait_for_clock(page, at_least_h: float, timeout_s: float = 30) -> float:
    deadline = time.monotonic() + timeout_s
    while (now := clock_h(page)) < at_least_h:
        assert time.monotonic() < deadline, f"the clock stuck at {now} h"
        page.wait_for_timeout(200)
    return now


def test_two_organisations_play_side_by_side_and_differ(page):
    browser.choose(page, "left", "self_managing.yaml")
    notice(page, "reset", "left organisation is self_managing.yaml")
    browser.choose(page, "right", "hierarchy.yaml")
    notice(page, "reset", "right organisation is hierarchy.yaml")
    browser.choose(page, "left", "hierarchy.yaml")
    notice(page, "reset", "left organisation is hierarchy.yaml")
    browser.choose(page, "right", "self_managing.yaml")
    notice(page, "reset", "right organisation is self_managing.yaml")
    assert page.inner_text(".orgsim-side-left .orgsim-headline").startswith("hierarchy")
    assert page.inner_text(".orgsim-side-right .orgsim-headline").startswith("self_managing")
    assert clock_h(page) == 0
    charts_before = page.inner_html(".orgsim-charts")
    left_before = org_chart(page, "left")
    browser.pick_speed(page, "4 hours")
    page.click(".orgsim-play")
    wait_for_clock(page, 5 * 8)  # five working days
    page.click(".orgsim-play")  # pause
    page.wait_for_timeout(300)
    paused_at = clock_h(page)
    page.wait_for_timeout(600)
    assert clock_h(page) == paused_at, "pause did not stop the clock"
    left, right = org_chart(page, "left"), org_chart(page, "right")
    assert left != left_before, "the left org chart did not change while playing"
    assert page.inner_html(".orgsim-charts") != charts_before, "the charts did not change"
    # the hierarchy's reporting lines have four layers, the self-managing one two
    assert left.count("<line") > right.count("<line")
    headlines = [page.inner_text(f".orgsim-side-{s} .orgsim-headline") for s in ("left", "right")]
    figures = [re.sub(r"^\w+: ", "", h) for h in headlines]
    assert figures[0] != figures[1], f"both organisations show the same figures: {figures}"
    # the charts hold both organisations' lines, in their two colours
    charts = page.inner_html(".orgsim-charts")
    left, right = SCENARIO_COLOURS[:2]  # the compare report's colours
    assert charts.count(f'stroke="{left}"') >= 3
    assert charts.count(f'stroke="{right}"') >= 3
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "ui-side-by-side.png"
    page.set_viewport_size({"width": 1500, "height": 1700})  # the whole page, charts too
    page.wait_for_timeout(300)
    page.screenshot(path=str(shot))
    print(f"screenshot of the side-by-side view at {paused_at / 8:.1f} days: {shot}")
    page.click(".orgsim-step")
    expect(page.locator(".orgsim-clock")).not_to_have_text(page.inner_text(".orgsim-clock"))
    assert clock_h(page) == pytest.approx(paused_at + 4, abs=0.01)


def test_a_changed_control_restarts_the_run_and_says_so(page):
    page.click(".orgsim-play")
    wait_for_clock(page, 2)
    field = page.locator(".orgsim-left-employee-mandate input")
    field.fill("2000")
    field.press("Enter")
    notice(page, "reset", "employee mandate 2000", "restarted from the start (day 1, 0:00 h)")
    assert clock_h(page) == 0
    assert page.inner_text(".orgsim-play").strip().lower() == "play"
    # delayering: the team leads taken out, their eight boxes leave the chart
    boxes = org_chart(page, "left").count('class="approver"')
    controls = page.locator(".orgsim-controls-left")
    controls.locator("input[type=checkbox]").first.click(force=True)
    notice(page, "reset", "layer team_lead out")
    expect(page.locator(".orgsim-side-left .orgsim-orgchart")).not_to_contain_text("team_lead")
    assert org_chart(page, "left").count('class="approver"') < boxes
    controls.get_by_text("blame culture").click()
    notice(page, "reset", "Left: blame culture off")


def test_taking_a_layer_out_leaves_fewer_managers_with_wider_spans(page):
    """As orgsim redesign --remove-layer: the reports move up, no layer keeps its old span."""
    expect(page.locator(".orgsim-side-left .orgsim-headline")).to_contain_text("hierarchy")
    chart = page.locator(".orgsim-side-left .orgsim-orgchart svg")

    def managers_and_widest_span() -> tuple[int, int]:
        return int(chart.get_attribute("data-managers")), int(
            chart.get_attribute("data-widest-span")
        )

    assert managers_and_widest_span() == (16, 6)
    controls = page.locator(".orgsim-controls-left")
    controls.locator("input[type=checkbox]").nth(1).click(force=True)  # department_manager
    notice(page, "reset", "layer department_manager out")
    expect(page.locator(".orgsim-side-left .orgsim-orgchart")).not_to_contain_text(
        "department_manager"
    )
    managers, widest = managers_and_widest_span()
    assert managers == 14  # the two department managers left; no layer grew
    assert widest == 8  # the director now leads the eight team leads


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lots", "expected an amount"),
        ("-5", "structure.teams.employee_mandate: Input should be greater than or equal to 0"),
        ("50000", "mandates must not shrink going up"),
    ],
)
def test_a_bad_value_shows_a_message_and_keeps_the_run(page, typed, expected):
    page.click(".orgsim-play")
    wait_for_clock(page, 2)
    field = page.locator(".orgsim-left-employee-mandate input")
    field.fill(typed)
    field.press("Enter")
    notice(page, "error", expected)
    assert "Traceback" not in page.inner_text("body")
    # the run goes on with the settings it had
    assert clock_h(page) > 0


def test_a_broken_uploaded_scenario_shows_the_loaders_message(page, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nstructure: {teams: [unclosed\n")
    upload(page, "left", broken)
    notice(page, "error", "broken.yaml: broken YAML at line")
    unknown = tmp_path / "typo.yaml"
    unknown.write_text("extends: hierarchy.yaml\nname: typo\nculture: {trust: {blaem: true}}\n")
    upload(page, "right", unknown)
    notice(page, "error", "typo.yaml", "culture.trust.blaem: unknown key")
    assert "Traceback" not in page.inner_text("body")


def test_an_uploaded_scenario_runs_and_settings_export_as_yaml(page, tmp_path):
    flat = tmp_path / "flat.yaml"
    flat.write_text(
        "extends: hierarchy.yaml\nname: flat\nstructure: {teams: {employee_mandate: 5000}}\n"
    )
    upload(page, "right", flat)
    notice(page, "reset", "flat.yaml (uploaded)")
    assert page.inner_text(".orgsim-side-right .orgsim-headline").startswith("flat")
    with page.expect_download() as download:
        page.locator(".orgsim-controls-right").get_by_text("Export settings as YAML").click()
    exported = tmp_path / "exported.yaml"
    download.value.save_as(exported)
    from orgsim.scenario.loading import load_scenario

    scenario = load_scenario(exported)
    assert scenario.name == "flat_edited"  # a new name: it compares with its source
    assert download.value.suggested_filename == "flat_edited.yaml"
    assert scenario.structure.teams.employee_mandate == 5000


def test_the_server_holds_when_a_tab_closes_mid_run(server, chromium):
    url, process = server
    first = browser.open_page(chromium, url)
    first.click(".orgsim-play")
    wait_for_clock(first, 2)
    first.close()
    second = browser.open_page(chromium, url)
    assert clock_h(second) == 0  # a new tab, a run of its own
    second.click(".orgsim-play")
    wait_for_clock(second, 2)
    second.close()
    assert process.poll() is None


def test_one_scenario_runs_in_mesas_solaraviz(server, chromium):
    url, _ = server
    page = chromium.new_page(viewport=browser.VIEWPORT)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url + "one")
    chart = page.locator(".orgsim-orgchart svg")
    expect(chart).to_have_attribute("data-frame", "0", timeout=60_000)
    before = page.inner_html(".orgsim-orgchart")
    page.get_by_role("button", name="Step").click()
    expect(chart).to_have_attribute("data-frame", "1")
    page.get_by_role("button", name="▶").click()
    expect(chart).not_to_have_attribute("data-frame", re.compile(r"^[01]$"), timeout=20_000)
    assert page.inner_html(".orgsim-orgchart") != before
    assert "Traceback" not in page.inner_text("body")
    page.close()
    assert all(u.startswith(url) for u in requested), "the page fetched from outside"


def test_play_and_step_grey_out_at_the_end_of_the_run(server, chromium, tmp_path):
    url, _ = server
    page = browser.open_page(chromium, url)
    short = tmp_path / "short.yaml"
    short.write_text("extends: hierarchy.yaml\nname: short\nrun: {days: 2, warmup_days: 1}\n")
    upload(page, "left", short)
    upload(page, "right", short)
    notice(page, "reset", "right: short.yaml (uploaded)")
    browser.pick_speed(page, "8 hours")
    page.click(".orgsim-step")
    expect(page.locator(".orgsim-clock")).to_have_text("day 2, 0:00 h")
    page.click(".orgsim-step")
    expect(page.locator(".orgsim-clock")).to_contain_text("(end of the run)")
    expect(page.locator(".orgsim-step")).to_be_disabled()
    expect(page.locator(".orgsim-play")).to_be_disabled()
    page.close()

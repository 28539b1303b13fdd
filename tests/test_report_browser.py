"""The comparison report in a real browser: headless Chromium, offline, every part there.

Debian's ``chromium`` (``.ci/install-browser``), driven by Playwright; never
``playwright install``. The page must show the verdict, the table and every figure
loaded, without fetching anything from the network.
"""

from __future__ import annotations

import os
from pathlib import Path

from browser_pages import needs_chromium, opened
from strategies import HIERARCHY, SELF_MANAGING

from orgsim.compare import api
from orgsim.compare.figures import FIGURES
from orgsim.compare.measures import HEADLINES, MEASURES

pytestmark = needs_chromium


def test_the_report_opens_offline_with_verdict_table_and_every_figure(tmp_path: Path):
    result = api.compare([HIERARCHY, SELF_MANAGING], replications=3, days=20, workers=1)
    report = api.write_report(result, tmp_path)["html"]
    with opened(report, width=1200) as (page, requests):
        verdict = page.locator("#verdict li").all_inner_texts()
        rows = page.locator("#summary-table tbody tr").count()
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])"
        )
        shot = Path(os.environ.get("ORGSIM_SCREENSHOT", tmp_path / "report.png"))
        page.screenshot(path=str(shot), full_page=True)
    assert len(verdict) == len(HEADLINES)  # speed, customers, decisions, management, money
    assert all("95% CI" in item for item in verdict)
    assert verdict[0].startswith("Speed.")
    assert rows == len(MEASURES)
    assert sorted(alt for alt, _, _ in images) == sorted(title for title, _, _ in FIGURES.values())
    assert all(complete and width > 0 for _, complete, width in images)
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
    assert shot.stat().st_size > 50_000


def test_the_report_leads_with_the_bottom_line_and_the_attribution(tmp_path: Path):
    variant = {"structure.teams.employee_mandate": 2500, "culture.trust.blame": False,
               "money.manager_hourly_cost": 160}  # fmt: skip
    result = api.compare([HIERARCHY], replications=3, days=15, workers=1,
                         variants={"lean": variant}, explain=True)  # fmt: skip
    report = api.write_report(result, tmp_path)["html"]
    [explained] = result.attributions
    with opened(report, width=1200) as (page, _):
        sections = page.evaluate(
            "Array.from(document.querySelectorAll('main > section')).map(s => s.id)"
        )
        bottom = page.locator("#bottom-line").inner_text()
        rows = page.locator("#attribution .attribution-table tbody tr").all_inner_texts()
        image = page.evaluate(
            "(() => { const i = document.querySelector('#attribution figure img');"
            " return [i.alt, i.complete, i.naturalWidth]; })()"
        )
        shot = Path(os.environ.get("ORGSIM_ATTRIBUTION_SCREENSHOT", tmp_path / "attribution.png"))
        page.locator("#attribution").screenshot(path=str(shot))
    assert sections[:3] == ["bottom-line", "attribution", "verdict"]
    assert bottom.startswith("Bottom line: on speed,")
    assert "Net money lost" in bottom
    factors = len(explained.design.factors)
    assert factors == 3
    assert len(rows) == explained.table["factor"].nunique()  # factors, total, interactions
    assert sum(row.startswith("interaction: ") for row in rows) >= 1
    assert any(row.startswith("employee mandate: 500 → 2,500") for row in rows)
    assert any(row.startswith("total difference") for row in rows)
    alt, complete, width = image
    assert alt == "What drives the difference: lean against hierarchy"
    assert complete
    assert width > 0
    assert shot.stat().st_size > 20_000

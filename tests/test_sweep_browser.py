"""The analysis pages of the three shipped experiments in a real browser, offline.

Debian's ``chromium`` (``.ci/install-browser``), driven by Playwright; never
``playwright install``. Each shipped experiment runs shrunk (short runs, two
replications, the fewest samples; runs on a thread here), is analysed, and its page
must show its sections, every figure loaded, and fetch nothing from the network.
``ORGSIM_SCREENSHOT_DIR`` keeps a full-page screenshot of each.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from browser_pages import needs_chromium, opened
from sweep_stand_ins import ROOT, inline_backend

from orgsim.sweep.analyze import analyze
from orgsim.sweep.runner import run_sweep

pytestmark = [pytest.mark.browser, needs_chromium]
SHRUNK = {"lhs": {"samples": 8}, "sobol": {"samples": 4}, "morris": {"trajectories": 4}}
SECTIONS = {
    "layers_vs_mandate": ["Main effects", "Two parameters at once", "Paired contrasts"],
    "trust_and_blame": ["Main effects", "Paired contrasts", "Scenario discovery (PRIM)"],
    "sobol_satisfaction": ["Main effects", "Noise against effects", "Sensitivity (sobol)"],
}


def shrunk(name: str, tmp: Path) -> Path:
    path = ROOT / "experiments" / f"{name}.yaml"
    raw = yaml.safe_load(path.read_text())
    raw["bases"] = [str((path.parent / base).resolve()) for base in raw["bases"]]
    raw["set"] = {**raw.get("set", {}), "run.days": 4, "run.warmup_days": 1}
    raw["replications"] = 2
    if isinstance(raw.get("sampler"), dict):
        raw["sampler"] |= SHRUNK[raw["sampler"]["method"]]
    if name == "layers_vs_mandate":
        raw["parameters"][1]["values"] = raw["parameters"][1]["values"][:2]
    out = tmp / path.name
    out.write_text(yaml.safe_dump(raw))
    return out


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_the_analysis_page_of_a_shipped_experiment_shows_every_section(name, tmp_path, monkeypatch):
    monkeypatch.setattr("orgsim.sweep.runner.backend", inline_backend)
    monkeypatch.setattr("orgsim.sweep.discovery.RESAMPLES", 4)  # EMA's PRIM is slow here
    run_sweep(shrunk(name, tmp_path), tmp_path / "store")
    page_file = analyze(tmp_path / "store")
    with opened(page_file) as (page, requests):
        headings = page.locator("h2").all_inner_texts()
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.src, i.complete, i.naturalWidth])"
        )
        folder = os.environ.get("ORGSIM_SCREENSHOT_DIR")
        shot = Path(folder) / f"{name}.png" if folder else tmp_path / "page.png"
        page.screenshot(path=str(shot), full_page=True)
    for section in SECTIONS[name]:
        assert any(h.startswith(section) for h in headings), (section, headings)
    assert images
    assert all(complete and width > 0 for _, complete, width in images)
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []

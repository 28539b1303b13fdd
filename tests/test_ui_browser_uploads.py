"""Hostile uploads in a real browser (issue 17): a scenario reaching for the server's files
through ``extends``, a file named ``..``, and a file far over the size limit. Each is
refused with one line in the page, which keeps working.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_ui_browser import chromium, notice, page, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

SECRET = "s3cr3t-on-the-server"
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def upload(page, side: str, name: str, content: bytes) -> None:  # noqa: F811 - a tab
    with page.expect_file_chooser() as chooser:
        page.locator(f".orgsim-controls-{side}").get_by_text("Load a scenario file").click()
    chooser.value.set_files({"name": name, "mimeType": "text/yaml", "buffer": content})


def test_an_upload_extending_outside_the_allowed_folders_quotes_nothing_of_the_target(
    page,  # noqa: F811 - the fixture
    tmp_path,
):
    private = tmp_path / "private.yaml"
    private.write_text(f"extends: {SCENARIOS / 'hierarchy.yaml'}\nname: {SECRET}\n")
    for target in (str(private), "/etc/passwd", "base/../../../../../../../../etc/shadow"):
        upload(page, "left", "evil.yaml", f"extends: {target}\n".encode())
        rule = "may extend only files in its own folder"
        text = notice(page, "error", f"evil.yaml: extends: '{Path(target).name}'", rule)
        assert SECRET not in text
        assert "root:" not in text
    upload(page, "left", "fine.yaml", b"extends: hierarchy.yaml\nname: fine\n")
    notice(page, "reset", "fine.yaml (uploaded)")


def test_an_upload_named_dots_or_too_large_is_refused_and_the_next_one_works(page):  # noqa: F811
    upload(page, "right", "..", b"extends: hierarchy.yaml\nname: dots\n")
    notice(page, "reset", "uploaded.yaml (uploaded)")
    upload(page, "right", "huge.yaml", b"#" * 30_000_000)
    notice(page, "error", "huge.yaml", "larger than 1,000,000")
    expect(page.get_by_text("Traceback")).to_have_count(0)
    upload(page, "right", "after.yaml", b"extends: self_managing.yaml\nname: after\n")
    notice(page, "reset", "after.yaml (uploaded)")

"""The live preview in a real browser: a saved template edit arrives, a broken template shows its
error with file and line, and fixing it brings the brief back, all without restarting the server."""

from __future__ import annotations

import shutil
import time

import pytest

from ..conftest import ROOT
from .conftest import preview_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")]


@pytest.fixture
def server(tmp_path):
    for folder in ("data", "briefs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    with preview_server(tmp_path / "data", tmp_path / "briefs", tmp_path / "templates") as (port, _ws):
        yield f"http://127.0.0.1:{port}", tmp_path


def test_preview_follows_edits_errors_and_recovery(server):
    from playwright.sync_api import sync_playwright

    url, root = server
    template = root / "templates" / "sections" / "bottom_line.html.j2"
    original = template.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.goto(f"{url}/brief/press")
        frame = page.frame_locator("#web-frame")
        frame.locator(".bottom-line").wait_for(timeout=30000)
        assert "Close Neighbors, Distant Armies" in frame.locator("body").text_content()
        page.wait_for_selector("#pages img", timeout=60000)  # the PDF pages arrive as images
        assert page.eval_on_selector_all("#pages img", "imgs => imgs.length") == 1

        template.write_text(original.replace('{{ _("The bottom line") }}', "Bottom line, edited live"), encoding="utf-8")
        started = time.monotonic()
        page.frame_locator("#web-frame").locator("text=Bottom line, edited live").wait_for(timeout=15000)
        latency = time.monotonic() - started
        print(f"edit visible in the browser after {latency:.2f} s")
        assert latency < 5  # poll 0.25 s + page poll 0.3 s + render; typically about 1 s

        template.write_text(original.replace("{% if brief.intro %}", "{% if %}"), encoding="utf-8")
        page.wait_for_selector("#web .preview-error", timeout=15000)
        error = page.inner_text("#web .preview-error")
        assert "bottom_line.html.j2:" in error and "template error" in error

        template.write_text(original, encoding="utf-8")
        page.frame_locator("#web-frame").locator(".bottom-line").wait_for(timeout=15000)
        assert "The bottom line" in page.frame_locator("#web-frame").locator(".bottom-line").text_content()
        page.screenshot(path=str(root / "preview.png"), full_page=False)
        browser.close()

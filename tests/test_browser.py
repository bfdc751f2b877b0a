"""The query page in a real browser: Debian's chromium, headless, driven by Playwright."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _find_or_install_chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and this user cannot install it (apt-get install chromium)")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, timeout=600, capture_output=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"chromium could not be installed here: {exc}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("apt-get ran but no chromium binary appeared")
    return found


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency: pip install playwright")
    executable = _find_or_install_chromium()
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def test_browser_runs_an_example_query_and_shows_the_table(browser, live):
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(live + "/")
    assert page.locator("#highlight .tok-kw").count() > 0               # the editor highlights SPARQL
    page.click("button[data-name='troop-claims']")
    page.wait_for_selector("#result-table tbody tr", timeout=20_000)
    headers = page.locator("#result-table thead th").all_inner_texts()
    assert headers[:2] == ["claimant", "quantity"]
    assert "National Intelligence Service" in page.locator("#result-table").inner_text()
    assert failed == []                                                 # nothing fetched from elsewhere
    page.close()


def test_browser_result_iris_link_to_their_pages(browser, live):
    page = browser.new_page()
    page.goto(live + "/")
    page.fill("#query", "SELECT ?p WHERE { ?p a kgo:Person ; rdfs:label \"Kim Jong Un\" }")
    page.click("#run")
    page.wait_for_selector("#result-table tbody a", timeout=20_000)
    page.click("#result-table tbody a")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Kim Jong Un"
    assert page.url.endswith("/id/kim-jong-un")
    page.close()


def test_browser_shows_query_errors(browser, live):
    page = browser.new_page()
    page.goto(live + "/")
    page.fill("#query", "SELECT ?x WHERE {")
    page.click("#run")
    page.wait_for_selector(".error", timeout=20_000)
    assert "Error 400" in page.locator(".error").inner_text()
    page.close()

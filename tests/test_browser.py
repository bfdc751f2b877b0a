"""The query page in a real browser: Debian's chromium, headless, driven by Playwright."""
from __future__ import annotations

import shutil

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _find_chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("Debian's chromium is not installed: `make system-packages` (as root) installs it")
    return found


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency: pip install playwright")
    executable = _find_chromium()
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def _query_page(browser, live):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(live + "/")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
    return page


def test_browser_runs_an_example_query_and_shows_the_table(browser, live):
    page = _query_page(browser, live)
    assert page.locator(".yasqe .cm-keyword").count() > 0             # Yasqe highlights SPARQL
    page.click("button[data-name='troop-claims']")
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
    headers = [h.strip() for h in page.locator(".yasr table thead th").all_inner_texts()]
    assert headers[1:3] == ["claimant", "quantity"]
    assert "National Intelligence Service" in page.locator(".yasr table").inner_text()
    assert "PREFIX kgo: <https://w3id.org/kg/ontology#>" in page.evaluate("window.kgYasgui.getTab().getQuery()")
    assert [u for u in page.requests if not u.startswith(live) and not u.startswith("data:")] == []
    page.close()


def test_browser_result_iris_link_to_their_pages(browser, live):
    page = _query_page(browser, live)
    page.evaluate("""() => { const tab = window.kgYasgui.getTab();
        tab.setQuery('SELECT ?p WHERE { ?p a kgo:Person ; rdfs:label "Kim Jong Un" }');
        tab.getYasqe().query(); }""")
    page.wait_for_selector(".yasr table tbody a[href^='/id/']", timeout=20_000)
    page.click(".yasr table tbody a[href^='/id/']")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Kim Jong Un"
    assert page.url.endswith("/id/kim-jong-un")
    page.close()


def test_browser_shows_query_errors(browser, live):
    page = _query_page(browser, live)
    page.evaluate("() => { const tab = window.kgYasgui.getTab(); tab.setQuery('SELECT ?x WHERE {'); tab.getYasqe().query(); }")
    page.wait_for_selector(".yasr .errorResult", timeout=20_000)
    assert "400" in page.locator(".yasr .errorResult").inner_text()
    page.close()


def test_browser_completes_prefixes_offline(browser, live):
    page = _query_page(browser, live)
    page.evaluate("() => window.kgYasgui.getTab().getYasqe().setValue('')")
    page.click(".yasqe .CodeMirror")
    page.keyboard.type("PREFIX kg")
    page.wait_for_selector(".CodeMirror-hints", timeout=20_000)
    assert "kgo: <https://w3id.org/kg/ontology#>" in page.locator(".CodeMirror-hints").inner_text()
    assert live + "/prefixes.json" in page.requests
    assert [u for u in page.requests if not u.startswith(live) and not u.startswith("data:")] == []
    page.close()

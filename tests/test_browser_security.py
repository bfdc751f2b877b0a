"""A public endpoint under attack, in a real browser (Debian's chromium, driven by Playwright):
every page carries the hardening headers, runs under its strict Content-Security-Policy with no
violation, and no payload an attacker can plant (in an article, a shared query link, a focus=
parameter, an /id/ path) opens a dialog, runs a script, or sends a request off 127.0.0.1."""
from __future__ import annotations

import urllib.parse

import httpx
import pytest

from conftest import running
from kg.config import Settings
from kg.pipeline import build
from kg.server.security import CONTENT_SECURITY_POLICY
from test_browser import browser  # noqa: F401  (the shared Chromium fixture)

# each payload, if it ran, would set window.__pwned, open a dialog, or fetch from evil.example
SCRIPT = "<script>window.__pwned='script'</script>"
IMAGE = "<img src=x onerror=\"window.__pwned='onerror';alert(1)\">"
REMOTE = "<img src='http://evil.example/leak.png'>"
PAYLOAD = SCRIPT + IMAGE + REMOTE

ARTICLE = f"""---
title: "Strike on Avdiivka {PAYLOAD.replace('"', "'")}"
publisher: "Evil Wire {IMAGE.replace('"', "'")}"
url: "javascript://evil.example/%0Aalert(1)"
published: 2024-10-18
---
Russian forces struck Avdiivka on Monday {PAYLOAD}, killing 12 people, according to the Ukrainian Army.

About 3,000 North Korean troops {IMAGE} were sent to Russia on Tuesday, the National Intelligence Service said.
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A server over a store built from an article full of payloads."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "articles").mkdir()
    (folder / "articles" / "payload.md").write_text(ARTICLE, encoding="utf-8")
    report = build([folder / "articles"], Settings(store=folder / "store"))
    assert report.ok, report.failures + report.left_out + [report.validation_text]
    from kg.server import create_app

    with running(create_app(Settings(store=folder / "store"), timeout=5.0, workers=2)) as url:
        yield url


HTML_PAGES = ["/", "/timeline", "/map", "/claims", "/graph?focus=https://w3id.org/kg/id/russia", "/id/russia",
              "/id/article/payload"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_carries_the_hardening_headers(hostile, path):
    r = httpx.get(hostile + path)
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    for directive in ("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in r.headers["content-security-policy"]
    assert "unsafe" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path, accept", [("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
                                          ("/prefixes.json", "*/*"), ("/.well-known/void", "text/turtle"),
                                          ("/dump.nq", "*/*"), ("/id/russia", "text/turtle"),
                                          ("/views/timeline.rq", "*/*"), ("/static/kg.css", "*/*")])
def test_data_answers_are_nosniff_and_sparql_stays_open_to_other_origins(hostile, path, accept):
    r = httpx.get(hostile + path, headers={"Accept": accept, "Origin": "https://notebook.example"})
    assert r.status_code == 200, r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in r.headers           # only pages need it
    if path.startswith("/sparql"):
        assert r.headers["access-control-allow-origin"] == "*"


# Yasgui (vendored) trips the policy itself, harmlessly: its sanitiser (DOMPurify) parses result
# values into an inert document, which Chromium reports for each inline handler it holds, and its
# column resizer adds a <style> element. Both are blocked and neither runs anything; any other
# violation fails the tests.
YASGUI = "/static/vendor/yasgui.min.js"


def _visit(browser, hostile, path, wait_for):  # noqa: F811  (the fixture, passed in)
    """Open a page and report what an attack would have done: dialogs, scripts run, requests off
    127.0.0.1, CSP violations (each a payload that reached the page and was stopped)."""
    page = browser.new_page()
    seen = {"dialogs": [], "offsite": [], "csp": [], "errors": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith((hostile, "data:", "about:")) else seen["offsite"].append(r.url))
    page.on("console", lambda m: seen["csp"].append(m.text[7:]) if m.text.startswith("KG-CSP ") else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.log('KG-CSP ' + "
                         "e.violatedDirective + ' ' + e.sourceFile + ' ' + e.blockedURI))")
    page.goto(hostile + path)
    page.wait_for_selector(wait_for, timeout=20_000)
    page.wait_for_timeout(500)
    seen["csp"] = [v for v in seen["csp"] if not (v.startswith(("script-src-attr ", "style-src-elem "))
                                                  and f"{hostile}{YASGUI} " in v)]
    seen["pwned"] = page.evaluate("window.__pwned || null")
    seen["javascript_links"] = page.evaluate(
        "[...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith('javascript:'))")
    page.close()
    return seen


CLEAN = {"dialogs": [], "offsite": [], "csp": [], "errors": [], "pwned": None, "javascript_links": []}


@pytest.mark.parametrize("path, wait_for", [
    ("/id/article/payload", "h1"),                       # title, publisher, URL
    ("/id/russia", "h1"),                                # evidence sentences
    ("/id/armed-forces-of-ukraine", "h1"),
    ("/id/claim/payload/armed-forces-of-ukraine-12-people", "h1"),
    ("/timeline", "#chart svg"),
    ("/claims", "#chart svg"),
    ("/map", "#chart svg"),
    ("/graph?focus=https://w3id.org/kg/id/russia", "#network canvas"),
])
def test_payloads_in_articles_do_nothing(browser, hostile, path, wait_for):  # noqa: F811
    assert _visit(browser, hostile, path, wait_for) == CLEAN


def test_the_payloads_did_reach_the_pages_as_text(hostile):
    """The tests above can fail: the payloads are in the pages, escaped."""
    page = httpx.get(hostile + "/id/article/payload").text
    assert "&lt;script&gt;window.__pwned" in page and "<script>window.__pwned" not in page


QUERY = 'SELECT ?x ?label WHERE { BIND("' + IMAGE.replace('"', "'") + '" AS ?x) ?s rdfs:label ?label } LIMIT 3'


@pytest.mark.parametrize("path, wait_for", [
    # a shared query link that runs at once, its results full of markup
    ("/?run=1&query=" + urllib.parse.quote(QUERY), ".yasr table tbody tr"),
    # a shared link naming another endpoint (Yasgui's own link format): kg's page ignores it
    ("/?endpoint=" + urllib.parse.quote("javascript:alert(1)") + "&query=" + urllib.parse.quote(QUERY) + "&run=1",
     ".yasr table tbody tr"),
    ("/?endpoint=" + urllib.parse.quote("http://evil.example/sparql") + "&query=" + urllib.parse.quote(QUERY)
     + "&run=1", ".yasr table tbody tr"),
    ("/#query=" + urllib.parse.quote(QUERY) + "&endpoint=" + urllib.parse.quote("http://evil.example/sparql"),
     ".yasqe .CodeMirror"),
    ("/graph?focus=" + urllib.parse.quote("https://w3id.org/kg/id/russia") + "&label=" + urllib.parse.quote(PAYLOAD),
     "#network canvas"),
    ("/id/" + urllib.parse.quote(PAYLOAD, safe=""), "body"),
])
def test_payloads_in_links_do_nothing(browser, hostile, path, wait_for):  # noqa: F811
    assert _visit(browser, hostile, path, wait_for) == CLEAN


def test_a_focus_that_is_no_web_iri_is_refused(hostile):
    r = httpx.get(hostile + "/graph", params={"focus": "javascript:alert(1)//" + PAYLOAD})
    assert r.status_code == 400 and "focus= takes an entity's IRI" in r.json()["error"]["message"]

"""The analyst views in a real browser (Debian's chromium, headless, driven by Playwright):
each view is checked against the store it draws, clicked through to an evidence sentence, kept
to 127.0.0.1, and photographed (tests/output/screenshots, which the README shows)."""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT
from test_browser import browser  # noqa: F401  (the shared chromium fixture)

from kg import store as kgstore
from kg.queries import view_query

SHOTS = ROOT / "tests" / "output" / "screenshots"
KIM = "https://w3id.org/kg/id/kim-jong-un"


def _rows(store_path: Path, sparql: str) -> list[dict[str, str]]:
    result = kgstore.select(kgstore.open_read(store_path), sparql)
    return [{v: cell[1] for v, cell in zip(result.variables, row)} for row in result.rows]


def _count(store_path: Path, sparql: str) -> int:
    return int(_rows(store_path, sparql)[0]["n"])


def _view_rows(store_path: Path, name: str, replacements: dict[str, str] | None = None) -> list[dict[str, str]]:
    return _rows(store_path, view_query(name, replacements))


@pytest.fixture
def page(browser, live):  # noqa: F811
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.requests, page.errors = requests, errors
    yield page
    elsewhere = [u for u in requests if not u.startswith(live) and not u.startswith("data:")]
    assert elsewhere == [], "a view fetched something from outside 127.0.0.1"
    assert errors == []
    page.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _open_evidence(page) -> None:
    page.wait_for_selector("ul.evidence li q", timeout=20_000)
    assert page.locator("ul.evidence li q").first.inner_text().strip()


def test_timeline_draws_every_dated_event_and_opens_its_evidence(page, live, seeds_store):
    expected = _count(seeds_store, """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
        GRAPH <https://w3id.org/kg/ontology> { ?class rdfs:subClassOf kgo:Event }
        ?e a ?class ; kgo:earliest ?when }""")
    assert expected > 5
    page.goto(live + "/timeline")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
    assert page.locator("#chart").get_attribute("data-events") == str(expected)
    marks = page.locator("#chart g.mark-rect.role-mark path, #chart g.mark-symbol.role-mark path")
    assert marks.count() == expected                   # each event drawn once, as a point or a span
    _shot(page, "timeline")
    page.select_option("#type", "Statement")
    statements = _count(seeds_store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kgo:Statement ; kgo:earliest ?w }")
    page.wait_for_function(f"document.querySelector('#chart').dataset.events === '{statements}'")
    page.locator("#chart g.mark-symbol.role-mark path").first.click()
    page.wait_for_url("**/id/event/**", timeout=20_000)
    _open_evidence(page)


def test_map_puts_a_marker_on_every_place_with_coordinates(page, live, seeds_store):
    expected = _count(seeds_store, """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?p geo:hasGeometry/geo:asWKT ?wkt ; a ?c . VALUES ?c { kgo:Place kgo:MilitaryBase } }""")
    assert expected > 3
    page.goto(live + "/map")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
    assert page.locator("#chart g.mark-symbol.role-mark path").count() == expected
    assert page.locator("#chart g.mark-shape.role-mark path").count() > 100            # the country outlines
    assert page.locator("#places > li").count() == expected
    assert page.locator("#places a", has_text="Deployment").count() >= 1     # an event under its place
    _shot(page, "map")
    page.locator("#places a", has_text="Vladivostok").click()
    page.wait_for_url("**/id/vladivostok")
    _open_evidence(page)


def test_claims_chart_has_a_point_for_each_troop_claim(page, live, seeds_store):
    expected = len(_view_rows(seeds_store, "claims"))            # the file's own kind: troops
    assert expected == _count(seeds_store, """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a kgo:Claim ; kgo:quantityKind "troops" }""")
    page.goto(live + "/claims")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
    assert page.locator("#kind").input_value() == "troops"
    assert page.locator("#chart g.mark-symbol.role-mark path").count() == expected
    assert "National Intelligence Service" in page.locator("#chart").inner_text()   # the legend
    _shot(page, "claims")
    page.locator("#chart g.mark-symbol.role-mark path").first.click()
    page.wait_for_url("**/id/claim/**", timeout=20_000)
    _open_evidence(page)


def test_network_around_kim_jong_un_and_its_expansion(page, live, seeds_store):
    rows = _view_rows(seeds_store, "network")                    # the file's own focus: Kim Jong Un
    assert len(rows) >= 3
    page.goto(f"{live}/graph?focus={quote(KIM)}&label=Kim%20Jong%20Un")
    page.wait_for_selector("#network[data-ready='1']", timeout=30_000)
    assert page.evaluate("window.kgNetwork.nodes().length") == 1 + len({r["other"] for r in rows})
    labels = page.evaluate("window.kgNetwork.edges().map(e => e.data('label'))")
    assert any(label.startswith("named with · ") and "article" in label for label in labels)
    _shot(page, "network")
    russia = "https://w3id.org/kg/id/russia"
    more = _view_rows(seeds_store, "network", {KIM: russia})
    before = page.evaluate("window.kgNetwork.nodes().length")
    page.evaluate(f"window.kgNetwork.getElementById('{russia}').emit('tap')")
    # polled from here: Playwright's wait_for_function evaluates its text with eval, which the
    # page's Content-Security-Policy forbids
    deadline = time.time() + 20
    while page.evaluate("window.kgNetwork.nodes().length") <= before and time.time() < deadline:
        time.sleep(0.05)
    known = {KIM, russia} | {r["other"] for r in rows}
    assert page.evaluate("window.kgNetwork.nodes().length") == len(known | {r["other"] for r in more})


def test_entity_page_embeds_its_network(page, live):
    page.goto(live + "/id/kim-jong-un")
    page.wait_for_selector("#network[data-ready='1']", timeout=30_000)
    assert page.evaluate("window.kgNetwork.nodes().length") > 3
    _open_evidence(page)


def test_views_follow_the_base_iri(browser, seeds_store):  # noqa: F811
    """With another --base-iri, the views' links go to the pages that base maps to."""
    from conftest import running

    from kg.config import Settings
    from kg.server import create_app

    with running(create_app(Settings(store=seeds_store, base_iri="https://w3id.org/kg/"), timeout=3.0,
                            workers=1)) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(url + "/timeline")
        page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
        page.locator("#chart g.mark-symbol.role-mark path").first.click()
        page.wait_for_url("**/id/id/event/**", timeout=20_000)
        _open_evidence(page)
        page.goto(f"{url}/graph?focus={quote(KIM)}")
        page.wait_for_selector("#network[data-ready='1']", timeout=30_000)
        assert page.evaluate("window.kgNetwork.nodes().length") > 3
        page.close()

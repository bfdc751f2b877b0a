"""`kg report`: the brief says what the store says (the same queries as the views)."""
from __future__ import annotations

from html.parser import HTMLParser

from click.testing import CliRunner

from kg import store as kgstore
from kg.cli import main
from kg.terms import literal, n3


def _count(store_path, sparql: str) -> int:
    return int(kgstore.select(kgstore.open_read(store_path), sparql).rows[0][0][1])


def _report(*args) -> str:
    result = CliRunner().invoke(main, ["report", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_report_markdown_has_every_dated_event_and_the_sources_of_conflicting_numbers(seeds_store):
    text = _report("--store", seeds_store)
    events = _count(seeds_store, """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
        GRAPH <https://w3id.org/kg/ontology> { ?c rdfs:subClassOf kgo:Event } ?e a ?c ; kgo:earliest ?w }""")
    assert f"## Timeline ({events} dated events)" in text
    timeline = text.split("## Timeline")[1].split("## Most mentioned")[0]
    assert len([line for line in timeline.splitlines() if line.startswith("| 20")]) == events
    troops = text.split("### troops")[1].split("###")[0]
    nis = [line for line in troops.splitlines() if "| National Intelligence Service |" in line]
    assert {line.split("|")[1].strip() for line in nis} >= {"12,000", "1,500"}
    sentence = nis[0].split("|")[4].split(" / ")[0].strip()
    assert _count(seeds_store, f"""SELECT (COUNT(*) AS ?n) WHERE {{ ?ev kgo:sentenceText {n3(literal(sentence))} }}""") >= 1
    people = _count(seeds_store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kgo:Person }")
    assert f"| Person | {people} |" in text


def test_report_html_to_a_file_is_well_formed(seeds_store, tmp_path):
    out = tmp_path / "brief.html"
    _report("--store", seeds_store, "--format", "html", "-o", out)
    page = out.read_text()
    tags = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Collect().feed(page)
    assert tags.count("h3") >= 1 and tags.count("table") >= 4
    assert "Kim Jong Un" in page and "&lt;" not in page.split("<body>")[0]


def test_report_names_a_missing_store(tmp_path):
    result = CliRunner().invoke(main, ["report", "--store", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "nowhere" in result.output

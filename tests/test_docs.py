"""The documentation and the data files agree with the code: ontology, vocabulary, SPEC,
example queries, README."""
import re

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg import queries as kgqueries
from kg import store as kgstore
from kg.resources import data_dir
from kg.vocab import KGO

from conftest import ROOT

SPEC_CLASSES = ["Article", "Person", "Organization", "Country", "Actor", "MilitaryUnit", "Place", "MilitaryBase",
                "Ship", "Event", "Deployment", "Transport", "Meeting", "Training", "Agreement", "ArmsTransfer",
                "Attack", "Statement", "Denial", "Claim"]
SPEC_PROPERTIES = ["mentionedIn", "date", "startDate", "endDate", "earliest", "latest", "agent", "participant",
                   "place", "claimant", "about", "quantity", "quantityKind", "reportedIn", "evidence"]


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(data_dir("ontology") / "kg.ttl")


def test_docs_every_term_labelled_and_commented(ontology):
    terms = [t for t in ontology.subjects(RDF.type, None) if str(t).startswith(str(KGO._NS))]
    assert len(terms) > 40
    for t in terms:
        assert ontology.value(t, RDFS.label) and ontology.value(t, RDFS.comment), t


def test_docs_code_vocabulary_matches_ontology(ontology):
    in_ontology = {str(t)[len(str(KGO._NS)):] for t in ontology.subjects(RDF.type, None)
                   if str(t).startswith(str(KGO._NS))}
    in_code = set(KGO.__annotations__)
    assert in_code == in_ontology
    with pytest.raises(AttributeError):
        _ = KGO.Deploymnet                                       # closed: a typo never mints an IRI


def test_docs_spec_terms_exist_with_spec_hierarchy(ontology):
    for name in SPEC_CLASSES:
        assert (KGO[name], RDF.type, OWL.Class) in ontology, name
    for name in SPEC_PROPERTIES:
        assert (KGO[name], None, None) in ontology, name
    for sub, sup in [("Person", "Actor"), ("Organization", "Actor"), ("Country", "Actor"),
                     ("MilitaryUnit", "Organization"), ("MilitaryBase", "Place"), ("Denial", "Event")]:
        assert (KGO[sub], RDFS.subClassOf, KGO[sup]) in ontology
    assert ontology.value(predicate=RDF.type, object=OWL.Ontology) is not None
    assert any(ontology.objects(None, OWL.versionInfo))


def test_docs_example_queries_documented_and_answer_on_seeds(seeds_store):
    found = kgqueries.examples(data_dir("queries"))
    assert len(found) >= 8
    st = kgstore.open_read(seeds_store)
    for q in found:
        assert q.description, f"{q.name}.rq needs a leading comment saying what it answers"
        rows = kgstore.run_query(st, q.text, "rows")
        assert rows.rows, f"{q.name} returns no rows on the seeds"


def test_docs_readme_is_short_and_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 250
    for text in ["make run", "make test", "kg build", "kg query", "kg serve", "kg explain", "docs/index.md"]:
        assert text in readme, text


def test_docs_every_command_and_query_is_documented():
    commands = (ROOT / "docs" / "commands.md").read_text() + (ROOT / "docs" / "contract.md").read_text()
    from kg.cli import main
    for name in main.commands:
        assert f"kg {name}" in commands, name
    assert "Exit codes" in commands
    cookbook = (ROOT / "docs" / "generated" / "cookbook.md").read_text()
    for q in kgqueries.examples(data_dir("queries")):
        assert f"## `{q.name}`" in cookbook, f"the cookbook does not show the query {q.name}"


def _links(path):
    """The relative link targets of a Markdown file (web links and in-page anchors left out)."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:", target) and not target.startswith("#"):
            yield target.split("#")[0]


def test_docs_every_link_resolves_inside_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "tests" / "data").rglob("README.md")),
             ROOT / "benchmarks" / "data" / "SOURCES.md"]
    broken = [f"{page.relative_to(ROOT)}: {target}" for page in pages for target in _links(page)
              if not (page.parent / target).resolve().exists()
              or ROOT.resolve() not in (page.parent / target).resolve().parents]
    assert broken == []


def test_docs_generated_pages_are_current():
    """docs/generated/ is committed (README links to it); it must be what docs/generate.py makes."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("generate", ROOT / "docs" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    assert (ROOT / "docs" / "generated" / "vocabulary.md").read_text(encoding="utf-8") == generate.vocabulary()
    assert (ROOT / "docs" / "generated" / "cookbook.md").read_text(encoding="utf-8") == generate.cookbook()


def test_docs_data_files_have_header_comments():
    for folder, pattern in [("ontology", "*.ttl"), ("shapes", "*.ttl"), ("lexicons", "*.toml"), ("queries", "*.rq")]:
        for f in data_dir(folder).glob(pattern):
            assert f.read_text().startswith("#"), f"{f} should start with a comment saying what it is"


def test_docs_schema_prefix_is_https():
    ttl = (data_dir("ontology") / "kg.ttl").read_text()
    assert re.search(r"@prefix schema:\s+<https://schema.org/>", ttl)

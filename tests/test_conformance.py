"""A real corpus is never refused: role links fit the resolved types by construction, and a
violation that remains leaves out the articles that carry it, never the rest."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from conftest import DATA, SEEDS
from kg import store as kgstore
from kg.config import Settings
from kg.model import Article, ArticleResult, Claim, DroppedRole, Event, TimeExpression
from kg.pipeline import add, build, validate_store
from kg.resolve import Entity
from kg.roles import RoleRules, dropped_in, fit, fit_operators
from kg.resources import data_dir
from kg.validate import compiled_shapes

# every real article the repository holds: the seeds, the development and set-aside sets
REAL = sorted([*SEEDS.glob("*.txt"), *(DATA / "real").glob("*/articles/*.md"),
               *(DATA / "news-dev").glob("*/articles/*.txt")])


@pytest.fixture(scope="module")
def rules() -> RoleRules:
    checker = compiled_shapes(data_dir("shapes"), data_dir("ontology")).checker
    return RoleRules.from_shapes(checker.value_classes)


def test_the_rules_are_read_from_the_shapes(rules):
    actors = {"Actor", "Person", "Organization", "Country", "MilitaryUnit"}
    assert rules.admits["agent"] == actors
    assert rules.admits["claimant"] == actors
    assert rules.admits["participant"] == actors | {"Ship"}          # an sh:or of two classes
    assert rules.admits["place"] == {"Place", "MilitaryBase"}
    assert rules.admits["operator"] == actors


def _event(**roles) -> Event:
    return Event("Attack", 0, "struck", TimeExpression(0, 6, "Monday"), roles.get("agent"),
                 roles.get("participants", ()), roles.get("places", ()), 0.8)


ENTITIES = {"houthis": Entity("houthis", "Houthis", "Organization"), "yemen": Entity("yemen", "Yemen", "Country"),
            "wales": Entity("wales", "Wales", "Place"), "galaxy": Entity("galaxy", "Galaxy", "Ship"),
            "aden": Entity("aden", "Aden", "Place")}


def _result(events=(), claims=()) -> ArticleResult:
    return ArticleResult(Article("a", "", "a.txt"), (), (), tuple(events), tuple(claims))


def test_a_role_that_fits_is_kept_and_one_that_does_not_is_dropped_and_told(rules):
    event = _event(agent="houthi", participants=("houthis", "galaxy", "aden"), places=("houthis", "aden"))
    fitted = fit(_result([event]), {"houthi": "houthis"}, ENTITIES, rules).events[0]
    assert fitted.agent == "houthi"                              # an organisation does things
    assert fitted.participants == ("houthis", "galaxy")          # a ship takes part; a place does not
    assert fitted.places == ("aden",)                            # "Houthi-controlled areas" is no place
    assert fitted.dropped == (DroppedRole("participant", "aden", "Place"),
                              DroppedRole("place", "houthis", "Organization"))


def test_a_place_never_claims_a_number(rules):
    claim = Claim(7_000_000, "households", 0, 0, 9, "7,000,000", "wales", None, None, "r", 0.5)
    fitted = fit(_result(claims=[claim]), {}, ENTITIES, rules)
    assert fitted.claims[0].claimant is None
    assert dict(dropped_in(fitted)) == {"kgo:claimant to a kgo:Place": 1}


def test_nothing_to_drop_returns_the_result_itself(rules):
    result = _result([_event(agent="yemen", places=("aden",))])
    assert fit(result, {}, ENTITIES, rules) is result


def test_a_ship_operated_by_a_place_loses_the_operator(rules):
    ship = Entity("galaxy", "Galaxy", "Ship", operators=frozenset({"wales", "yemen"}))
    fitted, counts = fit_operators({**ENTITIES, "galaxy": ship}, rules)
    assert fitted["galaxy"].operators == {"yemen"}
    assert dict(counts) == {"kgo:operator to a kgo:Place": 1}


def _copy(paths, folder: Path) -> Path:
    folder.mkdir()
    for p in paths:
        shutil.copy(p, folder / f"{p.parent.parent.name}-{p.name}")
    return folder


def test_every_real_article_builds_in_one_conforming_store(tmp_path):
    store = tmp_path / "s"
    report = build(REAL, Settings(store=store, jobs=2))
    assert report.ok, report.failures + report.left_out + [report.validation_text]
    assert len(report.articles) == len(REAL) >= 60
    assert validate_store(Settings(store=store), engine="pyshacl").conforms      # the reference engine agrees


@hsettings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(REAL).flatmap(lambda order: st.integers(1, len(order)).map(lambda n: order[:n])))
def test_any_subset_in_any_order_conforms(tmp_path_factory, articles):
    store = tmp_path_factory.mktemp("subset") / "s"
    report = build(articles, Settings(store=store))
    assert report.ok, report.failures + report.left_out + [report.validation_text]
    assert not report.left_out


# ------------------------------------------------------------------ a violation kg cannot mend
POISON = """
kgs:PoisonShape a sh:NodeShape ;
    sh:targetClass kgo:Article ;
    sh:property [ sh:path kgo:sourceFile ; sh:pattern "^(?!poison)" ;
                  sh:message "Test shape: no article from a file named poison*." ] .
"""


@pytest.fixture
def poisoned(tmp_path, monkeypatch) -> Path:
    """Shapes that one article breaks whatever kg does: its file name (the articles left out are
    named by file, and the others are built)."""
    return _poisoned_corpus(tmp_path, monkeypatch, POISON)


def _poisoned_corpus(tmp_path: Path, monkeypatch, shape: str) -> Path:
    """The seeds and a copy of one named poison-article.txt, built with kg's shapes and ``shape``."""
    shapes = tmp_path / "shapes"
    shutil.copytree(data_dir("shapes"), shapes)
    with open(shapes / "kg-shapes.ttl", "a", encoding="utf-8") as out:
        out.write(shape)
    import kg.config

    real = kg.config.data_dir
    monkeypatch.setattr(kg.config, "data_dir", lambda name: shapes if name == "shapes" else real(name))
    corpus = _copy(sorted(SEEDS.glob("*.txt")), tmp_path / "corpus")
    shutil.copy(SEEDS / "003_ee409ff46c783017.txt", corpus / "poison-article.txt")
    return corpus


def test_an_article_that_breaks_a_shape_is_left_out_and_named(tmp_path, poisoned):
    store = tmp_path / "s"
    report = build([poisoned], Settings(store=store))
    assert not report.ok and report.conforms
    assert len(report.left_out) == 1
    assert report.left_out[0].startswith(str(poisoned / "poison-article.txt") + ": ")
    assert "no article from a file named poison" in report.left_out[0]
    assert len(report.articles) == 5
    files = kgstore.select(kgstore.open_read(store), "SELECT ?f WHERE { ?a kgo:sourceFile ?f }").rows
    assert sorted(f for ((_, f),) in files) == sorted(p.name for p in poisoned.iterdir() if "poison" not in p.name)
    assert validate_store(Settings(store=store)).conforms


SPREAD_POISON = """
kgs:SpreadPoisonShape a sh:NodeShape ;
    sh:targetClass kgo:Actor ;
    sh:property [ sh:path kgo:mentionedIn ; sh:pattern "^(?!.*/article/poison)" ;
                  sh:message "Test shape: no actor mentioned in an article from a file named poison*." ] .
"""


def test_a_value_checked_where_it_was_written_still_leaves_its_article_out(tmp_path, monkeypatch):
    """An actor's article links are checked in the batch that writes them, not read back from the
    store (kg.store.SpreadView): one that breaks a shape leaves out the one article that wrote it,
    not every article that mentions the actor."""
    corpus = _poisoned_corpus(tmp_path, monkeypatch, SPREAD_POISON)
    store = tmp_path / "s"
    report = build([corpus], Settings(store=store))
    assert report.conforms and [line.split(": ")[0] for line in report.left_out] == [str(corpus / "poison-article.txt")]
    assert "no actor mentioned in an article from a file named poison" in report.left_out[0]
    assert len(report.articles) == 5
    assert validate_store(Settings(store=store)).conforms


def test_strict_keeps_the_all_or_nothing_build(tmp_path, poisoned):
    store = tmp_path / "s"
    assert build([SEEDS], Settings(store=store)).ok
    before = kgstore.dump(kgstore.open_read(store), "nquads")
    report = build([poisoned], Settings(store=store, strict=True))
    assert not report.conforms and not report.left_out
    assert "poison" in report.validation_text
    assert kgstore.dump(kgstore.open_read(store), "nquads") == before


def test_kg_add_leaves_out_the_article_and_adds_the_rest(tmp_path, poisoned, good_dir):
    store = tmp_path / "s"
    assert build([SEEDS], Settings(store=store)).ok
    report = add([poisoned / "poison-article.txt", good_dir / "meeting.md"], Settings(store=store))
    assert not report.ok and report.conforms
    assert [line.split(": ")[0] for line in report.left_out] == [str(poisoned / "poison-article.txt")]
    files = {f for ((_, f),) in kgstore.select(kgstore.open_read(store),
                                               "SELECT ?f WHERE { ?a kgo:sourceFile ?f }").rows}
    assert "meeting.md" in files and "poison-article.txt" not in files and len(files) == 6


def test_the_command_line_names_the_article_and_exits_1(tmp_path, poisoned):
    from kg.cli import main

    result = CliRunner().invoke(main, ["build", str(poisoned), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1, result.output
    assert f"Error: {poisoned / 'poison-article.txt'}: left out of the build" in result.stderr
    assert "Built 5 article(s)" in result.stdout
    strict = CliRunner().invoke(main, ["build", str(poisoned), "--store", str(tmp_path / "t"), "--strict"])
    assert strict.exit_code == 1 and "does not conform" in strict.stderr
    assert not (tmp_path / "t").exists()


def _wales(tmp_path) -> Path:
    """A claim given to Wales ("according to Wales"), where the rest of the corpus types Wales
    as a place (the pattern of a real sentence, "the recent experience of Wales indicated seven
    million households in England would pay more", which an earlier model read so)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tax.txt").write_text("Council tax rises\n\nThe opposition leader spoke on Monday. He said the recent "
                                    "experience of Wales indicated seven million households would pay more, according to Wales.\n",
                                    encoding="utf-8")
    (corpus / "rugby.txt").write_text("Rugby\n\nThe match in Wales was won by Ireland. Fans travelled to Wales "
                                      "from Dublin. Rain fell in Wales.\n", encoding="utf-8")
    (corpus / "weather.txt").write_text("Weather\n\nStorms hit Wales on Monday. Roads in Wales were closed. "
                                        "Schools in Wales shut.\n", encoding="utf-8")
    return corpus


def test_the_build_counts_and_explains_what_it_dropped(tmp_path):
    report = build([_wales(tmp_path)], Settings(store=tmp_path / "s"))
    assert report.ok, report.failures + report.left_out + [report.validation_text]
    assert report.dropped_roles == {"kgo:claimant to a kgo:Place": 1}
    st_ = kgstore.open_read(tmp_path / "s")
    told = sorted(d for ((_, _s), (_, d)) in kgstore.select(st_, "SELECT ?s ?d WHERE { ?s kgo:droppedRole ?d }").rows)
    assert len(told) == 2                   # on the claim and on the entity
    assert told[0].startswith("kgo:claimant <https://w3id.org/kg/id/wales>: the entity is a kgo:Place")
    assert told[1].startswith("kgo:claimant of <https://w3id.org/kg/id/claim/tax/unattributed-7000000-")
    from kg.explain import explain, render

    assert "kgo:droppedRole: kgo:claimant of" in render(explain(st_, "Wales", "https://w3id.org/kg/id/"))


def test_the_command_line_prints_the_dropped_links(tmp_path):
    from kg.cli import main

    result = CliRunner().invoke(main, ["build", str(_wales(tmp_path)), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "Dropped 1 role link(s)" in result.stderr and "(1 kgo:claimant to a kgo:Place)" in result.stderr

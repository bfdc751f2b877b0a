"""Building stores end to end: seeds, determinism, add, failures that must lose nothing."""
import random
import shutil

import pyoxigraph as ox
import pytest

from kg import store as kgstore
from kg.pipeline import add, build, validate_store
from kg.queries import stats
from kg.config import Settings
from kg.errors import StoreLocked
from kg.resources import data_dir
from kg.terms import iri, literal, nquad, nquads_chunks
from kg.validate import compiled_shapes
from kg.vocab import KGO_NS, RDFS_NS

from conftest import DATA, SEEDS

NIS = "https://w3id.org/kg/id/national-intelligence-service"


def _rows(store_path, sparql):
    return kgstore.run_query(kgstore.open_read(store_path), sparql, "rows").rows


def test_build_seeds_hold_the_nis_claim_with_evidence(seeds_store):
    rows = _rows(seeds_store, f"""
        SELECT ?text ?article WHERE {{
          ?c a kgo:Claim ; kgo:claimant <{NIS}> ; kgo:quantity 12000 ; kgo:quantityKind "troops" ;
             kgo:evidence ?ev ; kgo:reportedIn ?article .
          ?ev kgo:sentenceText ?text ; kgo:inArticle ?article }}""")
    texts = {text for (_, text), _ in rows}
    assert any("12,000" in t for t in texts)
    assert len({a for _, (_, a) in rows}) >= 3              # several articles report it


def test_build_union_default_graph_sees_each_triple_once(seeds_store):
    [[(_, total)]] = _rows(seeds_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    [[(_, distinct)]] = _rows(seeds_store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert total == distinct


def test_build_twice_gives_identical_nquads(seeds_store, tmp_path):
    again = tmp_path / "again"
    assert build([SEEDS], Settings(store=again)).ok
    assert kgstore.dump(kgstore.open_read(again), "nquads") == kgstore.dump(kgstore.open_read(seeds_store), "nquads")


def test_build_article_order_does_not_change_the_graph(seeds_store, tmp_path):
    files = sorted(SEEDS.glob("*.txt"))
    random.Random(7).shuffle(files)
    folder = tmp_path / "shuffled"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    store = tmp_path / "s"
    assert build(list(reversed(sorted(folder.iterdir()))), Settings(store=store)).ok
    assert kgstore.dump(kgstore.open_read(store), "nquads") == kgstore.dump(kgstore.open_read(seeds_store), "nquads")


def test_build_bad_files_reported_others_built(tmp_path, good_dir):
    store = tmp_path / "s"
    report = build([good_dir, DATA / "bad"], Settings(store=store))
    assert not report.ok and report.conforms
    assert len(report.failures) == 8
    assert len(report.articles) == 5                          # 4 good + the good JSONL line of the bad file
    assert stats(Settings(store=store))["Article"] == 5


def test_build_nothing_readable_leaves_store_alone(tmp_path, good_dir):
    store = tmp_path / "s"
    assert build([good_dir], Settings(store=store)).ok
    before = kgstore.dump(kgstore.open_read(store), "nquads")
    report = build([DATA / "bad" / "empty.txt"], Settings(store=store))
    assert not report.ok and "the store was not changed" in report.failures[-1]
    assert kgstore.dump(kgstore.open_read(store), "nquads") == before


def test_build_interrupted_leaves_the_old_store(tmp_path, good_dir, monkeypatch):
    store = tmp_path / "s"
    assert build([good_dir], Settings(store=store)).ok
    before = kgstore.dump(kgstore.open_read(store), "nquads")

    real = kgstore.load_nquads

    def crash(store, chunks, bulk=True):
        def half():
            yield next(iter(chunks))                           # part of the graph is written
            raise KeyboardInterrupt
        real(store, half(), bulk=bulk)
    monkeypatch.setattr(kgstore, "load_nquads", crash)
    with pytest.raises(KeyboardInterrupt):
        build([SEEDS], Settings(store=store))
    assert kgstore.dump(kgstore.open_read(store), "nquads") == before
    assert not list(tmp_path.glob("s.new-*"))                 # the half-written build was removed


@pytest.mark.parametrize("check_batch, jobs", [(None, 1), (3, 2)])   # checked here, or by two processes
def test_build_invalid_graph_is_not_stored(tmp_path, good_dir, monkeypatch, check_batch, jobs):
    import sys

    from kg.terms import iri, literal
    store = tmp_path / "s"
    assert build([good_dir], Settings(store=store)).ok
    before = kgstore.dump(kgstore.open_read(store), "nquads")
    module = sys.modules["kg.pipeline"]
    real = module.entity_quads
    bad = (iri(NIS), iri("http://www.w3.org/2000/01/rdf-schema#label"), literal("NIS"),
           iri("https://w3id.org/kg/id/graph/entities"))
    monkeypatch.setattr(module, "entity_quads", lambda *a: [*real(*a), bad])
    if check_batch:
        monkeypatch.setattr(module, "CHECK_BATCH", check_batch)
    report = build([SEEDS], Settings(store=store, jobs=jobs))
    assert not report.conforms
    assert "national-intelligence-service" in report.validation_text
    assert "exactly one canonical label" in report.validation_text
    assert kgstore.dump(kgstore.open_read(store), "nquads") == before


def test_add_articles_to_existing_store(tmp_path, good_dir):
    store = tmp_path / "s"
    assert build([SEEDS], Settings(store=store)).ok
    before = stats(Settings(store=store))
    report = add([good_dir / "meeting.md"], Settings(store=store))
    assert report.ok, report.failures + [report.validation_text]
    after = stats(Settings(store=store))
    assert after["Article"] == before["Article"] + 1
    rows = _rows(store, "SELECT ?l WHERE { <https://w3id.org/kg/id/lloyd-austin> rdfs:label ?l }")
    assert rows == ((("literal", "Lloyd Austin"),),)
    # adding the same article again replaces it: nothing doubles
    assert add([good_dir / "meeting.md"], Settings(store=store)).ok
    assert stats(Settings(store=store)) == after
    assert validate_store(Settings(store=store)).conforms


def test_add_to_missing_store_is_an_error(tmp_path, good_dir):
    from kg.errors import StoreError
    with pytest.raises(StoreError, match="no kg store here"):
        add([good_dir], Settings(store=tmp_path / "none"))


def test_add_to_a_damaged_store_says_so_and_leaves_it_as_it_was(tmp_path, good_dir):
    from kg.errors import StoreError
    store = tmp_path / "s"
    build([good_dir], Settings(store=store))
    (store / "CURRENT").write_text("MANIFEST-999999\n")       # names a manifest that is not there
    before = sorted((f.name, f.stat().st_size) for f in store.iterdir())
    with pytest.raises(StoreError, match="cannot open the store"):
        add([good_dir / "meeting.md"], Settings(store=store))
    assert sorted((f.name, f.stat().st_size) for f in store.iterdir()) == before
    assert not list(tmp_path.glob("s.new-*"))


def test_store_second_writer_is_refused(tmp_path):
    with kgstore.write_lock(tmp_path / "s"):
        with pytest.raises(StoreLocked, match="another kg process is writing"):
            with kgstore.write_lock(tmp_path / "s"):
                pass


def test_store_will_not_replace_a_folder_that_is_not_a_store(tmp_path, good_dir):
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    from kg.errors import StoreError
    with pytest.raises(StoreError, match="not a kg store"):
        build([good_dir], Settings(store=precious))
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_store_ontology_graph_loaded_for_subclass_queries(seeds_store):
    rows = _rows(seeds_store, "SELECT (COUNT(?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* kgo:Actor }")
    assert int(rows[0][0][1]) > 20


def test_store_export_formats_parse_back(seeds_store):
    st = kgstore.open_read(seeds_store)
    n_quads = len(st)
    for fmt, oxfmt in [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG), ("jsonld", ox.RdfFormat.JSON_LD)]:
        back = ox.Store()
        back.load(kgstore.dump(st, fmt), format=oxfmt)
        assert len(back) == n_quads, fmt
    back = ox.Store()
    back.load(kgstore.dump(st, "turtle"), format=ox.RdfFormat.TURTLE)
    [[(_, distinct)]] = kgstore.run_query(st, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                                          "rows").rows
    assert len(back) == int(distinct)


def test_build_every_node_read_from_text_has_a_confidence(seeds_store):
    """Entities and events through their kgo:Mention; claims directly."""
    rows = _rows(seeds_store, """
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
          ?x a ?c . ?c rdfs:subClassOf* ?top . VALUES ?top { kgo:Actor kgo:Place kgo:Ship kgo:Event }
          FILTER NOT EXISTS { ?m kgo:mentionOf ?x ; kgo:confidence ?conf } }""")
    assert rows[0][0][1] == "0"
    rows = _rows(seeds_store, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a kgo:Claim FILTER NOT EXISTS { ?c kgo:confidence ?x } }")
    assert rows[0][0][1] == "0"


def test_add_replacing_an_article_drops_what_only_it_named(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / "note.txt"
    article.write_text("---\npublished: 2024-10-18\n---\nForeign Minister Andrii Sybiha met Lloyd Austin in Brussels on Friday.\n")
    store = tmp_path / "s"
    assert build([folder], Settings(store=store)).ok
    def ask(q):
        return kgstore.run_query(kgstore.open_read(store), q, "rows")
    assert ask("ASK { ?x rdfs:label 'Andrii Sybiha' }") is True
    article.write_text("---\npublished: 2024-10-18\n---\nLloyd Austin spoke in Brussels on Friday.\n")
    assert add([article], Settings(store=store)).ok
    assert ask("ASK { ?x rdfs:label 'Andrii Sybiha' }") is False
    assert ask("ASK { ?x rdfs:label 'Lloyd Austin' }") is True
    assert validate_store(Settings(store=store)).conforms


def test_article_counts_of_a_new_store_are_exact_counted_in_batches(tmp_path, monkeypatch):
    """A build counts its nodes' mentions COUNT_BATCH nodes at a time: one at a time, every batch's
    counts still land, and only the nodes described get one."""
    monkeypatch.setattr(kgstore, "COUNT_BATCH", 1)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Kyiv was shelled on 3 March 2024, the Ukrainian Air Force said.\n")
    (tmp_path / "a" / "two.txt").write_text("The Ukrainian Air Force said Kharkiv was struck on 4 March 2024.\n")
    assert build([tmp_path / "a"], Settings(store=tmp_path / "s")).ok
    st = kgstore.open_read(tmp_path / "s")
    kept = dict(kgstore.select(st, """SELECT ?e ?n WHERE {
        GRAPH <https://w3id.org/kg/id/graph/entities> { ?e kgo:articleCount ?n } }""").rows)
    counted = dict(kgstore.select(st, """SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE {
        GRAPH <https://w3id.org/kg/id/graph/entities> { ?e a ?t } ?e kgo:mentionedIn ?a } GROUP BY ?e""").rows)
    assert kept == counted and len(kept) >= 3
    assert kept[("iri", "https://w3id.org/kg/id/ukrainian-air-force")] == ("literal", "2")


def test_article_counts_stay_exact_through_build_add_and_replace(tmp_path):
    """kgo:articleCount (kept for the entity-mentions query) equals the entity's kgo:mentionedIn."""
    store = tmp_path / "s"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Kyiv was shelled on 3 March 2024, the Ukrainian Air Force said.\n")
    (tmp_path / "a" / "two.txt").write_text("The Ukrainian Air Force said Kharkiv was struck on 4 March 2024.\n")
    assert build([tmp_path / "a"], Settings(store=store)).ok
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "three.txt").write_text("Drones were shot down near Kyiv, the Ukrainian Air Force said.\n")
    assert add([tmp_path / "b" / "three.txt"], Settings(store=store)).ok
    # one.txt replaced by a version that no longer names Kyiv
    (tmp_path / "b" / "one.txt").write_text("Odesa was shelled on 3 March 2024, the Ukrainian Air Force said.\n")
    assert add([tmp_path / "b" / "one.txt"], Settings(store=store)).ok

    st = kgstore.open_read(store)
    kept = dict(kgstore.select(st, """SELECT ?e ?n WHERE {
        GRAPH <https://w3id.org/kg/id/graph/entities> { ?e kgo:articleCount ?n } }""").rows)
    counted = dict(kgstore.select(st, """SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE {
        GRAPH <https://w3id.org/kg/id/graph/entities> { ?e a ?t } ?e kgo:mentionedIn ?a } GROUP BY ?e""").rows)
    assert kept == counted and len(kept) >= 4
    air_force = ("iri", "https://w3id.org/kg/id/ukrainian-air-force")
    assert kept[air_force] == ("literal", "3")
    assert kept[("iri", "https://w3id.org/kg/id/kyiv")] == ("literal", "1")


def test_tallies_after_adds_and_a_replacement_equal_a_fresh_build(tmp_path):
    """The co-mention, claim and troop place tallies kg add keeps equal the ones a build of the same files counts."""
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) >= 4
    folder = tmp_path / "in"
    folder.mkdir()
    for path in seeds[:3]:
        shutil.copy(path, folder / path.name)
    incremental = tmp_path / "incremental"
    assert build([folder], Settings(store=incremental)).ok
    shutil.copy(seeds[3], folder / seeds[3].name)
    assert add([folder / seeds[3].name], Settings(store=incremental)).ok
    # the first article again, without its second half: pairs and claims it no longer tells go down or away
    first = folder / seeds[0].name
    text = first.read_text(encoding="utf-8")
    first.write_text(text[: len(text) // 2], encoding="utf-8")
    assert add([first], Settings(store=incremental)).ok
    fresh = tmp_path / "fresh"
    assert build([folder], Settings(store=fresh)).ok

    def tallies(store):
        st = kgstore.open_read(store)
        return sorted(str(q) for q in st.quads_for_pattern(None, None, None,
                                                           ox.NamedNode("https://w3id.org/kg/id/graph/tallies")))
    kept, counted = tallies(incremental), tallies(fresh)
    assert kept == counted
    assert sum("CoMention" in q for q in kept) >= 20 and sum("ClaimTally" in q for q in kept) >= 5
    assert sum("TroopPlaceTally" in q for q in kept) >= 3 and sum("PublisherTally" in q for q in kept) >= 1
    assert validate_store(Settings(store=incremental)).conforms


def test_add_compacts_once_small_files_gather(tmp_path, monkeypatch):
    """Adds leave small files that slow every query; past the bound, an add compacts them,
    and the graph is the same either way. The decision is observed, not the file count: RocksDB's
    own background compactions and flushes make the count after an add vary from run to run."""
    seeds = sorted(SEEDS.glob("*.txt"))
    real = kgstore.compact_if_fragmented
    decisions: dict[int, list[bool]] = {}

    def observed(store, path):
        compacted = real(store, path)
        decisions[kgstore.SMALL_FILES_BEFORE_COMPACTING].append(compacted)
        return compacted

    monkeypatch.setattr(kgstore, "compact_if_fragmented", observed)
    stores = {}
    for bound in (10_000, 0):
        monkeypatch.setattr(kgstore, "SMALL_FILES_BEFORE_COMPACTING", bound)
        decisions[bound] = []
        store = tmp_path / f"bound-{bound}"
        assert build(seeds[:2], Settings(store=store)).ok
        for path in seeds[2:4]:
            assert add([path], Settings(store=store)).ok
        stores[bound] = store
    assert decisions == {10_000: [False, False], 0: [True, True]}
    graphs = [sorted(str(q) for q in kgstore.open_read(s).quads_for_pattern(None, None, None, None))
              for s in stores.values()]
    assert graphs[0] == graphs[1]


def test_shared_descriptions_stream_in_chunks_that_join_to_the_whole():
    quads = [(iri(f"https://example.org/e{i}"), iri("http://www.w3.org/2000/01/rdf-schema#label"),
              literal(f"name {i}"), iri("https://example.org/g")) for i in range(1000)]
    count = [0]
    chunks = list(nquads_chunks(iter(quads), count, size=5000))
    assert len(chunks) > 10 and all(len(c) < 5200 for c in chunks[:-1])
    assert b"".join(chunks) == "".join(map(nquad, quads)).encode() and count == [1000]


def test_spooled_text_reads_back_whole_in_chunks_that_end_with_a_line(tmp_path):
    from kg.spool import Spool, read_lines

    lines = [f"<https://example.org/e{i}> <https://example.org/p> \"{'x' * (i % 37)}\" .\n".encode()
             for i in range(500)]
    with Spool(tmp_path / "spool") as spool:
        path = spool.keep_text("t.nq", (b"".join(lines[i:i + 7]) for i in range(0, len(lines), 7)))
        chunks = list(read_lines(path, 1000))
    # a run of the bulk loader may end after any chunk: a chunk that ended mid-line would split a quad
    assert len(chunks) > 20 and all(c.endswith(b"\n") for c in chunks)
    assert b"".join(chunks) == b"".join(lines)


@pytest.mark.parametrize("loaders", [1, 2, 3])
def test_bulk_loads_in_small_runs_on_several_threads_hold_every_quad(tmp_path, seeds_store, loaders):
    whole = kgstore.dump(kgstore.open_read(seeds_store), "nquads")
    lines = whole.splitlines(keepends=True)
    chunks = [b"".join(lines[i:i + 100]) for i in range(0, len(lines), 100)]
    store = kgstore.open_write(tmp_path / "s")
    # a run every two or three chunks: tens of runs, fed to the threads in turn
    kgstore.load_nquads(store, iter(chunks), run_bytes=loaders * 2 * max(map(len, chunks)), loaders=loaders)
    assert kgstore.dump(store, "nquads") == whole


@pytest.mark.parametrize("failure", ["in the text made", "in the text read"])
def test_a_failing_run_fails_the_load_with_its_own_error_and_no_loader_left(tmp_path, failure):
    import threading

    good = [f"<https://example.org/e{i}> <https://example.org/p> \"{i}\" <https://example.org/g> .\n".encode()
            for i in range(50)]

    def chunks():
        yield from good[:4]
        if failure == "in the text made":
            raise OSError(28, "No space left on device")
        yield b"<https://example.org/e> <https://example.org/p> not a term .\n"   # in the second thread's run
        yield from good[4:]
    before = threading.active_count()
    with pytest.raises(OSError if failure == "in the text made" else SyntaxError) as caught:
        kgstore.load_nquads(kgstore.open_write(tmp_path / "s"), chunks(), run_bytes=2 * 3 * len(good[0]), loaders=2)
    assert ("No space left" if failure == "in the text made" else "must be an IRI") in str(caught.value)
    assert threading.active_count() == before


def test_every_entity_and_event_carries_the_classes_above_its_own(seeds_store, tmp_path, good_dir):
    """`?x a kgo:Actor` finds every actor (the same nodes as following rdfs:subClassOf), and a
    kg add keeps each known entity's own class."""
    def count(st, pattern):
        return int(kgstore.select(st, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}").rows[0][0][1])

    st = kgstore.open_read(seeds_store)
    for cls in ("Actor", "Organization", "Place", "Event"):
        assert count(st, f"?x a kgo:{cls}") == count(st, f"?x a/rdfs:subClassOf* kgo:{cls}") > 0, cls
    store = tmp_path / "s"
    shutil.copytree(seeds_store, store)
    assert add([good_dir / "meeting.md"], Settings(store=store)).ok
    types = {t for ((_, t),) in kgstore.select(kgstore.open_read(store),
                                                "SELECT ?t WHERE { <https://w3id.org/kg/id/yoon-suk-yeol> a ?t }").rows}
    assert types == {"https://w3id.org/kg/ontology#Person", "https://w3id.org/kg/ontology#Actor"}


def test_a_node_s_own_class_is_the_one_no_other_of_its_classes_lies_below():
    from kg.pipeline import _most_specific, supertypes_of
    from kg.resources import data_dir
    from kg.validate import compiled_shapes
    from kg.vocab import KGO_NS

    checker = compiled_shapes(data_dir("shapes"), data_dir("ontology")).checker
    assert supertypes_of(checker)["MilitaryUnit"] == ("Actor", "Organization")
    assert supertypes_of(checker)["Attack"] == ("Event",)
    assert supertypes_of(checker)["Ship"] == ()
    for own, above in (("MilitaryUnit", ("Actor", "Organization")), ("Person", ("Actor",)),
                       ("MilitaryBase", ("Place",)), ("Place", ())):
        assert _most_specific(frozenset({KGO_NS + own, *(KGO_NS + a for a in above)}), checker) == KGO_NS + own


def test_a_view_over_many_graphs_reads_each_node_once_and_sees_only_those_graphs(seeds_store):
    """kg add checks its shared graphs and every article it replaces: one lookup per graph had made
    a 2,000-article kg add take 495 s (24 s now); a lookup in all graphs, kept to the view's."""
    st = kgstore.open_read(seeds_store)

    class Counting:
        calls = 0

        def quads_for_pattern(self, *args):
            Counting.calls += 1
            return st.quads_for_pattern(*args)

    articles = sorted(g for g in kgstore.graph_names(st) if "/article/" in g)
    shared = ["https://w3id.org/kg/id/graph/entities", "https://w3id.org/kg/id/graph/events"]
    node = ("iri", "https://w3id.org/kg/id/north-korea", "", "")
    many = kgstore.StoreView(Counting(), shared + articles[:3] + [f"https://example.org/none/{i}" for i in range(20)])
    described = many.describe(node)
    assert Counting.calls == 1
    one_by_one = {}
    for g in shared + articles[:3]:
        for p, values in kgstore.StoreView(st, [g]).describe(node).items():
            one_by_one.setdefault(p, set()).update(values)
    assert described == one_by_one and len(described) > 3
    assert "https://w3id.org/kg/ontology#mentionedIn" in described        # from the articles kept
    in_other = kgstore.StoreView(st, shared + articles[3:] + [f"https://example.org/none/{i}" for i in range(20)])
    assert in_other.describe(node) != described                          # another set of graphs, other values


def test_the_shared_nodes_view_reads_one_value_of_the_spread_paths_and_all_the_rest(seeds_store):
    """A new build's entities and events are checked against the store with their evidence and
    article links read as far as one value (those values were checked as each batch wrote them):
    at 100k articles, reading them all was four fifths of the check."""
    st = kgstore.open_read(seeds_store)
    evidence, mentioned = KGO_NS + "evidence", KGO_NS + "mentionedIn"
    home = ["https://w3id.org/kg/id/graph/entities", "https://w3id.org/kg/id/graph/events"]
    node = ("iri", "https://w3id.org/kg/id/north-korea", "", "")
    whole = kgstore.StoreView(st).describe(node)
    spread = kgstore.SpreadView(st, home, {evidence, mentioned})
    described = spread.describe(node)
    assert len(whole[evidence]) > 1 and len(whole[mentioned]) > 1
    assert len(described[evidence]) == 1 and described[evidence] <= whole[evidence]
    assert len(described[mentioned]) == 1 and described[mentioned] <= whole[mentioned]
    rest = {p: v for p, v in whole.items() if p not in (evidence, mentioned)}
    assert {p: v for p, v in described.items() if p not in (evidence, mentioned)} == rest
    assert spread.whole.describe(node) == whole              # a violation's report names every article


def test_only_paths_without_an_upper_bound_are_checked_part_by_part(tmp_path):
    checker = compiled_shapes(data_dir("shapes"), data_dir("ontology")).checker
    spreadable = checker.spreadable_paths()
    assert {KGO_NS + "evidence", KGO_NS + "mentionedIn"} <= spreadable
    assert RDFS_NS + "label" not in spreadable                        # exactly one: a count of the whole
    assert KGO_NS + "startOffset" not in spreadable and KGO_NS + "endOffset" not in spreadable   # compared
    shapes = tmp_path / "shapes"
    shutil.copytree(data_dir("shapes"), shapes)
    with open(shapes / "kg-shapes.ttl", "a", encoding="utf-8") as out:
        out.write("kgs:Bounded a sh:NodeShape ; sh:targetClass kgo:Actor ;\n"
                  "    sh:property [ sh:path kgo:evidence ; sh:maxCount 500 ] .\n")
    bounded = compiled_shapes(shapes, data_dir("ontology")).checker
    assert KGO_NS + "evidence" not in bounded.spreadable_paths()
    assert KGO_NS + "mentionedIn" in bounded.spreadable_paths()

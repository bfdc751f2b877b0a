from collections import Counter

from hypothesis import given, strategies as st

import kg.resolve
from kg.model import Article, ArticleResult, Mention
from kg.resolve import NEIGHBOURS, KnownEntity, _counts, _tally, _top, _total, resolve


def _result(article_id, *mentions):
    ms = tuple((0, Mention(0, len(t), t, key, label, type_, rule, 0.8)) for t, key, label, type_, rule in mentions)
    return ArticleResult(Article(article_id, "x", article_id), (), ms, (), ())


def test_resolve_same_result_whatever_the_order():
    a = _result("a", ("Kim Seon Ho", "kim seon ho", "Kim Seon Ho", "Person", "title-person"))
    b = _result("b", ("Kim Seon-ho", "kim seon ho", "Kim Seon-ho", "Person", "title-person"),
                ("Kim Seon-ho", "kim seon ho", "Kim Seon-ho", "Person", "title-person"))
    one, alias1 = resolve([a, b])
    two, alias2 = resolve([b, a])
    assert {k: (e.label, sorted(e.alt_labels)) for k, e in one.items()} == \
           {k: (e.label, sorted(e.alt_labels)) for k, e in two.items()}
    assert one["kim seon ho"].label == "Kim Seon-ho"          # the most frequent spelling
    assert one["kim seon ho"].alt_labels == {"Kim Seon Ho"}


def test_resolve_merges_a_name_written_run_together_but_not_across_types():
    a = _result("a", ("Las Anod", "las anod", "Las Anod", "Place", "place-preposition"),
                ("Las Anod", "las anod", "Las Anod", "Place", "place-preposition"),
                ("LasAnod", "lasanod", "LasAnod", "Place", "evidence"))
    b = _result("b", ("Northwest", "northwest", "Northwest", "Place", "evidence"),
                ("North West", "north west", "North West", "Organization", "evidence"))
    entities, alias = resolve([a, b])
    assert alias["lasanod"] == "las anod" and entities["las anod"].alt_labels == {"LasAnod"}
    assert alias["north west"] == "north west" and alias["northwest"] == "northwest"


def test_resolve_run_together_takes_the_spellings_merged_into_the_loser_along():
    def place(text, key):
        return (text, key, text, "Place", "evidence")
    a = _result("a", place("Las Anod", "las anod"), place("Las Anod", "las anod"), place("Las Anodd", "las anodd"),
                *[place("LasAnod", "lasanod")] * 3)
    entities, alias = resolve([a])
    assert set(alias.values()) == {"lasanod"} and list(entities) == ["lasanod"]


def test_resolve_never_merges_people_on_a_surname():
    r = _result("a", ("Kim Yong-hyun", "kim yong hyun", "Kim Yong-hyun", "Person", "title-person"),
                ("Kim Yong-hun", "kim yong hun", "Kim Yong-hun", "Person", "title-person"),
                ("Kim Jong Il", "kim jong il", "Kim Jong Il", "Person", "title-person"),
                ("Kim Jong Un", "kim jong un", "Kim Jong Un", "Person", "lexicon"))
    entities, alias = resolve([r])
    assert alias["kim jong il"] == "kim jong il"              # a different person
    assert alias["kim yong hun"] == alias["kim yong hyun"]    # a transliteration of the same one


def test_resolve_never_merges_names_on_their_boilerplate_or_across_numbers():
    def unit(name):
        return (name, name.lower(), name, "MilitaryUnit", "unit-head")

    def ship(name):
        return (name, name.lower(), name, "Ship", "ship-prefix")
    r = _result("a", unit("47th Mechanized Brigade"), unit("41st Mechanized Brigade"),
                unit("94th Rosri Battalion"), unit("94th Naros Battalion"),
                ship("Scarlet Ray"), ship("Scarlet Bay"), ship("Zelhan Linros"), ship("Zelhan Linri"))
    entities, alias = resolve([r])
    assert alias["41st mechanized brigade"] != alias["47th mechanized brigade"]      # two numbers, two units
    assert alias["94th naros battalion"] != alias["94th rosri battalion"]            # alike only in "94th ... Battalion"
    assert alias["zelhan linri"] != alias["zelhan linros"]
    assert alias["scarlet bay"] == alias["scarlet ray"]                              # one letter apart: a typo
    assert len({alias[k] for k in alias}) == len(entities) == 7


def test_resolve_in_a_large_block_finds_spellings_differing_early_or_late_comparing_few(monkeypatch):
    # 400 ships of one block (same type, first letter and word count), three of them misspelt;
    # syllables two letters apart, so that each misspelling is near one name only
    syllables = ["bak", "cel", "dim", "fon", "gur", "hys", "jat", "kep", "lix", "mov"]
    names = [f"Mar{a}{b} {c}{d}n" for a in syllables for b in syllables for c in syllables[:2] for d in syllables[:2]]
    assert len(set(names)) == 400 > 2 * NEIGHBOURS + 1
    # each misspelling seen once, its name twice: the misspelling is the one merged into the other
    typos = {"Marbakcel bakceln": "Marbakcel bakcelnx",     # the end differs: sorts beside it
             "Mardimfon celbakn": "Mardinfon celbakn",      # the first word differs, inside
             "Margurhys bakceln": "Margurhys pakceln"}      # the second word's first letter differs
    mentions = [("x", n.lower(), n, "Ship", "ship-prefix") for n in names for _ in range(2)]
    mentions += [("x", t.lower(), t, "Ship", "ship-prefix") for t in typos.values()]
    compared: list[int] = []
    extract = kg.resolve.process.extract

    def counting(query, choices, **kwargs):
        compared.append(len(choices))
        return extract(query, choices, **kwargs)
    monkeypatch.setattr(kg.resolve.process, "extract", counting)
    entities, alias = resolve([_result("a", *mentions)])
    for name, typo in typos.items():
        assert alias[typo.lower()] == name.lower()
    assert len(entities) == 400
    assert max(compared) <= 4 * NEIGHBOURS + 2          # neighbours in two orders, not the whole block


def test_resolve_type_from_most_frequent_reading():
    r = _result("a", ("Vladivostok", "vladivostok", "Vladivostok", "Place", "lexicon"),
                ("Vladivostok", "vladivostok", "Vladivostok", "MilitaryBase", "base-head"),
                ("Vladivostok", "vladivostok", "Vladivostok", "Place", "lexicon"))
    entities, _ = resolve([r])
    assert entities["vladivostok"].type == "Place"


def test_resolve_known_entities_keep_label_and_type():
    r = _result("a", ("Defence Express", "defence express", "Defence Express", "Organization", "org-head"))
    entities, _ = resolve([r], {"defence express": KnownEntity("defence express", "Defense Express", "Organization")})
    assert entities["defence express"].label == "Defense Express"
    assert entities["defence express"].alt_labels == {"Defence Express"}


def test_resolve_fuzzy_threshold_makes_no_wrong_merge_on_labelled_pairs():
    """benchmarks/data/name_pairs.tsv: spellings of one entity, and near-misses that are others."""
    from rapidfuzz import fuzz

    from kg.resolve import _same_words
    from kg.text import FUZZY_THRESHOLD, name_key

    from conftest import ROOT
    wrong, found, same_total = 0, 0, 0
    for line in (ROOT / "benchmarks" / "data" / "name_pairs.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, b, same = line.split("\t")
        a, b = name_key(a), name_key(b)
        merged = fuzz.ratio(a, b) >= FUZZY_THRESHOLD and (len(a.split()) < 2 or _same_words(a, b))
        wrong += merged and same == "0"
        found += merged and same == "1"
        same_total += same == "1"
    assert wrong == 0
    assert found / same_total >= 0.7


def test_index_tallies_count_as_counters_do():
    @given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["X", "Y", "Z"])), max_size=30))
    def check(seen):
        table, reference = {}, {}
        for key, value in seen:
            _tally(table, key, value)
            reference.setdefault(key, Counter())[value] += 1
        assert table.keys() == reference.keys()
        for key, counter in reference.items():
            assert _counts(table[key]) == counter
            assert _total(table[key]) == sum(counter.values())
            assert _top(table[key]) == counter.most_common(1)[0][0]

    check()


def test_resolve_types_a_name_by_the_confidence_of_its_readings_not_their_number():
    def reading(type_, confidence):
        return (0, Mention(0, 5, "Hamas", "hamas", "Hamas", type_, "evidence", confidence))
    strong = ArticleResult(Article("a", "x", "a"), (), (reading("Organization", 0.72),), (), ())
    weak = ArticleResult(Article("b", "x", "b"), (), (reading("Place", 0.5), reading("Person", 0.5)), (), ())
    entities, _ = resolve([strong, weak])
    assert entities["hamas"].type == "Organization"       # by number, Person would win the tie

"""Property-based tests (hypothesis) of ingest, sentences, dates and numbers on random and
adversarial text: no exception escapes, and offsets always point into the text."""
import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.errors import InputError
from kg.extract.claims import parse_number
from kg.extract.dates import find_dates
from kg.ingest import html, jsonl, text as text_reader
from kg.model import Article
from kg.rdf import url_term
from kg.text import MAX_SENTENCE, split_sentences

# text with the characters the rules care about: capitals, full stops, quotes, dashes, digits, newlines
PIECES = list("Aa Kk Zz.,;:!?\"“”'’-—()[]0123456789\n\t\r") + ["Mr.", "U.S.", " on Friday", " 12,000 ", "1e308",
                                                                   " July ", "Kim Jong Un", " said ", "\u00a0"]
NEWSY = st.lists(st.sampled_from(PIECES), max_size=200).map("".join)
ANY = st.text(max_size=400)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.one_of(NEWSY, ANY))
def test_sentences_cover_the_text_in_order_and_stay_bounded(text):
    sentences = split_sentences(text)
    last = 0
    for s in sentences:
        assert last <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text
        assert len(s.text) <= MAX_SENTENCE
        last = s.end
    assert "".join(text.split()) == "".join("".join(s.text.split()) for s in sentences)


@FAST
@given(st.one_of(NEWSY, ANY), st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))))
def test_dates_never_raise_and_stay_in_their_sentence(text, published):
    for s in split_sentences(text):
        for t in find_dates(text, s, published):
            assert s.start <= t.start < t.end <= s.end


@FAST
@given(st.one_of(NEWSY, st.from_regex(r"[0-9][0-9,.]{0,60}( (hundred|thousand|million|billion)){0,3}", fullmatch=True),
                 st.from_regex(r"(one|two|twenty|hundred|thousand|million|and| |-){1,30}", fullmatch=True)))
def test_numbers_parse_or_are_refused_never_raise(text):
    value = parse_number(text)
    assert value is None or 0 <= value < 10 ** 13


@FAST
@given(st.one_of(NEWSY, ANY), st.dictionaries(st.sampled_from(["title", "url", "published", "publisher", "x"]),
                                              st.one_of(NEWSY, ANY), max_size=4))
def test_front_matter_reads_or_reports(body, meta):
    raw = "---\n" + "".join(f"{k}: {v.splitlines()[0] if v.splitlines() else v}\n" for k, v in meta.items()) + "---\n" + body
    for item in text_reader.read(Path("a.md"), raw.encode("utf-8", errors="replace")):
        assert isinstance(item, (Article, InputError))


URLISH = st.lists(st.sampled_from(["http", "https", "://", "HTTPS", "example", ".com", ":", "80", "port", "/", "%", "zz",
                                    "%2F", "#", "?", "[", "]", " ", "\u00e9", "\ufffe", "\ue000", "@", "..", "\n"]),
                   max_size=30).map("".join)


@FAST
@given(st.one_of(URLISH, ANY, st.just("http://example.com/100%"), st.just("http://x.org:port/a#b#c")))
def test_an_article_url_is_a_valid_iri_or_a_string(url):
    """The store's loader refuses N-Quads with an invalid IRI, and the whole build with them: an
    article's URL, the one IRI kg does not mint, is made valid or kept as a string."""
    import pyoxigraph as ox

    kind, value = url_term(url)[:2]
    if kind == "iri":
        ox.NamedNode(value)                           # raises on an IRI that is not RFC 3987
        line = f"<http://a> <http://b> <{value}> .\n"
        assert len(list(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))) == 1
    else:
        assert value == url


def test_web_urls_stay_iris_with_what_they_forbid_encoded():
    assert url_term("https://www.example.com/a b?q=1#top") == ("iri", "https://www.example.com/a%20b?q=1#top", "", "")
    assert url_term("http://example.com/100%")[:2] == ("iri", "http://example.com/100%25")
    assert url_term("https://ar.example.org/مقال")[:2] == ("iri", "https://ar.example.org/مقال")
    assert url_term("http://example.com:port/x")[0] == "literal"
    assert url_term("ftp://example.com/x")[0] == "literal"


@FAST
@given(st.lists(st.one_of(st.dictionaries(st.sampled_from(["text", "id", "published", "title"]),
                                          st.one_of(ANY, st.integers(), st.none(), st.lists(st.integers()))),
                          ANY), max_size=5))
def test_jsonl_reads_or_reports_each_line(lines):
    data = "\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines).encode("utf-8", errors="replace")
    for item in jsonl.read(Path("a.jsonl"), data):
        assert isinstance(item, (Article, InputError))


@settings(max_examples=40, deadline=None)
@given(st.one_of(NEWSY, ANY))
def test_html_reads_or_reports(body):
    page = f"<html><head><title>{body[:40]}</title></head><body><article><p>{body}</p></article></body></html>"
    for item in html.read(Path("a.html"), page.encode("utf-8", errors="replace")):
        assert isinstance(item, (Article, InputError))


NAMES = ["national intelligence service", "rapid support forces", "wagner group", "hamas", "un", "kremlin",
         "ministry of defence", "ministry of defense", "korean people's army", "nato", "", "a", "ab",
         "international atomic energy agency", "ukrainian armed forces", "armed forces of ukraine"]


@FAST
@given(st.lists(st.sampled_from(NAMES) | st.text("abcdefghij -'", max_size=40), min_size=1, max_size=60,
                unique=True),
       st.sampled_from(NAMES) | st.text("abcdefghij -'", max_size=40), st.integers(0, 4))
def test_closest_spelling_is_what_comparing_every_name_gives(names, key, typos):
    """The mention finder compares a name only with the names whose length can reach the fuzzy
    threshold: the answer must be extractOne's over all of them (first of the best)."""
    from rapidfuzz import fuzz, process

    from kg.extract.mentions import _Spellings
    from kg.text import FUZZY_THRESHOLD

    for i in range(typos):                       # near misses of real names, the case that matters:
        at = (7 * i + len(key)) % (len(key) + 1)    # a letter changed, dropped or added
        key = key[:at] + ("x", "", "xy")[i % 3] + key[at + (i % 3 != 2):]
    best = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    assert _Spellings(names).closest(key) == (best[0] if best else None)


def test_closest_spelling_finds_names_longer_or_shorter_by_a_few_letters():
    from rapidfuzz import fuzz, process

    from kg.extract.mentions import _Spellings
    from kg.text import FUZZY_THRESHOLD

    spellings = _Spellings(NAMES)
    found = 0
    for name in (n for n in NAMES if len(n) >= 8):
        for cut in range(1, 4):
            for key in (name[:-cut], name[cut:], name + "s" * cut, name[:3] + name[3 + cut:]):
                best = process.extractOne(key, NAMES, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
                assert spellings.closest(key) == (best[0] if best else None), key
                found += best is not None
    assert found > 40          # most of these are near enough to be found


# a form's characters: escapes whole, cut short or malformed, separators, and text beyond ASCII
FORM_PIECES = ["%", "%3C", "%3c", "%E2%80%9C", "%C3", "%A9", "%ZZ", "%2", "+", "%2B", "&", "=", "&&", "a", "q",
               "query", "é", "“", " ", "\n", "\x00", "\\", "\\x41", "\\N{DASH}", "%5C", "%5Cx41"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])    # the first import is slow
@given(st.lists(st.sampled_from(FORM_PIECES) | st.text(max_size=3), max_size=40).map("".join))
def test_the_endpoints_form_decoding_reads_a_form_as_parse_qs_does(form):
    from urllib.parse import parse_qs

    from kg.server.sparql import form_fields
    assert form_fields(form.encode()) == parse_qs(form, keep_blank_values=True)

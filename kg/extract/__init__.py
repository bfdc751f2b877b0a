"""Extraction: an article in, an ``ArticleResult`` out.

The pipeline is one explicit sequence (sentences → mentions → dates → events, then events
continued by the next sentence → claims);
its parts are compiled once from the lexicons and then pure per article.
"""
from __future__ import annotations

from kg.extract.claims import ClaimFinder
from kg.extract.dates import dates_by_sentence, in_dateline
from kg.extract.events import (CAPTION, SPEECH, EventFinder, continued_statements, merge_events,
                               placed_after, placed_by_reference, spoken_by)
from kg.extract.mentions import MentionFinder
from kg.gazetteer import cities, given_names, with_countries
from kg.lexicon import Lexicons
from kg.model import Article, ArticleResult, Mention
from kg.text import split_sentences


class Extractor:
    """Reads articles with one set of lexicons.

    Example:
        >>> from kg.lexicon import load
        >>> from kg.resources import data_dir
        >>> from kg.model import Article
        >>> import datetime as dt
        >>> x = Extractor(load(data_dir("lexicons")))
        >>> r = x.run(Article("a", "Some 12,000 troops were sent, according to the NIS.", "a.txt",
        ...                   published=dt.date(2024, 10, 18)))
        >>> [(c.quantity, c.kind, c.claimant) for c in r.claims]
        [(12000, 'troops', 'national intelligence service')]
    """

    def __init__(self, lexicons: Lexicons) -> None:
        lexicons = with_countries(lexicons)
        self.mentions = MentionFinder(lexicons, cities(), given_names())
        self.events = EventFinder(lexicons)
        self.claims = ClaimFinder(lexicons)

    def run(self, article: Article) -> ArticleResult:
        text = article.text
        sentences = tuple(split_sentences(text))
        found = self.mentions.find(text, sentences)
        by_sentence: dict[int, list[Mention]] = {}
        for index, m in found:
            by_sentence.setdefault(index, []).append(m)
        dates = dates_by_sentence(text, sentences, article.published)
        # a dateline's day is when the report was filed, a caption's another day: no event is dated by them
        found_events = [e for s in sentences if not CAPTION.match(s.text)
                        for e in self.events.find(text, s, by_sentence.get(s.index, []),
                                                  [t for t in dates[s.index] if not in_dateline(text, s.start, t.start)])]
        found_events = placed_by_reference(text, sentences, found_events, by_sentence)
        found_events = placed_after(text, sentences, found_events, by_sentence)
        found_events = self.events.retold(text, sentences, found_events, by_sentence)
        speakers = self.claims.speakers(text, sentences, by_sentence)
        found_events = spoken_by(text, sentences, found_events, speakers)
        merged = merge_events(sorted(found_events + continued_statements(text, sentences, found_events),
                                     key=lambda e: e.sentence))
        # "officials said on Monday": a statement by no one named, about nowhere, tells nothing
        events = tuple(e for e in merged if e.participants or e.places or e.type not in SPEECH)
        claims = tuple(self.claims.find(text, sentences, by_sentence, dates, speakers))
        return ArticleResult(article=article, sentences=sentences, mentions=tuple(found),
                             events=events, claims=claims)

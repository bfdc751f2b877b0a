"""Sentences with character offsets, and a folded copy of the text for matching.

``fold`` keeps the length of the string, so a match found in the folded text has the same
offsets in the original: case, diacritics, curly apostrophes and hyphens never move a span.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from kg.model import Sentence

# Tokens after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep st ste mt ft jr sr no vs etc al approx
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e
""".split())

_LAST_WORD = re.compile(r"([A-Za-z.]+)$")
# a stop before a space and a capital; or glued to the next sentence's first word, as copied text
# often has it ("APA said on Friday.The Tigray People's Liberation Front ...")
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]+\s)""")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a text; a line break always ends one (headlines, captions, list items).

    Example:
        >>> [s.text for s in split_sentences("U.S. officials met on Oct. 19. They left.\\nNext")]
        ['U.S. officials met on Oct. 19.', 'They left.', 'Next']
    """
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for stop in _BOUNDARY.finditer(text, line.start(), line.end()):
            # the word before the stop, read from a bounded window: linear in the line's length
            last = _LAST_WORD.search(text, max(line.start(), stop.start() - 40), stop.start())
            word = last.group(1).lower().rstrip(".") if last else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            if stop.start() == stop.end() and "." in word:
                continue     # glued: "www.Example.Com" is an address, not two sentences
            end = stop.end()
            _add(sentences, text, start, end)
            start = end
        _add(sentences, text, start, line.end())
    return sentences


# Longer than this, a "sentence" is a text dump or a table, not a sentence: it is cut at a space,
# so that the rules, which look around each name within its sentence, stay linear in the text.
MAX_SENTENCE = 2000


def sentence_at(sentences: Sequence[Sentence], offset: int) -> int:
    """The index of the sentence (of ``split_sentences``) that ``offset`` falls in."""
    return sentences[max(0, bisect.bisect_right(sentences, offset, key=lambda s: s.start) - 1)].index


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _add(sentences, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))


# Near-identical names of one type are one entity at this rapidfuzz ratio or above; measured by
# benchmarks/fuzzy_threshold.py: the lowest with no wrong merge on its labelled pairs is 86, and 88
# keeps a margin (recall 0.75 there, against 0.61 at 92).
FUZZY_THRESHOLD = 88

_DASHES = "-‐‑‒–—"
_APOSTROPHES = "’‘`´ʼ"


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return " "
    if ch in "“”„":
        return '"'
    base = unicodedata.normalize("NFKD", ch)[:1]
    low = base.lower()
    return low if len(low) == 1 else ch.lower()[:1] or ch


def fold(text: str) -> str:
    """Lower case, no diacritics, straight apostrophes, hyphens as spaces; same length.

    Example:
        >>> fold("Kim Jong-un’s Zelenskýi")
        "kim jong un's zelenskyi"
    """
    if text.isascii():
        return text.translate(_ASCII_FOLD)
    return text.translate({ord(ch): _fold_char(ch) for ch in set(text)})


_ASCII_FOLD = {i: _fold_char(chr(i)) for i in range(128)}


def fold_case_kept(text: str) -> str:
    """Like ``fold`` but keeping case, for case-sensitive forms (acronyms: US, UN, NIS)."""
    return text.translate({ord(ch): _fold_char_case_kept(ch) for ch in set(text)})


@lru_cache(maxsize=4096)
def _fold_char_case_kept(ch: str) -> str:
    return _fold_char(ch) if not ch.isalpha() else (unicodedata.normalize("NFKD", ch)[:1] or ch)


_POSSESSIVE = re.compile(r"'s\b")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_LEADING_THE = re.compile(r"^the ")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key two spellings of one name share: folded, punctuation and a leading 'the' dropped.
    (Kept for the names seen last: the rendering of a batch asks again for the same few names,
    45,000 times for 800 articles.)

    Example:
        >>> name_key("Yoon Suk-yeol") == name_key("Yoon Suk Yeol")
        True
    """
    s = _POSSESSIVE.sub("", fold(name))
    s = _NOT_ALNUM.sub(" ", s).strip()
    return _LEADING_THE.sub("", s)


def slug(name: str) -> str:
    """Example:
        >>> slug("Kim Jong-un")
        'kim-jong-un'
    """
    return name_key(name).replace(" ", "-") or "x"

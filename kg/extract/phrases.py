"""Longest-match lookup of many phrases at once, in time linear in the text.

A regular expression alternation of thousands of names (every country, capital and
institution) is tried branch by branch at every word: slow to compile and to run. An index of
every phrase's token prefixes finds the longest phrase starting at a word by walking as far as
the text allows.
Tokens are runs of letters and digits and single punctuation marks; spaces between them do
not matter, so "u.s." matches "u.s." and "kim jong un" matches "kim  jong un".
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+|[^\w\s]")
# joins a phrase's tokens in the index's keys: whitespace to Python, so in no token
_SEP = "\x1f"


class PhraseIndex:
    """Example:
        >>> index = PhraseIndex(["north korea", "north korean", "korea"])
        >>> index.find("the north korean army in korea")
        [(4, 16, 'north korean'), (25, 30, 'korea')]
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        # every prefix of every phrase, as its tokens joined by _SEP: the phrase where one ends
        # there, else "" (a prefix only). One flat dict rather than a trie of dicts: a cached
        # extractor unpickled a dict per trie node, 200,000 of them, in most of a kg add
        self._prefixes: dict[str, str] = {}
        for phrase in phrases:
            key = None
            for token in _TOKEN.findall(phrase):
                key = token if key is None else key + _SEP + token
                self._prefixes.setdefault(key, "")
            if key is not None:
                self._prefixes[key] = phrase

    def __bool__(self) -> bool:
        return bool(self._prefixes)

    def find(self, text: str, start: int = 0, end: int | None = None,
             spans: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
        """The longest phrase starting at each word of ``text[start:end]``, as (start, end, phrase);
        phrases may overlap (one starting inside another), as the caller resolves overlaps.
        ``spans``: the words' spans (``token_spans``), when the caller searches several indexes
        in texts of the same length (a folded text and one that keeps its case)."""
        if spans is None:
            spans = token_spans(text, start, end)
        tokens = [(a, b, text[a:b]) for a, b in spans]
        prefixes = self._prefixes
        found = []
        for i, (a, _, first) in enumerate(tokens):
            if not (first[0].isalnum() or first[0] == "_") or first not in prefixes:
                continue
            key, best = None, None
            for b_index in range(i, len(tokens)):
                key = tokens[b_index][2] if key is None else key + _SEP + tokens[b_index][2]
                phrase = prefixes.get(key)
                if phrase is None:
                    break
                if phrase:
                    best = (tokens[b_index][1], phrase)
            if best is not None:
                found.append((a, best[0], best[1]))
        return found


def token_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans of ``text[start:end]``'s tokens, as ``PhraseIndex.find`` reads them."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]

"""Longest-match lookup of many phrases at once, in time linear in the text.

A regular expression alternation of thousands of names (every country, capital and
institution) is tried branch by branch at every word: slow to compile and to run. A trie of
tokens finds the longest phrase starting at a word by walking as far as the text allows.
Tokens are runs of letters and digits and single punctuation marks; spaces between them do
not matter, so "u.s." matches "u.s." and "kim jong un" matches "kim  jong un".
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+|[^\w\s]")
_END = ""          # the key that marks a complete phrase in a trie node


class PhraseIndex:
    """Example:
        >>> index = PhraseIndex(["north korea", "north korean", "korea"])
        >>> index.find("the north korean army in korea")
        [(4, 16, 'north korean'), (25, 30, 'korea')]
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self._root: dict = {}
        for phrase in phrases:
            node = self._root
            for token in _TOKEN.findall(phrase):
                node = node.setdefault(token, {})
            node[_END] = phrase

    def __bool__(self) -> bool:
        return bool(self._root)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """The longest phrase starting at each word of ``text[start:end]``, as (start, end, phrase);
        phrases may overlap (one starting inside another), as the caller resolves overlaps."""
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]
        found = []
        for i, (a, _, first) in enumerate(tokens):
            if not (first[0].isalnum() or first[0] == "_") or first not in self._root:
                continue
            node, best = self._root, None
            for b_index in range(i, len(tokens)):
                node = node.get(tokens[b_index][2])
                if node is None:
                    break
                if _END in node:
                    best = (tokens[b_index][1], node[_END])
            if best is not None:
                found.append((a, best[0], best[1]))
        return found

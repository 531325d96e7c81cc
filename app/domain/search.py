"""Vietnamese-aware text folding and a small in-memory ranked search index."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_TOKEN = re.compile(r"[0-9a-z]+")
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics and fold đ→d: "Đăng ký khai sinh" → "dang ky khai sinh"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class Document:
    """What the index knows of one item: its title and its other searchable text."""

    key: int
    title: str
    body: str = ""
    weight: int = 0  # popularity, breaks ties


@dataclass
class SearchIndex:
    """Token → postings index with prefix matching on the last query word.

    Ranking, highest first: the whole query as a phrase at the start of the title, as a phrase
    inside the title, every word in the title, words in the other text; popularity breaks ties.
    """

    _titles: dict[int, str] = field(default_factory=dict)
    _bodies: dict[int, str] = field(default_factory=dict)
    _weights: dict[int, int] = field(default_factory=dict)
    _postings: dict[str, set[int]] = field(default_factory=dict)
    _vocabulary: list[str] = field(default_factory=list)
    _by_popularity: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        index = cls()
        for doc in documents:
            title = " ".join(tokens(doc.title))
            body = " ".join(tokens(doc.body))
            index._titles[doc.key] = title
            index._bodies[doc.key] = body
            index._weights[doc.key] = doc.weight
            for token in set(title.split()) | set(body.split()):
                index._postings.setdefault(token, set()).add(doc.key)
        index._vocabulary = sorted(index._postings)
        index._by_popularity = sorted(
            index._titles, key=lambda k: (-index._weights[k], index._titles[k])
        )
        return index

    def _matching(self, word: str, *, prefix: bool) -> set[int]:
        if not prefix:
            return self._postings.get(word, set())
        found: set[int] = set()
        start = bisect.bisect_left(self._vocabulary, word)
        for token in self._vocabulary[start:]:
            if not token.startswith(word):
                break
            found |= self._postings[token]
        return found

    def search(self, query: str, candidates: set[int] | None = None) -> list[int]:
        """Keys matching every word of ``query`` (the last may be a prefix), best first."""
        words = tokens(query)
        if not words:
            if candidates is None:
                return list(self._by_popularity)
            return [k for k in self._by_popularity if k in candidates]
        hits: set[int] | None = candidates
        for i, word in enumerate(words):
            found = self._matching(word, prefix=i == len(words) - 1)
            hits = found if hits is None else hits & found
            if not hits:
                return []
        phrase = " ".join(words)
        return sorted(hits, key=lambda k: self._rank(k, phrase, words))

    def _rank(self, key: int, phrase: str, words: Sequence[str]) -> tuple[int, int, str]:
        title = self._titles[key]
        padded = f" {title} "
        if title.startswith(phrase):
            score = 0
        elif f" {phrase}" in padded:
            score = 1
        elif all(f" {w}" in padded for w in words):
            score = 2
        else:
            score = 3
        return (score, -self._weights[key], title)

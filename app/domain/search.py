"""Vietnamese-aware text folding and a small in-memory ranked search index."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.domain.search_terms import SYNONYMS, WEAK_WORDS

_TOKEN = re.compile(r"\d+(?:\.\d+)+|[0-9a-z]+")  # a national code "1.001193" is one word
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

    Ranking, highest first: the share of the query's (weighted) words matched, then the whole
    query as a phrase at the start of the title, as a phrase inside the title, every word in the
    title, words in the other text; popularity breaks ties.
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
        """Keys matching ``query`` best first: more of its words (distinctive words count more
        than common ones such as "giấy", "đăng ký"), then the phrase order, then popularity.

        Synonyms rewrite the query first; the last word may be the start of a word. A key must
        match more than half of the query's weight, and a distinctive word when there is one.
        """
        words = expand(tokens(query))
        if not words:
            if candidates is None:
                return list(self._by_popularity)
            return [k for k in self._by_popularity if k in candidates]
        weights = word_weights(words)
        total = sum(weights)
        strong = any(w == 1.0 for w in weights)
        scores: dict[int, float] = {}
        has_strong: set[int] = set()
        for i, (word, weight) in enumerate(zip(words, weights, strict=True)):
            found = self._matching(word, prefix=i == len(words) - 1)
            if candidates is not None:
                found = found & candidates
            for key in found:
                in_title = f" {word}" in f" {self._titles[key]}"
                scores[key] = scores.get(key, 0.0) + weight * (1.0 if in_title else BODY_SHARE)
                if weight == 1.0:
                    has_strong.add(key)
        hits = [
            k
            for k, score in scores.items()
            if score > total * MIN_SHARE and (not strong or k in has_strong)
        ]
        return sorted(hits, key=lambda k: self._rank(k, scores[k] / total, words))

    def _rank(self, key: int, share: float, words: Sequence[str]) -> tuple[float, int, int, str]:
        """Share matched, then how the matched words sit in the title: as a phrase at its start,
        as a phrase inside it, scattered, or not in it at all; then popularity."""
        title = self._titles[key]
        padded = f" {title} "
        present = [w for w in words if f" {w}" in padded]
        phrase = " ".join(present)
        if not present:
            score = 3
        elif title.startswith(phrase):
            score = 0
        elif f" {phrase}" in padded:
            score = 1
        else:
            score = 2
        return (-round(share, 2), score, -self._weights[key], title)

    def suggest(self, query: str, candidates: set[int] | None = None) -> tuple[str, list[int]]:
        """For a query that finds nothing: the closest spelling of each word the index knows
        and what that finds ("" and [] when nothing is close)."""
        words = expand(tokens(query))
        corrected = []
        for word in words:
            if word in self._postings:
                corrected.append(word)
                continue
            close = difflib.get_close_matches(word, self._vocabulary, n=1, cutoff=0.7)
            if close:
                corrected.append(close[0])
        if not corrected or corrected == words:
            return "", []
        fixed = " ".join(corrected)
        return fixed, self.search(fixed, candidates)


# A word found only outside the title counts for this share of its weight; a key must match
# more than MIN_SHARE of the query's weight.
BODY_SHARE = 0.75
MIN_SHARE = 0.6
WEAK_WEIGHT = 0.25


def expand(words: list[str]) -> list[str]:
    """Rewrite the phrases of the synonym table, longest first; drop repeated words."""
    text = f" {' '.join(words)} "
    for phrase in sorted(SYNONYMS, key=len, reverse=True):
        text = text.replace(f" {phrase} ", f" {SYNONYMS[phrase]} ")
    return list(dict.fromkeys(text.split()))


def word_weights(words: Sequence[str]) -> list[float]:
    """1 for a distinctive word, less for a common one; a query of common words only keeps
    them all at 1 (then they are what the person is looking for)."""
    weights = [WEAK_WEIGHT if w in WEAK_WORDS else 1.0 for w in words]
    return weights if any(w == 1.0 for w in weights) else [1.0] * len(words)

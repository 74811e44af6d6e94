"""BM25 over documents made of weighted fields (the simple BM25F of Robertson & Zaragoza, 2009).

A document is a few fields (name, 常用叫法, summary …), each a list of terms with a weight: a term's
frequency in the document is the weighted sum of its frequencies in the fields, the document's length
the weighted sum of their lengths, and the score the usual BM25 of those. Pure Python: the catalog is
a few hundred documents, so an inverted index of dicts answers a question in well under a millisecond.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

K1 = 1.2  # how fast a term's repetitions stop adding to the score
B = 0.75  # how much a long document is discounted


@dataclass(frozen=True)
class Scored:
    """One document's score for a query, and the query terms that found it."""

    key: str
    score: float
    terms: tuple[str, ...]
    prominent: tuple[str, ...]  # those of `terms` found in a prominent field


class Bm25Index:
    """Documents (`key` → {field: terms}) scored with field `weights` (unknown fields weigh 1). Terms in
    `prominent` fields say what a document is about; the others (its materials, say) only rank it."""

    def __init__(
        self,
        documents: Mapping[str, Mapping[str, Iterable[str]]],
        weights: Mapping[str, float],
        prominent: frozenset[str],
    ):
        self._postings: dict[str, dict[str, float]] = defaultdict(dict)
        self._prominent: dict[str, set[str]] = defaultdict(set)  # term → keys where it is prominent
        self._lengths: dict[str, float] = {}
        for key, fields in documents.items():
            frequencies: dict[str, float] = defaultdict(float)
            length = 0.0
            for field, terms in fields.items():
                weight = weights.get(field, 1.0)
                counted = Counter(terms)
                for term, n in counted.items():
                    frequencies[term] += weight * n
                    if field in prominent:
                        self._prominent[term].add(key)
                length += weight * sum(counted.values())
            self._lengths[key] = length
            for term, frequency in frequencies.items():
                self._postings[term][key] = frequency
        count = len(self._lengths)
        self._average_length = (sum(self._lengths.values()) / count) if count else 0.0
        # The BM25+ idf (never negative): a term in most documents still counts a little. A term is
        # counted where it is prominent: "身份证" among nearly every item's materials still tells the
        # 身份证 items apart.
        self._idf = {}
        for term, found in self._postings.items():
            where = len(self._prominent[term]) or len(found)
            self._idf[term] = math.log(1 + (count - where + 0.5) / (where + 0.5))

    def __len__(self) -> int:
        return len(self._lengths)

    @property
    def max_idf(self) -> float:
        """The idf of a term in one document: the most a term can tell."""
        count = len(self._lengths)
        return math.log(1 + (count - 0.5) / 1.5) if count else 0.0

    def idf(self, term: str) -> float:
        """How rare `term` is among the documents; 0 when no document has it."""
        return self._idf.get(term, 0.0)

    def score(self, query: Mapping[str, float]) -> list[Scored]:
        """Documents with any of the query's terms (term → its weight in the query), best first."""
        totals: dict[str, float] = defaultdict(float)
        found_by: dict[str, list[str]] = defaultdict(list)
        average = self._average_length or 1.0
        for term, query_weight in query.items():
            idf = self._idf.get(term)
            if idf is None:
                continue
            for key, frequency in self._postings[term].items():
                norm = K1 * (1 - B + B * self._lengths[key] / average)
                totals[key] += query_weight * idf * frequency * (K1 + 1) / (frequency + norm)
                found_by[key].append(term)
        ranked = [
            Scored(
                key,
                score,
                tuple(found_by[key]),
                tuple(t for t in found_by[key] if key in self._prominent[t]),
            )
            for key, score in totals.items()
        ]
        ranked.sort(key=lambda s: (-s.score, s.key))
        return ranked

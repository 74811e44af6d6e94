"""The catalog index: every published item and bundle (一件事) as a document of weighted fields.

An item is found by its name and 常用叫法 first, then by its result, the life events (bundles) it
belongs to and its summary, and a little by its department, materials and conditions. A bundle is
found by its name and summary and by its members' names and 常用叫法, so a question about a life
event ("老人走了") ranks its 一件事 beside the items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from yiwang.assistant.bm25 import Bm25Index
from yiwang.assistant.text import PINYIN, Analyzer, sound_of, vocabulary_of
from yiwang.catalog.models import Bundle, ItemVersion

Kind = Literal["item", "bundle"]

WEIGHTS = {
    "name": 3.0,
    "aliases": 2.0,
    "result": 1.5,
    "events": 1.0,
    "summary": 1.0,
    "members": 1.0,
    "member_aliases": 0.7,
    "department": 0.5,
    "materials": 0.3,
    "conditions": 0.3,
}
# What an entry is about; the other fields only rank entries these found.
PROMINENT = frozenset({"name", "aliases", "result", "events", "members", "member_aliases"})


@dataclass(frozen=True)
class Entry:
    """What a document stands for: an item (by its code) or a bundle."""

    kind: Kind
    code: str
    name: str
    recipients: frozenset[str]


@dataclass(frozen=True)
class Hit:
    """One answer to a question: the entry, its score and the question's words that found it."""

    entry: Entry
    score: float
    words: tuple[str, ...]
    # Found by a word of two or more characters (or its sound) in a PROMINENT field: not by one
    # character, nor only by its summary, department, materials or conditions.
    telling: bool
    coverage: float  # the share of what the question's words tell that this entry answers (0–1)
    answered: int  # how many of the question's telling words it answers
    found: frozenset[str]  # the question's terms found in a PROMINENT field of this entry


@dataclass
class CatalogIndex:
    analyzer: Analyzer
    bm25: Bm25Index
    entries: dict[str, Entry] = field(default_factory=dict)
    sounds: dict[str, frozenset[str]] = field(default_factory=dict)  # a sound term → the words with it

    def search(self, question: str, *, kinds: tuple[Kind, ...] = ("item", "bundle")) -> list[Hit]:
        """Every entry of `kinds` that shares a word with the question, best first."""
        query = self.analyzer.query(question)
        weights = [self._group_weight(g) for g in query.groups]
        total = sum(weights)
        hits = []
        for scored in self.bm25.score(query.weights):
            entry = self.entries[scored.key]
            if entry.kind not in kinds:
                continue
            matched = set(scored.prominent)
            answered = [w for g, w in zip(query.groups, weights, strict=True) if g & matched]
            words = tuple(dict.fromkeys(t for t in scored.terms if not t.startswith(PINYIN)))
            telling = any(t.startswith(PINYIN) or len(t) > 1 for t in scored.prominent)
            coverage = sum(answered) / total if total else 0.0
            hits.append(Hit(entry, scored.score, words, telling, coverage, len(answered), frozenset(matched)))
        # Entries that answer more of the question's words come first, then the better scored.
        hits.sort(key=lambda h: (-h.answered, -h.score, h.entry.kind, h.entry.code))
        return hits

    def _group_weight(self, group: frozenset[str]) -> float:
        """How much a word of the question tells: the rarest of its terms in the catalog; a word the
        catalog does not have at all tells as much as the rarest (it is what the question is about)."""
        return max((self.bm25.idf(t) for t in group), default=0.0) or self.bm25.max_idf


def _key(kind: Kind, code: str) -> str:
    return f"{kind}:{code}"


def _codes(recipients: str) -> frozenset[str]:
    return frozenset(c for c in recipients.split("^") if c)


def build_index(versions: list[ItemVersion], bundles: list[Bundle]) -> CatalogIndex:
    """The index of `versions` (published, with item, department and materials loaded) and `bundles`
    (published, with members and their items' published versions loaded)."""
    events: dict[int, list[str]] = {}
    for bundle in bundles:
        for member in bundle.members.all():
            events.setdefault(member.item_id, []).append(bundle.name)
    analyzer = Analyzer(
        vocabulary_of(
            [v.name for v in versions]
            + [v.keywords for v in versions]
            + [v.result_name for v in versions]
            + [b.name for b in bundles]
        )
    )
    documents: dict[str, dict[str, list[str]]] = {}
    entries: dict[str, Entry] = {}
    for v in versions:
        key = _key("item", v.item.code)
        entries[key] = Entry("item", v.item.code, v.name, _codes(v.recipients))
        documents[key] = {
            "name": analyzer.terms(v.name),
            "aliases": analyzer.terms(v.keywords),
            "result": analyzer.terms(v.result_name),
            "events": analyzer.terms(" ".join(events.get(v.item_id, []))),
            "summary": analyzer.terms(v.summary),
            "department": analyzer.terms(v.item.department.name),
            "materials": analyzer.terms(" ".join(m.name for m in v.materials.all())),
            "conditions": analyzer.terms(v.acceptance_conditions),
        }
    for bundle in bundles:
        key = _key("bundle", bundle.code)
        members = [m.item.published_version for m in bundle.members.all() if m.item.published_version]
        entries[key] = Entry("bundle", bundle.code, bundle.name, _codes(bundle.recipients))
        documents[key] = {
            "name": analyzer.terms(bundle.name),
            "summary": analyzer.terms(bundle.summary),
            "members": analyzer.terms(" ".join(v.name for v in members if v is not None)),
            "member_aliases": analyzer.terms(" ".join(v.keywords for v in members if v is not None)),
        }
    sounds: dict[str, set[str]] = {}
    for fields in documents.values():
        for terms in fields.values():
            for term in terms:
                if len(term) > 1 and not term.startswith(PINYIN):
                    sounds.setdefault(sound_of(term), set()).add(term)
    return CatalogIndex(
        analyzer=analyzer,
        bm25=Bm25Index(documents, WEIGHTS, PROMINENT),
        entries=entries,
        sounds={sound: frozenset(words) for sound, words in sounds.items()},
    )

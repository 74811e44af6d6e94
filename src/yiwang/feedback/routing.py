"""Which department — and, when it is plain, which catalog item — a citizen's 诉求 is about.

A 12345-style request is written in the caller's own words ("楼下烧烤店天天晚上油烟熏得窗都不敢开"), not in
the catalog's, so it is classified, not looked up. Two models read it: logistic regression over the
departments, and naive Bayes over the service items plus "no item". Both learn from what the city
publishes — each published item's name, 常用叫法 and summary, each department's names, and each
department's duties (`data/department_duties.json`, in the style of its 三定方案: what it is responsible
for, what people contact it about) — and from past requests as they were finally routed.

Features: the request's words as the assistant's index reads questions (`assistant.text`: jieba with the
catalog's words added to its dictionary, stopwords dropped, each word also by its pinyin so that a
homophone typo still counts), and the character 1–3-grams inside those words, which still match when
jieba cuts an unfamiliar or mistyped word differently; both weighted by TF-IDF. The training texts are
few and short, so a router is trained again in the request that finds the catalog or the history
changed. The regression's probability for a department is the confidence `AUTO_ROUTE_THRESHOLD`
compares. Items get naive Bayes because a regression over a hundred items trains many times slower than
everything else together, for no better answers.

A trained router keeps only the fitted weights and scores a request with a few array operations:
scikit-learn is imported when a router is trained, never when this module is, and a web process that
does not route requests does not pay for it.
"""

from __future__ import annotations

import json
import math
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from django.conf import settings

from yiwang.assistant.text import PINYIN, Analyzer, vocabulary_of

# Below this probability for its best department a request goes to a dispatcher. At 0.5 about one
# automatically routed request in fifty is misrouted (and returned by the department), whether the
# router knows the catalog alone or past requests too, while about half are routed without a
# dispatcher (bench/feedback_routing); a lower bar routes more and misroutes more as history grows.
AUTO_ROUTE_DEFAULT = 0.5
AUTO_ROUTE_THRESHOLD: float = float(getattr(settings, "YIWANG_FEEDBACK_AUTO_ROUTE", AUTO_ROUTE_DEFAULT))

# An item is named when it holds at least this share of the item model's probability among the
# department's items and "no item" (naive Bayes is sure of itself, so the bar is high): a request about
# 油烟 names none of 城管's two items.
ITEM_SHARE = 0.7

# Inverse regularisation of the department model: the catalog's texts are short and few, and a weak
# penalty lets a single telling word ("公积金", "护照") decide.
C = 10.0
# Smoothing of the item model: little, as most 常用叫法 occur once.
ALPHA = 0.1

# A request's opening says what it is about; the rest of a very long one only costs time to read.
MAX_CHARS = 2000

_NO_ITEM = ""
_PHRASE = re.compile(r"\w{2,12}")


@dataclass(frozen=True)
class Example:
    text: str
    department: str  # department code
    item: str | None = None  # ServiceItem code


@dataclass(frozen=True)
class Suggestion:
    department: str  # department code
    item: str | None  # item code when the text clearly concerns one item, else None
    score: float  # the model's probability for the department, 0..1


@cache
def department_duties() -> dict[str, tuple[str, ...]]:
    """Each department's duties and common matters, by department code (data/department_duties.json)."""
    text = (files("yiwang.feedback") / "data" / "department_duties.json").read_text(encoding="utf-8")
    return {code: tuple(lines) for code, lines in json.loads(text)["departments"].items()}


def _identity(tokens: list[str]) -> list[str]:
    """The vectorizers' analyzer: texts are cut into tokens once, before they reach them."""
    return tokens


class _Reader:
    """Cuts texts into the two kinds of tokens, remembering each text's: a retraining on the same
    catalog cuts only the requests it has not seen."""

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.analyzer = Analyzer(vocabulary_of(vocabulary))
        self._seen: dict[str, tuple[list[str], list[str]]] = {}
        self._lock = threading.Lock()

    def keep_only(self, texts: Iterable[str]) -> None:
        """Forget every text but these (a training's): requests leave the history as new ones come."""
        with self._lock:
            self._seen = {text: self._seen[text] for text in texts if text in self._seen}

    def tokens(self, text: str, *, remember: bool = True) -> tuple[list[str], list[str]]:
        """The text's words with their pinyin, and the character 1–3-grams inside its words."""
        found = self._seen.get(text)
        if found is None:
            terms = self.analyzer.terms(text[:MAX_CHARS])
            words = [t for t in terms if not t.startswith(PINYIN)]
            grams = [w[i : i + n] for w in words for n in (1, 2, 3) for i in range(len(w) - n + 1)]
            # Interned: the same few thousand tokens recur in every text, so a remembered history
            # holds references, not copies.
            found = ([sys.intern(t) for t in terms], [sys.intern(g) for g in grams])
            if remember:
                with self._lock:
                    self._seen[text] = found
        return found


@lru_cache(maxsize=1)
def _reader(vocabulary: frozenset[str]) -> _Reader:
    """One reader per catalog vocabulary, the latest only: jieba's dictionary is copied for each."""
    return _Reader(vocabulary)


def _vocabulary(examples: Sequence[Example]) -> frozenset[str]:
    """The catalog's words to keep whole: the names and 常用叫法 of items, which are short phrases
    without punctuation (a summary or a citizen's sentence is not)."""
    words: set[str] = set()
    for example in examples:
        if example.item:
            phrases = example.text.split()
            if phrases and all(_PHRASE.fullmatch(p) for p in phrases):
                words.update(phrases)
    return frozenset(words)


class _Block:
    """One kind of token as the vectorizer weighs it: its columns, from `offset`, and their idf."""

    def __init__(self, vocabulary: dict[str, int], idf: Any, offset: int) -> None:
        self.vocabulary, self.idf, self.offset = vocabulary, idf, offset

    def weights(self, tokens: list[str]) -> tuple[list[int], list[float]]:
        """The text's columns and TF-IDF weights as TfidfVectorizer(sublinear_tf=True) gives them:
        (1 + log tf) × idf, the block scaled to unit length."""
        counts = Counter(token for token in tokens if token in self.vocabulary)
        columns = [self.vocabulary[token] for token in counts]
        values = [
            (1.0 + math.log(n)) * float(self.idf[column])
            for column, n in zip(columns, counts.values(), strict=True)
        ]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return [self.offset + column for column in columns], [v / norm for v in values]


class Router:
    """A trained classifier of requests, kept as the fitted weights alone; `suggest` is safe to call from
    many threads."""

    def __init__(
        self,
        *,
        reader: _Reader | None = None,
        blocks: tuple[_Block, ...] = (),
        departments: tuple[list[str], Any, Any] | None = None,
        items: tuple[list[str], Any, Any] | None = None,
        department_items: dict[str, list[int]] | None = None,
        only: str | None = None,
    ) -> None:
        self._reader = reader
        self._blocks = blocks
        self._departments = departments  # classes, weights (features × classes), intercepts
        self._items = items  # classes ("" for no item), log-probabilities (features × classes), priors
        self._department_items = department_items or {}  # the item classes of each department
        self._only = only  # the one department known, when fewer than two are

    @classmethod
    def train(cls, examples: Iterable[Example]) -> Router:
        """Learn from examples: catalog texts (`catalog_examples`) and past requests as routed."""
        examples = [e for e in examples if e.text and e.text.strip() and e.department]
        departments = sorted({e.department for e in examples})
        if len(departments) < 2:
            # Nothing to tell apart: the one department known (if any) gets everything.
            return cls(only=departments[0] if departments else None)

        import numpy as np
        from scipy.sparse import hstack  # type: ignore[import-untyped]
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
        from sklearn.naive_bayes import MultinomialNB  # type: ignore[import-untyped]
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        reader = _reader(_vocabulary(examples))
        # A list of 常用叫法 teaches the department model as one text (each phrase alone would make a
        # department with many items loom over one with few), the item model phrase by phrase (each is
        # one way people name the item).
        texts = [e.text for e in examples]
        item_texts: list[str] = []
        item_labels: list[str] = []
        for example in examples:
            phrases = example.text.split()
            for text in [example.text, *phrases] if len(phrases) > 1 else [example.text]:
                item_texts.append(text)
                item_labels.append(example.item or _NO_ITEM)
        tokens = {text: reader.tokens(text) for text in {*texts, *item_texts}}
        reader.keep_only(tokens)

        vectorizers = [TfidfVectorizer(analyzer=_identity, sublinear_tf=True) for _ in range(2)]
        for kind, vectorizer in enumerate(vectorizers):
            vectorizer.fit([tokens[t][kind] for t in texts])

        def features(batch: list[str]) -> Any:
            return hstack(
                [v.transform([tokens[t][kind] for t in batch]) for kind, v in enumerate(vectorizers)]
            ).tocsr()

        department_model = LogisticRegression(C=C, max_iter=2000)
        item_model = MultinomialNB(alpha=ALPHA) if len(set(item_labels)) >= 2 else None
        # One thread: on a server's few cores, BLAS threads waiting on each other and on the web
        # workers make a fit several times slower, not faster.
        with threadpool_limits(limits=1):
            department_model.fit(features(texts), [e.department for e in examples])
            if item_model is not None:
                item_model.fit(features(item_texts), item_labels)

        offset = len(vectorizers[0].vocabulary_)
        blocks = tuple(
            _Block({t: int(c) for t, c in v.vocabulary_.items()}, v.idf_.copy(), o)
            for v, o in zip(vectorizers, (0, offset), strict=True)
        )
        items = None
        department_items: dict[str, list[int]] = {}
        if item_model is not None:
            item_classes = [str(c) for c in item_model.classes_]
            of_item = {e.item: e.department for e in examples if e.item}
            for column, code in enumerate(item_classes):
                if code != _NO_ITEM:
                    department_items.setdefault(of_item[code], []).append(column)
            items = (
                item_classes,
                np.ascontiguousarray(item_model.feature_log_prob_.T),
                item_model.class_log_prior_.copy(),
            )
        return cls(
            reader=reader,
            blocks=blocks,
            departments=(
                [str(c) for c in department_model.classes_],
                np.ascontiguousarray(department_model.coef_.T),
                department_model.intercept_.copy(),
            ),
            items=items,
            department_items=department_items,
        )

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        """The k likeliest departments for `text`, best first, each with its item when one is clear;
        [] for an empty text or a router that knows no department."""
        if not text or not text.strip() or k < 1:
            return []
        if self._reader is None or self._departments is None:
            return [Suggestion(self._only, None, 1.0)] if self._only else []
        import numpy as np

        # A request is not remembered: each is new, and the cache would grow with every one.
        tokens = self._reader.tokens(text, remember=False)
        columns: list[int] = []
        values: list[float] = []
        for block, kind in zip(self._blocks, tokens, strict=True):
            found = block.weights(kind)
            columns += found[0]
            values += found[1]
        x = np.array(values)

        classes, weights, intercepts = self._departments
        probabilities = _softmax(x @ weights[columns] + intercepts)
        item_probabilities = None
        if self._items is not None:
            item_probabilities = _softmax(x @ self._items[1][columns] + self._items[2])
        best = np.argsort(-probabilities, kind="stable")[:k]
        return [
            Suggestion(
                department=classes[i],
                item=self._item_of(classes[i], item_probabilities),
                score=float(probabilities[i]),
            )
            for i in best
        ]

    def _item_of(self, department: str, probabilities: Any) -> str | None:
        """The department's item that holds at least ITEM_SHARE of the probability among its items and
        "no item", else None."""
        own = self._department_items.get(department)
        if probabilities is None or self._items is None or not own:
            return None
        classes = self._items[0]
        top = max(own, key=lambda i: probabilities[i])
        none = probabilities[classes.index(_NO_ITEM)] if _NO_ITEM in classes else 0.0
        total = float(sum(probabilities[i] for i in own) + none)
        return classes[top] if total > 0 and probabilities[top] / total >= ITEM_SHARE else None


def _softmax(scores: Any) -> Any:
    import numpy as np

    exponents = np.exp(scores - scores.max())
    return exponents / exponents.sum()


def catalog_examples() -> list[Example]:
    """Training examples from the published catalog in the database: each published item version's name,
    常用叫法 (ItemVersion.keywords, space-separated, as one text) and summary; each department's name and
    short name; and the duties of each department the database has (data/department_duties.json)."""
    from yiwang.catalog.models import Department
    from yiwang.catalog.selectors import published_versions

    examples: list[Example] = []
    for version in published_versions().order_by("item__code"):
        department, item = version.item.department.code, version.item.code
        for text in (version.name, version.keywords, version.summary):
            if text.strip():
                examples.append(Example(text, department, item))
    known: set[str] = set()
    for code, name, short_name in Department.objects.order_by("code").values_list(
        "code", "name", "short_name"
    ):
        known.add(code)
        examples.extend(Example(text, code) for text in dict.fromkeys((name, short_name)) if text)
    # Duties of departments this city does not have would route requests nowhere.
    for code, duties in department_duties().items():
        if code in known:
            examples.extend(Example(text, code) for text in duties)
    return examples


_lock = threading.Lock()
_trained: tuple[Hashable, Router] | None = None


def router(past: Callable[[], list[Example]] | None = None, *, past_stamp: Hashable = None) -> Router:
    """The process's trained router, trained on the published catalog (`catalog_examples`) and on `past`,
    the past requests as they were routed. Trained again when a publication or retirement changes the
    catalog's stamp, a department is added or renamed, or `past_stamp` (the caller's cheap summary of
    the history, e.g. how many hundred requests have closed) changes; `past` is read only then."""
    global _trained
    from yiwang.catalog.models import Department
    from yiwang.catalog.selectors import published_versions_stamp

    key = (
        published_versions_stamp(),
        tuple(Department.objects.order_by("code").values_list("code", "name", "short_name")),
        past_stamp,
    )
    with _lock:
        if _trained is None or _trained[0] != key:
            history = past() if past is not None else []
            _trained = (key, Router.train([*catalog_examples(), *history]))
        return _trained[1]


def router_invalidate() -> None:
    """Forget the trained router; the next `router()` trains afresh (a test whose rolled-back catalog
    left the same stamp over other rows)."""
    global _trained
    with _lock:
        _trained = None

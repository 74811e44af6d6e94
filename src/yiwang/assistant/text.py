"""The words of a question and of the catalog, as the index compares them.

jieba cuts Chinese text into words, with the catalog's own words (item names, 常用叫法, the synonym
table) added to its dictionary so that "营业执照" or "公积金" stay whole. Each word of two or more
characters is also indexed by its pinyin (`py:shenfenzheng`), so that a homophone typed by mistake
("身分证", "公基金") still finds the right word. A question is expanded with the synonym table
(`data/synonyms.json`: what people say → what the catalog says), found anywhere in the question.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

PINYIN = "py:"


@dataclass(frozen=True)
class Query:
    """A question as the index reads it: its terms with their weights, and for each word that can tell
    services apart, the group of terms that stand for it (the word, its sound, what it means)."""

    weights: dict[str, float]
    groups: list[frozenset[str]]
    # The same words, each with the terms that answer it whole: the catalog's words for a phrase as
    # they are written ("无犯罪记录证明"), not their pieces ("证明"), which many services share.
    meanings: dict[str, frozenset[str]]


# Words around what a person wants that say nothing about which service it is.
STOPWORDS = frozenset(
    """办理 办 申请 怎么 怎么办 怎样 如何 我要 我想 想 需要 要 的 了 吗 呢 啊 吧 呀 哦 在 哪 哪里 哪儿 去 到 什么
    哪个 可以 能 能不能 可不可以 我 我们 你 你们 他 她 它 个 一下 一个 请问 请 问 有 没有 是 不 和 与 及 或 还 还是
    这 那 这个 那个 该 应该 得 都 就 也 又 给 把 被 让 用 吗？ 么 如何办 谁 多少 几 一 下 上 里 时候 现在 刚 刚刚
    已经 之前 以后 后 前 办事 手续 流程 材料 带 准备 需要带 知道 告诉 咨询 帮 帮我 麻烦 谢谢 你好 您好""".split()
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """What people say → the catalog's words for it (data/synonyms.json)."""
    table = json.loads((files("yiwang.assistant") / "data" / "synonyms.json").read_text(encoding="utf-8"))
    return {key: tuple(values) for key, values in table["synonyms"].items()}


def normalise(text: str) -> str:
    """Full-width to half-width, lower case: "ＡＢＣ" and "abc" are one word."""
    return unicodedata.normalize("NFKC", text).lower()


@cache
def _base_tokenizer() -> Any:
    """jieba's tokenizer with its own dictionary, loaded once per process."""
    import jieba

    jieba.setLogLevel(60)  # its start-up chatter is not our log
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _tokenizer() -> Any:
    """A tokenizer of jieba's dictionary alone, for one index to add the catalog's words to: the same
    catalog cuts the same way in every process, whatever catalogs it indexed before."""
    import jieba

    base = _base_tokenizer()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base.FREQ), base.total, True
    return tokenizer


@cache
def _pinyin(word: str) -> str:
    from pypinyin import lazy_pinyin

    return PINYIN + "".join(lazy_pinyin(word))


class Analyzer:
    """Cuts text into index terms; `vocabulary`: the catalog's words, kept whole."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._jieba = _tokenizer()
        # In order, so that one catalog cuts the same way every time; jieba lists a word's prefixes in
        # FREQ with frequency 0, which are words still to add.
        for word in sorted({normalise(w).strip() for w in vocabulary}):
            if len(word) > 1 and not _NOISE.fullmatch(word) and not self._jieba.FREQ.get(word):
                self._jieba.add_word(word, freq=2000)

    def words(self, text: str) -> list[str]:
        """The words of `text` that can tell services apart, in order (repeats kept)."""
        words = []
        for chunk in _NOISE.split(normalise(text)):
            if not chunk:
                continue
            for word in self._jieba.cut_for_search(chunk):
                if word not in STOPWORDS and not _NOISE.fullmatch(word):
                    words.append(word)
                # jieba's search mode splits out words of 2 and 3 characters only: "企业设立登记" also
                # holds the catalog's "企业设立".
                if len(word) > 4:
                    words.extend(
                        word[i : i + 4] for i in range(len(word) - 3) if self._jieba.FREQ.get(word[i : i + 4])
                    )
        return words

    def terms(self, text: str) -> list[str]:
        """Index terms: the words and, for words of two or more Chinese characters, their pinyin."""
        words = self.words(text)
        return words + [_pinyin(w) for w in words if len(w) > 1 and _CJK.search(w)]

    def query(self, text: str) -> Query:
        """A question's terms with their weights — its own words count fully, a single character and
        what the synonym table adds less, a pinyin match (a likely homophone typo) least — and the
        groups of terms that stand for each telling word of it."""
        weights: dict[str, float] = {}

        def add(term: str, weight: float) -> None:
            weights[term] = max(weights.get(term, 0.0), weight)

        own = []
        for word in self.words(text):
            add(word, 1.0 if len(word) > 1 else 0.3)
            if len(word) > 1 and _CJK.search(word):
                add(_pinyin(word), 0.5)
                own.append(word)
            elif len(word) > 1:
                own.append(word)
        # A homophone typo can make jieba cut a word apart ("公基金" → 公 + 基金): neighbouring pieces
        # are also looked up by their joint sound.
        joints: list[tuple[list[str], str]] = []
        for chunk in _NOISE.split(normalise(text)):
            pieces = [p for p in self._jieba.cut(chunk) if _CJK.search(p)]
            for size in (2, 3):
                for i in range(len(pieces) - size + 1):
                    joined = "".join(pieces[i : i + size])
                    if 3 <= len(joined) <= 4 and _pinyin(joined) not in weights:
                        add(_pinyin(joined), 0.5)
                        joints.append((pieces[i : i + size], _pinyin(joined)))
        flat = _NOISE.sub("", normalise(text))
        said: dict[str, set[str]] = {}
        whole: dict[str, set[str]] = {}
        for key, meant in synonyms().items():
            if key in flat:
                said[key] = set()
                whole[key] = {normalise(target) for target in meant}
                for target in meant:
                    for word in self.words(target):
                        add(word, 0.8 if len(word) > 1 else 0.2)
                        said[key].add(word)
        groups = {word: {word, _pinyin(word)} for word in own}
        for pieces, sound in joints:
            for piece in pieces:
                if piece in groups:
                    groups[piece].add(sound)
        meanings = {word: set(terms) for word, terms in groups.items()}
        for key, targets in said.items():
            # What a phrase means goes with the shortest word holding it ("换证", not "身份证换证"),
            # else with the words inside it ("孩子" in "生孩子"), else it stands on its own.
            holding = sorted((w for w in groups if key in w), key=len)[:1] or [w for w in groups if w in key]
            for word in holding:
                groups[word] |= targets
                meanings[word] |= whole[key]
            if not holding:
                groups[key] = set(targets)
                meanings[key] = set(whole[key])
        return Query(
            weights,
            [frozenset(g) for g in groups.values()],
            {word: frozenset(terms) for word, terms in meanings.items()},
        )

    def tokens(self, text: str) -> list[str]:
        """The words of `text` as written, in order, each cut once (jieba's precise mode), with ""
        where punctuation or a space parts them."""
        tokens: list[str] = []
        for chunk in _NOISE.split(normalise(text)):
            if chunk:
                tokens.extend(self._jieba.cut(chunk))
                tokens.append("")
        return tokens

    def knows(self, word: str) -> bool:
        """Whether `word` is in the dictionary (jieba's own or the catalog's), not a guess of the
        segmenter for characters it could not place."""
        return bool(self._jieba.FREQ.get(normalise(word)))


def sound_of(word: str) -> str:
    """The index term for the sound of a word (`py:shenfenzheng`)."""
    return _pinyin(word)


@cache
def generic_words() -> frozenset[str]:
    """Words that say what is done or when, not what about (data/generic_words.txt)."""
    text = (files("yiwang.assistant") / "data" / "generic_words.txt").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0] for line in text.splitlines())
    return frozenset(normalise(word) for line in lines for word in line.split())


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """Dictionary words from catalog texts: the space-separated words of names and 常用叫法 and the
    synonym table's entries."""
    words = {w for text in texts for w in normalise(text).split() if w}
    for said, meant in synonyms().items():
        words.add(said)
        words.update(meant)
    return words

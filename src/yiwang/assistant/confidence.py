"""Whether the catalog answers a question at all, before the assistant names a service for it.

Search ranks every service that shares a word with a question; the assistant must also tell a
question about something the catalog does not cover ("律师执业证怎么申请", "兵役登记在哪里") from one
it answers in other words ("户口从西湖区迁到上城区要什么手续"). It declines when the best service
answers none of the question's telling words, where:
- generic words (data/generic_words.txt: 办理, 证明, 登记, 明天, 一下 …) do not tell: they say what
  is done or when, not what about, and nearly every service has some of them;
- a word that neither the dictionary nor the catalog knows is the segmenter's guess ("哪开"), not a
  word the person wrote;
- a word inside a longer word of the question is answered through that word: 居住 does not answer
  居住证, while 港澳 and 通行证 together answer 港澳通行证;
- what a phrase means (the synonym table) is answered whole: 证明 does not answer 无犯罪;
- a sound answers a word only through a catalog word that shares a character with it: a typo changes
  a character of a word (身分证, 公基金), a mere homophone all of them (一升 and 医生);
- a word right after one the catalog does not know names a kind of it that the catalog does not have
  (律师执业证, 日本的驾照).
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.assistant.index import CatalogIndex, Hit
from yiwang.assistant.text import PINYIN, generic_words

MODIFIER_MARK = "的"  # 日本的驾照: the mark between a modifier and the word it modifies


@dataclass
class _Word:
    """A word of the question and what the best service makes of it."""

    text: str
    known: bool  # the catalog has the word, its sound or what it means
    answered: bool
    generic: bool
    guessed: bool


def catalog_answers(index: CatalogIndex, question: str, hit: Hit) -> bool:
    """Whether `hit` (the best answer to `question`) answers at least one telling word of it."""
    generic = generic_words()
    words = []
    for text, terms in index.analyzer.query(question).meanings.items():
        meant = {t for t in terms if not t.startswith(PINYIN) and t != text}
        known = any(index.bm25.idf(t) > 0 for t in terms)
        words.append(
            _Word(
                text=text,
                known=known,
                answered=any(_answers(index, text, term) for term in terms & hit.found),
                generic=text in generic or (bool(meant) and meant <= generic),
                guessed=not known and not index.analyzer.knows(text),
            )
        )
    words = _whole_words(words)
    telling = [w for w in words if not w.generic and not w.guessed]
    unknown = {w.text for w in telling if not w.known}
    tokens = index.analyzer.tokens(question)
    return any(w.answered and _before(w.text, tokens) not in unknown for w in telling)


def _answers(index: CatalogIndex, word: str, term: str) -> bool:
    """Whether a term found in a service answers `word`: not a generic word, and a sound only through
    a catalog word that is not generic and shares a character with it."""
    generic = generic_words()
    if not term.startswith(PINYIN):
        return term not in generic
    return any(w not in generic and set(w) & set(word) for w in index.sounds.get(term, ()))


def _whole_words(words: list[_Word]) -> list[_Word]:
    """The words not inside a longer word of the question; a longer word the service does not have
    itself is answered when the answered words inside it cover all its characters."""
    for outer in words:
        if outer.answered:
            continue
        covered: set[int] = set()
        for inner in words:
            if inner.answered and inner.text != outer.text and inner.text in outer.text:
                start = outer.text.find(inner.text)
                covered.update(range(start, start + len(inner.text)))
        outer.answered = bool(covered) and len(covered) == len(outer.text)
    return [w for w in words if not any(w.text != o.text and w.text in o.text for o in words)]


def _before(word: str, tokens: list[str]) -> str:
    """The word written right before `word` (skipping a 的), "" when none."""
    for i, token in enumerate(tokens):
        if word in token or (len(token) > 1 and token in word):
            j = i - 1
            if j >= 0 and tokens[j] == MODIFIER_MARK:
                j -= 1
            return tokens[j] if j >= 0 else ""
    return ""

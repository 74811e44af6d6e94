"""How a question and the catalog are cut into words: stopwords, synonyms, homophones."""

from __future__ import annotations

from yiwang.assistant.text import PINYIN, Analyzer


def analyzer() -> Analyzer:
    return Analyzer(["营业执照", "公积金", "补领"])


def test_the_words_around_what_a_person_wants_are_dropped():
    assert analyzer().words("请问我想办护照怎么办") == ["护照"]


def test_a_catalog_word_stays_whole():
    assert "营业执照" in analyzer().words("营业执照丢了")


def test_a_question_is_searched_also_for_what_its_phrases_mean():
    query = analyzer().query("身份证丢了怎么办")

    assert query.weights["补领"] < query.weights["身份证"]
    # “丢了” and what it means are one telling word of the question, not two.
    assert any({"补领", "遗失"} <= group for group in query.groups)


def test_a_homophone_typed_by_mistake_sounds_like_the_right_word():
    index_terms = analyzer().terms("住房公积金提取")
    query = analyzer().query("公基金怎么取")

    assert f"{PINYIN}gongjijin" in index_terms
    assert f"{PINYIN}gongjijin" in query.weights


def test_full_width_letters_and_case_do_not_matter():
    assert analyzer().words("ＥＴＣ办理") == analyzer().words("etc办理")

"""The BM25 ranking over weighted fields that catalog search stands on."""

from __future__ import annotations

from yiwang.assistant.bm25 import Bm25Index

WEIGHTS = {"name": 3.0, "materials": 0.3}
PROMINENT = frozenset({"name"})


def test_a_rarer_word_outranks_a_common_one():
    index = Bm25Index(
        {
            "passport": {"name": ["护照", "签发"]},
            "id-card": {"name": ["身份证", "签发"]},
            "driving": {"name": ["驾驶证", "签发"]},
        },
        WEIGHTS,
        PROMINENT,
    )

    ranked = index.score({"护照": 1.0, "签发": 1.0})

    assert [s.key for s in ranked] == ["passport", "driving", "id-card"]
    assert ranked[0].score > ranked[1].score


def test_a_word_in_a_heavier_field_counts_more():
    index = Bm25Index(
        {"named": {"name": ["护照"]}, "needs": {"materials": ["护照"], "name": ["签证"]}}, WEIGHTS, PROMINENT
    )

    ranked = index.score({"护照": 1.0})

    assert [s.key for s in ranked] == ["named", "needs"]
    assert ranked[0].prominent == ("护照",) and ranked[1].prominent == ()


def test_rarity_is_counted_where_a_word_is_prominent_not_among_materials():
    documents = {f"item{i}": {"name": [f"事项{i}"], "materials": ["身份证"]} for i in range(9)}
    documents["id-card"] = {"name": ["身份证"], "materials": ["照片"]}
    index = Bm25Index(documents, WEIGHTS, PROMINENT)

    assert index.idf("身份证") == index.max_idf
    assert index.score({"身份证": 1.0})[0].key == "id-card"


def test_a_word_no_document_has_finds_nothing():
    index = Bm25Index({"passport": {"name": ["护照"]}}, WEIGHTS, PROMINENT)

    assert index.score({"天气": 1.0}) == []
    assert index.idf("天气") == 0.0

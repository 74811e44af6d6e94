"""The assistant declines a question when the best service answers none of the words that tell what
it is about (assistant/confidence.py), while catalog search still lists that service."""

from __future__ import annotations

import pytest

from tests.factories import make_item
from yiwang.assistant.conversation import assistant_reply
from yiwang.assistant.models import UnansweredQuestion
from yiwang.assistant.selectors import search

pytestmark = pytest.mark.django_db


def kind(text: str) -> str:
    return assistant_reply(text=text, audience="person").kind


def test_a_service_that_shares_only_generic_words_with_the_question_does_not_answer_it():
    make_item(name="生育登记", keywords="准生证 怀孕登记", recipients="1")

    assert kind("兵役登记在哪里") == "decline"
    assert kind("怀孕了要去登记吗") == "answer"
    assert UnansweredQuestion.objects.filter(text="兵役登记在哪里").exists()


def test_search_still_lists_what_the_assistant_declines():
    make_item(name="生育登记", keywords="准生证 怀孕登记", recipients="1")

    assert [h.entry.name for h in search("兵役登记在哪里")] == ["生育登记"]


def test_a_kind_of_a_thing_the_catalog_does_not_have_is_not_that_thing():
    make_item(name="医师执业注册", keywords="医生执业证 执业注册", recipients="1")

    assert kind("律师执业证怎么申请") == "decline"
    assert kind("医生执业证怎么申请") == "answer"


def test_a_word_inside_a_longer_word_of_the_question_does_not_answer_it():
    make_item(name="异地就医备案", keywords="异地长期居住 外地看病", recipients="1")

    assert kind("居住证怎么办") == "decline"
    assert kind("在外地长期居住看病怎么报销") == "answer"


def test_a_homophone_typo_answers_but_a_word_that_only_sounds_alike_does_not():
    make_item(name="居民身份证补领", keywords="身份证丢了", recipients="1")
    make_item(name="医师执业注册", keywords="医生注册", recipients="1")

    assert kind("身分证丢了怎么办") == "answer"
    assert kind("今天汽油多少钱一升") == "decline"

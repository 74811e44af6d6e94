"""智能客服: one turn of a conversation, answered from the catalog and nothing else.

A question is searched with the catalog index. When nothing answers it, or the best service answers
none of the words that tell what it is about (confidence.py), the assistant says so and offers the
12345 hotline — it never guesses — and the question is kept (identifiers removed) for the catalog
administrators. When the answers differ by who asks (个人 or 企业) and that is not known yet,
it asks once. Otherwise it names the best service, why it matches, and the next best ones; the
service becomes the conversation's subject, so "那要带什么" or "要多久" are answered about it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.throttle import Rule, throttle_key, throttle_take
from yiwang.assistant.answers import HOTLINE, bundle_facts, item_facts, topic_text
from yiwang.assistant.index import Hit
from yiwang.assistant.models import Conversation, UnansweredQuestion
from yiwang.assistant.selectors import question_answered, search
from yiwang.catalog import selectors as catalog
from yiwang.core.errors import NotFound, ValidationFailed
from yiwang.core.masking import ID_NUMBER_RE, MOBILE_RE

MAX_TEXT = 200
CHOICES_SHOWN = 3
# Below this share of what the question's words tell, the best answer is offered as a guess to check.
SURE = 0.35

# Words of a follow-up, by what it asks about the current service.
FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "materials": ("带什么", "带啥", "材料", "准备什么", "准备啥", "需要什么", "要什么", "证件"),
    "time": ("多久", "几天", "多长时间", "多少天", "时限", "什么时候", "多快", "多长"),
    "fees": ("多少钱", "收费", "费用", "要钱", "花钱", "免费", "收钱"),
    "where": ("在哪", "哪里办", "去哪", "地址", "几点", "上班时间", "办公时间", "窗口", "地点", "哪儿"),
    "online": ("网上", "线上", "手机上", "在线", "网办", "不用跑"),
    "phone": ("电话", "热线", "号码"),
}
AUDIENCES: dict[str, tuple[str, ...]] = {
    "person": ("个人", "自己", "本人", "自然人", "私人"),
    "legal": ("企业", "公司", "单位", "法人", "个体户", "商户"),
}
AUDIENCE_LABELS = {"person": "个人", "legal": "企业（单位）"}
_CLEAN = re.compile(r"[\s，。？！、,.?!]+")


@dataclass
class Reply:
    """One answer: `kind` is answer / choices (not sure: the nearest services) / clarify (个人 or 企业?)
    / decline (the catalog has no answer); `text` is what is shown; the rest is the same as data."""

    conversation: Conversation
    kind: str
    text: str
    topic: str = ""
    service: dict[str, Any] | None = None
    choices: list[dict[str, Any]] = field(default_factory=list)
    options: list[dict[str, str]] = field(default_factory=list)


def topic_of(text: str) -> str:
    """What a message asks about a service ("" when it names no topic)."""
    for topic, words in FOLLOW_UPS.items():
        if any(w in text for w in words):
            return topic
    return ""


def audience_of(text: str) -> str:
    for audience, words in AUDIENCES.items():
        if any(w in text for w in words):
            return audience
    return ""


def without_identifiers(text: str) -> str:
    """The text with every ID number and mobile number taken out, as it may be kept."""
    return MOBILE_RE.sub("[手机号]", ID_NUMBER_RE.sub("[身份证号]", text))


# Per client address: a person types a few questions a minute; a script asking thousands is stopped.
MESSAGE_RULE = Rule(limit=60, window=timedelta(minutes=10))


def message_allowed(client_address: str) -> None:
    """Count a message from `client_address`; Throttled once it asked too many in the window."""
    throttle_take(
        throttle_key("assistant:address", client_address),
        MESSAGE_RULE,
        refusal="提问过于频繁",
        code="assistant_throttled",
    )


@transaction.atomic
def assistant_reply(
    *,
    text: str,
    conversation_id: uuid.UUID | None = None,
    user: User | None = None,
    channel: str = "web",
    audience: str = "",
) -> Reply:
    """Answer one message of a conversation (a new one when `conversation_id` is None)."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise ValidationFailed({"text": [f"请输入 1–{MAX_TEXT} 个字的问题"]}, code="invalid_question")
    if conversation_id is None:
        conversation = Conversation(user=user, channel=channel)
    else:
        found = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if found is None:
            raise NotFound("会话不存在或已过期，请重新提问", code="conversation_not_found")
        conversation = found
    if audience in AUDIENCES:
        conversation.audience = audience
    conversation.turns += 1
    reply = _turn(conversation, text)
    conversation.save()
    return reply


def _turn(conversation: Conversation, text: str) -> Reply:
    said = audience_of(text)
    if conversation.pending_question and said:
        conversation.audience, question = said, conversation.pending_question
        conversation.pending_question = ""
        return _answer(conversation, question, topic_of(question))
    topic = topic_of(text)
    hits = search(text)
    if conversation.current_code and topic and _is_follow_up(text, hits, conversation):
        return _about_current(conversation, topic)
    return _answer(conversation, text, topic, hits)


def _is_follow_up(text: str, hits: list[Hit], conversation: Conversation) -> bool:
    """A message about the current service: it names nothing else, or what it names is that service."""
    return not hits or hits[0].entry.code == conversation.current_code or hits[0].coverage < SURE


def _facts(kind: str, code: str) -> dict[str, Any]:
    if kind == "bundle":
        return bundle_facts(catalog.bundle_detail(code))
    return item_facts(catalog.item_guide(code))


def _about_current(conversation: Conversation, topic: str) -> Reply:
    facts = _facts(conversation.current_kind, conversation.current_code)
    return Reply(conversation, "answer", topic_text(facts, topic), topic=topic, service=facts)


def _serves(hit: Hit, audience: str) -> bool:
    return "1" in hit.entry.recipients if audience == "person" else bool(hit.entry.recipients - {"1"})


def _answer(conversation: Conversation, question: str, topic: str, hits: list[Hit] | None = None) -> Reply:
    hits = search(question) if hits is None else hits
    audience = conversation.audience or audience_of(question)
    if audience:
        hits = [h for h in hits if _serves(h, audience)] or hits
    if not hits or not question_answered(question, hits[0]):
        _log_unanswered(question)
        return Reply(
            conversation,
            "decline",
            f"抱歉，本市政务服务事项中没有找到与您的问题对应的服务，我不作猜测。"
            f"您可以拨打政务服务热线 {HOTLINE} 咨询，或换个说法再问一次。",
        )
    top = hits[:CHOICES_SHOWN]
    serves = {
        ("person" if _serves(h, "person") else "") + ("legal" if _serves(h, "legal") else "") for h in top
    }
    if not audience and {"person", "legal"} <= serves:
        conversation.pending_question = question[:MAX_TEXT]
        return Reply(
            conversation,
            "clarify",
            "请问您是以个人身份办理，还是为企业（单位）办理？",
            options=[{"value": value, "label": label} for value, label in AUDIENCE_LABELS.items()],
        )
    choices = [
        {"kind": h.entry.kind, "code": h.entry.code, "name": h.entry.name, "why": list(h.words)} for h in top
    ]
    best = hits[0]
    if best.coverage < SURE:
        _log_unanswered(question)
        names = "、".join(f"“{c['name']}”" for c in choices)
        return Reply(
            conversation,
            "choices",
            f"我不太确定您要办的是哪一项。最接近的是：{names}。请点选一项，"
            f"或说得具体一些；也可拨打政务服务热线 {HOTLINE}。",
            choices=choices,
        )
    conversation.current_kind, conversation.current_code = best.entry.kind, best.entry.code
    facts = _facts(best.entry.kind, best.entry.code)
    kind_label = "一件事" if best.entry.kind == "bundle" else "事项"
    text = f"您要办的应该是{kind_label}“{best.entry.name}”（{facts['department']}）。"
    text += topic_text(facts, topic) if topic else facts["summary"]
    text += "\n您还可以问：要带什么材料、要多久、在哪里办、收不收费、能不能网上办。"
    return Reply(conversation, "answer", text, topic=topic, service=facts, choices=choices)


def _log_unanswered(question: str) -> None:
    """Count the question among those not answered, as text without identifiers."""
    text = without_identifiers(_CLEAN.sub(" ", question).strip())[:MAX_TEXT]
    counted = UnansweredQuestion.objects.filter(text=text)
    if counted.update(times_asked=F("times_asked") + 1):
        return
    try:
        with transaction.atomic():  # a savepoint: losing a race for the row must not undo the turn
            UnansweredQuestion.objects.create(text=text)
    except IntegrityError:
        counted.update(times_asked=F("times_asked") + 1)


def conversations_purge(*, days: int = 30) -> int:
    """Delete conversations untouched for `days` days; the questions not answered stay counted."""
    deleted, _ = Conversation.objects.filter(updated_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted

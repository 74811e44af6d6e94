"""消息通知: the outbox. A message (站内信) is written in the transaction of the event that causes it;
its SMS, when one is due, is a delivery row the worker sends and the provider's receipt settles."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from yiwang.core.fields import BlindIndexField, EncryptedField


class MessageKind(models.TextChoices):
    """消息类型: what happened. Citizens choose per kind whether it also comes by SMS."""

    CASE_ACCEPTED = "case_accepted", "受理通知"
    CASE_REFUSED = "case_refused", "不予受理通知"
    SUPPLEMENT_REQUESTED = "supplement_requested", "补正告知"
    CASE_EXTENDED = "case_extended", "延长办理期限"
    CASE_COMPLETED = "case_completed", "办结通知"
    DEADLINE_YELLOW = "deadline_yellow", "临期预警"
    DEADLINE_RED = "deadline_red", "超期警告"
    DAILY_SUMMARY = "daily_summary", "每日预警汇总"
    BAD_RATING = "bad_rating", "差评待整改"
    RATING_RECTIFIED = "rating_rectified", "差评整改反馈"
    REQUEST_ASSIGNED = "request_assigned", "诉求待签收"
    REQUEST_RETURNED = "request_returned", "诉求退回待派单"
    REQUEST_ANSWERED = "request_answered", "诉求答复"
    REQUEST_SUPERVISED = "request_supervised", "诉求督办"
    FEEDBACK_OVERDUE = "feedback_overdue", "差评整改/诉求超期"


class Message(models.Model):
    """站内信: one message to one account's inbox (or, for an applicant without an account, only the
    carrier of an SMS)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,  # message_inbox leads with it
    )
    kind = models.CharField("类型", max_length=32, choices=MessageKind.choices)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=200, blank=True)
    subject = models.CharField("相关办件", max_length=40, blank=True, help_text="办件编号")
    # The same event noticed twice (a job run again, two workers) writes one message: the second
    # insert of a key fails and is skipped.
    key = models.CharField("去重键", max_length=160, null=True, blank=True, editable=False)  # noqa: DJ001 (NULLs never collide)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内信"
        verbose_name_plural = "站内信"
        constraints = [models.UniqueConstraint(fields=["key"], name="message_key_unique")]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="message_inbox")]

    def __str__(self) -> str:
        return self.title


class SmsState(models.TextChoices):
    """短信状态, as GOV.UK Notify names them."""

    CREATED = "created", "待发送"
    SENDING = "sending", "已提交运营商"
    DELIVERED = "delivered", "已送达"
    TEMPORARY_FAILURE = "temporary_failure", "暂时失败（将重试）"
    PERMANENT_FAILURE = "permanent_failure", "发送失败"


class Sms(models.Model):
    """短信: the SMS of one message, from created to the provider's delivery receipt."""

    message = models.OneToOneField(Message, verbose_name="消息", on_delete=models.CASCADE, related_name="sms")
    phone = EncryptedField("手机号码")
    phone_index = BlindIndexField(source="phone")  # the daily cap counts per number: see Meta
    template = models.CharField("短信模板", max_length=64)
    params = models.JSONField("模板参数", default=dict, help_text="已脱敏：姓名仅留姓，不含证件号码")
    state = models.CharField("状态", max_length=20, choices=SmsState.choices, default=SmsState.CREATED)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    not_before = models.DateTimeField("最早发送时间", help_text="免打扰时段或重试退避")
    # A worker holds what it claimed until then; one killed mid-send leaves the row to be claimed
    # again, and the gateway recognises the same idempotency key.
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    claim = models.UUIDField("占用标记", null=True, blank=True, editable=False)
    idempotency_key = models.UUIDField("幂等键", default=uuid.uuid4, editable=False)
    provider_id = models.CharField("运营商回执编号", max_length=64, blank=True)
    error = models.CharField("错误", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("提交时间", null=True, blank=True)
    settled_at = models.DateTimeField("回执时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信"
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], name="sms_idempotency_key_unique")]
        indexes = [
            models.Index(fields=["state", "not_before"], name="sms_due"),
            models.Index(fields=["provider_id"], name="sms_provider_id"),
            models.Index(fields=["phone_index", "created_at"], name="sms_daily_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.template}（{self.get_state_display()}）"


class SmsPreference(models.Model):
    """短信订阅: the kinds of message a citizen does not want by SMS (the inbox gets them anyway)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="sms_preference"
    )
    muted = models.JSONField("不接收短信的消息类型", default=list, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "短信订阅"
        verbose_name_plural = "短信订阅"

    def __str__(self) -> str:
        return str(self.user)

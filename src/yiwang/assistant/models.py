"""智能客服: conversations (what each is about, so follow-ups need not repeat it) and the questions it
could not answer, for catalog administrators to add 常用叫法 from."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Conversation(models.Model):
    """咨询会话: the service being talked about and the asker's audience (个人 / 企业), once known."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField("渠道", max_length=10)
    audience = models.CharField("服务对象", max_length=10, blank=True, help_text="person / legal，未知为空")
    current_kind = models.CharField("当前事项类型", max_length=10, blank=True)
    current_code = models.CharField("当前事项编码", max_length=40, blank=True)
    pending_question = models.CharField("待澄清的问题", max_length=200, blank=True)
    turns = models.PositiveIntegerField("轮次", default=0)
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近时间", auto_now=True)

    class Meta:
        verbose_name = "咨询会话"
        verbose_name_plural = "咨询会话"
        indexes = [models.Index(fields=["updated_at"], name="assistant_conv_updated")]

    def __str__(self) -> str:
        return f"{self.pk}（{self.turns} 轮）"


class UnansweredQuestion(models.Model):
    """未能回答的问题: one row per distinct question (identifiers removed), counted each time it is asked."""

    text = models.CharField("问题", max_length=200, unique=True)
    times_asked = models.PositiveIntegerField("次数", default=1)
    first_asked_at = models.DateTimeField("首次提问", auto_now_add=True)
    last_asked_at = models.DateTimeField("最近提问", auto_now=True)

    class Meta:
        verbose_name = "未能回答的问题"
        verbose_name_plural = "未能回答的问题"
        ordering = ["-times_asked", "-last_asked_at"]

    def __str__(self) -> str:
        return self.text

"""用数记录: every read of a holder's licences or data, granted or refused, in a hash chain.

Each row carries the SM3 hash of its own content and of the row before it, so editing, deleting or
reordering any row breaks the chain (`yiwang audit verify`). The table is append-only in the
database too: triggers refuse UPDATE and DELETE (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiwang.core.fields import BlindIndexField, EncryptedField


class Outcome(models.TextChoices):
    GRANTED = "granted", "准许"
    REFUSED = "refused", "拒绝"


class Basis(models.TextChoices):
    """Why a read was allowed."""

    HOLDER_SELF = "holder_self", "本人查询"
    HOLDER_AUTHORISED = "holder_authorised", "持证人在申请中授权"
    LEGAL_BASIS = "legal_basis", "法定共享依据"
    NONE = "", "无"


class DataUse(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="使用人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("使用人姓名", max_length=100)
    department = models.ForeignKey(
        "catalog.Department", verbose_name="使用部门", null=True, on_delete=models.PROTECT, related_name="+"
    )
    department_name = models.CharField("使用部门名称", max_length=100, blank=True)
    case_number = models.CharField("办件编号", max_length=40, blank=True)
    reason = models.CharField("申请事由", max_length=200, blank=True)
    holder_code = EncryptedField("持证主体代码")
    holder_code_index = BlindIndexField(source="holder_code")
    licence_identifier = models.CharField("电子证照标识", max_length=120, blank=True)
    action = models.CharField("操作", max_length=20, help_text="query 查询 / view 查看 / download 下载")
    fields = models.JSONField("涉及字段", default=list)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    basis = models.CharField("依据", max_length=20, choices=Basis.choices, blank=True)
    refusal = models.CharField("拒绝原因", max_length=200, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("本条哈希", max_length=64)

    class Meta:
        verbose_name = "用数记录"
        verbose_name_plural = "用数记录"
        ordering = ["seq"]
        indexes = [models.Index(fields=["holder_code_index", "-seq"], name="datause_holder_recent")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.department_name or self.actor_name} {self.get_outcome_display()}"

"""运维 records: background jobs that failed after their retries, for administrators to look at and run
again (nothing the worker gives up on is dropped silently)."""

from __future__ import annotations

from django.db import models


class FailedJob(models.Model):
    """失败的后台任务."""

    task = models.CharField("任务", max_length=200)
    task_id = models.CharField("任务编号", max_length=64)
    args = models.JSONField("参数", default=list, blank=True)
    kwargs = models.JSONField("命名参数", default=dict, blank=True)
    error = models.TextField("错误", help_text="异常与调用栈，证件号码与手机号码已脱敏")
    failed_at = models.DateTimeField("失败时间", auto_now_add=True)
    retried_at = models.DateTimeField("重新执行时间", null=True, blank=True)

    class Meta:
        verbose_name = "失败的后台任务"
        verbose_name_plural = "失败的后台任务"
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task}（{self.failed_at:%Y-%m-%d %H:%M}）"

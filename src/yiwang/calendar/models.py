"""Local adjustments to the national working-day calendar."""

from __future__ import annotations

from django.db import models


class DayOverride(models.Model):
    """工作日调整: one day whose working status differs from the national calendar, or a year's
    State Council arrangement entered by hand before chinese-calendar knows it."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField(
        "是否工作日", help_text="勾选 = 当天上班（如调休）；不勾选 = 当天不计工作日（如台风停工）"
    )
    name = models.CharField("名称", max_length=50, help_text="如：春节调休、台风停工")
    note = models.TextField("说明", blank=True, help_text="依据文件、发布单位等")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{'上班' if self.is_working_day else '休息'}）"

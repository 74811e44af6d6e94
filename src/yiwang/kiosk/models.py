"""The kiosk PIN of a citizen: a password-hasher digest, never the digits. Failed tries are counted
per ID number by `accounts.throttle` (kiosk.services), whether or not the number has a PIN."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class KioskPin(models.Model):
    """自助终端密码: six digits the citizen chose, hashed like a password, locked after repeated failures."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="kiosk_pin"
    )
    pin_hash = models.CharField("密码摘要", max_length=128)
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "自助终端密码"
        verbose_name_plural = "自助终端密码"

    def __str__(self) -> str:
        return f"{self.user} 的自助终端密码"

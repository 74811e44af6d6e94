"""Reads of the use log: “who used my data” (like Estonia's Data Tracker)."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.accounts.models import User
from yiwang.sharing.models import DataUse
from yiwang.sharing.services import own_code


def data_uses_of(user: User) -> QuerySet[DataUse]:
    """Every recorded use of the user's own data, newest first (an index range on holder_code)."""
    code = own_code(user)
    if not code:
        return DataUse.objects.none()
    return DataUse.objects.filter(holder_code=code.upper()).order_by("-seq")

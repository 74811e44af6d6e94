"""Reading the inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.accounts.models import User
from yiwang.notifications.models import Message


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Message]:
    """站内信, newest first."""
    messages = Message.objects.filter(recipient=user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def message_of(user: User, message_id: int) -> Message | None:
    return Message.objects.filter(pk=message_id, recipient=user).first()

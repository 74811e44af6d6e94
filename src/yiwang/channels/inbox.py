"""站内信 on the portal and the workbench: opening a message (which reads it), and the words and link a
message is shown with. The inbox itself is notifications' (`selectors.inbox`, `services.message_mark_read`)."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

from yiwang.accounts.models import User
from yiwang.notifications import selectors, services
from yiwang.notifications.models import Message, MessageKind

# Larger ids exist in no inbox; a lookup with one would overflow SQLite's INTEGER.
MAX_MESSAGE_ID = 2**62

# The button under a message: where its link leads, in the reader's words.
LINK_LABELS: dict[str, str] = {
    MessageKind.CASE_ACCEPTED: "查看办件进度",
    MessageKind.CASE_REFUSED: "查看并评价",  # the rating page, which links on to the application
    MessageKind.SUPPLEMENT_REQUESTED: "查看并补正材料",
    MessageKind.CASE_EXTENDED: "查看办件进度",
    MessageKind.CASE_COMPLETED: "查看结果并评价",
    MessageKind.RATING_RECTIFIED: "查看整改结果并追评",
    MessageKind.REQUEST_ANSWERED: "查看答复并评价",
    MessageKind.DEADLINE_YELLOW: "打开办件",
    MessageKind.DEADLINE_RED: "打开办件",
    MessageKind.DAILY_SUMMARY: "查看部门办件",
}


def message_open(user: User, message_id: int) -> Message | None:
    """One of `user`'s messages, marked read as it is opened; None for an id that is not theirs."""
    if message_id > MAX_MESSAGE_ID:
        return None
    message = selectors.message_of(user, message_id)
    if message is not None and message.read_at is None:
        services.message_mark_read(user=user, message_id=message.pk)
        message.refresh_from_db(fields=["read_at"])
    return message


def message_link(message: Message) -> str:
    """The message's link when it is a page of this site (a path), else nothing to follow."""
    link = message.link
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link
    return ""


def link_label(message: Message) -> str:
    return LINK_LABELS.get(message.kind, "查看详情")

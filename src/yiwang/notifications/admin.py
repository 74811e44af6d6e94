"""消息通知 in the admin (系统管理员): the outbox as it stands — messages, and SMS with their state, the
provider's answer and a way to send again those that failed for good (after the number was corrected,
or the template approved). Phone numbers are shown masked; nothing is edited by hand."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from yiwang.core.masking import mask_mobile
from yiwang.notifications.models import Message, Sms, SmsState


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "recipient", "subject", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["subject", "title"]
    exclude = ["key"]


SMS_FIELDS = (
    "message",
    "masked_phone",
    "template",
    "params",
    "state",
    "attempts",
    "not_before",
    "provider_id",
    "error",
    "created_at",
    "sent_at",
    "settled_at",
)


@admin.register(Sms)
class SmsAdmin(ReadOnlyAdmin):
    list_display = [
        "message",
        "masked_phone",
        "template",
        "state",
        "attempts",
        "created_at",
        "not_before",
        "sent_at",
        "settled_at",
        "error",
    ]
    list_filter = ["state", "template"]
    search_fields = ["provider_id", "message__subject"]
    fields = SMS_FIELDS
    readonly_fields = SMS_FIELDS
    actions = ["send_again"]

    @admin.display(description="手机号码")
    def masked_phone(self, sms: Sms) -> str:
        return mask_mobile(sms.phone)

    @admin.action(description="重新发送所选的发送失败短信")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Sms]) -> None:
        # A new idempotency key: the provider must take it as a new message, not the refused one.
        failed = list(queryset.filter(state=SmsState.PERMANENT_FAILURE).values_list("pk", flat=True))
        for pk in failed:
            Sms.objects.filter(pk=pk, state=SmsState.PERMANENT_FAILURE).update(
                state=SmsState.CREATED,
                attempts=0,
                error="",
                not_before=timezone.now(),
                idempotency_key=uuid.uuid4(),
                settled_at=None,
            )
        self.message_user(request, f"已重新排队 {len(failed)} 条短信（只处理“发送失败”的）")

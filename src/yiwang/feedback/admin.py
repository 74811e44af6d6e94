"""好差评与诉求 in the admin: the records as they stand, read only — ratings, 差评整改, appeals, requests and
their events. Everything is changed through the workbench and the API, which check the rules; a 举报's
contact and every phone number are not shown here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yiwang.feedback.models import BadRatingTask, Rating, RatingAppeal, RequestEvent, ServiceRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "department", "scope", "channel", "level", "current", "excluded", "deemed"]
    list_filter = ["level", "scope", "channel", "excluded", "department"]
    exclude = ["rater", "rater_name"]
    date_hierarchy = "created_at"


@admin.register(BadRatingTask)
class BadRatingTaskAdmin(ReadOnlyAdmin):
    list_display = ["pk", "department", "status", "callback_due", "fix_due", "outcome"]
    list_filter = ["status", "outcome", "department"]


@admin.register(RatingAppeal)
class RatingAppealAdmin(ReadOnlyAdmin):
    list_display = ["pk", "rating", "reason", "filed_at", "upheld", "decided_at"]
    list_filter = ["reason", "upheld"]


class EventInline(admin.TabularInline):
    model = RequestEvent
    fields = ("at", "action", "stage", "department", "note")
    readonly_fields = ("at", "action", "stage", "department", "note")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "type", "channel", "title", "department", "stage", "due", "closed_on_time"]
    list_filter = ["type", "stage", "channel", "department"]
    search_fields = ["number"]
    exclude = ["tracking_digest", "contact_name", "contact_phone", "submitter", "taken_by"]
    inlines = [EventInline]

"""智能客服后台: the questions it could not answer, most asked first, and a way to teach the catalog
the words people used (a 常用叫法 added to the right item's draft)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html

from yiwang.assistant.models import UnansweredQuestion
from yiwang.catalog.models import ServiceItem
from yiwang.catalog.services import item_alias_add
from yiwang.core.errors import DomainError


class AliasForm(forms.Form):
    item = forms.ModelChoiceField(
        label="事项",
        queryset=ServiceItem.objects.filter(published_version__isnull=False)
        .select_related("published_version")
        .order_by("code"),
    )
    alias = forms.CharField(label="常用叫法", max_length=30, help_text="人们的说法，如“身份证丢了”")


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "times_asked", "last_asked_at", "alias_link"]
    search_fields = ["text"]
    readonly_fields = ["text", "times_asked", "first_asked_at", "last_asked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="处理")
    def alias_link(self, obj: UnansweredQuestion) -> str:
        url = reverse("admin:assistant_unansweredquestion_alias", args=[obj.pk])
        return format_html('<a href="{}">加为常用叫法</a>', url)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<int:pk>/alias/",
                self.admin_site.admin_view(self.alias_view),
                name="assistant_unansweredquestion_alias",
            )
        ]
        return own + super().get_urls()

    def alias_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_change_permission(request):
            return HttpResponse("没有修改事项目录的权限", status=403)
        question = get_object_or_404(UnansweredQuestion, pk=pk)
        form = AliasForm(request.POST or None, initial={"alias": question.text[:30]})
        if request.method == "POST" and form.is_valid():
            try:
                draft = item_alias_add(item=form.cleaned_data["item"], alias=form.cleaned_data["alias"])
            except DomainError as exc:
                for field, problems in exc.fields.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                question.delete()  # answered from now on, once the draft is published
                messages.success(
                    request, f"已加入“{draft.name}”的草稿（第 {draft.version} 版），请核对后发布。"
                )
                return HttpResponseRedirect(reverse("admin:catalog_itemversion_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "question": question,
            "title": "加为常用叫法",
            "opts": self.model._meta,
        }
        return render(request, "admin/assistant/alias.html", context)

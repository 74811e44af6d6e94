"""Workbench forms: they parse what staff type; the case engine decides whether it is acceptable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from yiwang.cases.deadlines import Warning
from yiwang.cases.handover import HandoverField
from yiwang.cases.models import ApplicantKind, SuspensionKind
from yiwang.cases.pledges import METHODS
from yiwang.cases.states import CaseStatus
from yiwang.core.identifiers import IdentifierError, normalize_id_number, normalize_uscc


class ApplicantLookupForm(forms.Form):
    """查询办事人: by 公民身份号码 (natural person) or 统一社会信用代码 (legal person)."""

    kind = forms.ChoiceField(
        label="办事人类型",
        choices=[(ApplicantKind.PERSON, "自然人"), (ApplicantKind.LEGAL, "法人或其他组织")],
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    number = forms.CharField(
        label="证件号码",
        max_length=30,
        help_text="自然人填公民身份号码（18 位）；法人填统一社会信用代码（18 位）。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autofocus": True}),
    )
    name = forms.CharField(
        label="姓名 / 单位名称",
        max_length=100,
        required=False,
        help_text="按证件填写；已注册的办事人可留空，系统带出。",
    )
    legal_representative = forms.CharField(label="法定代表人", max_length=50, required=False)
    legal_representative_id_number = forms.CharField(
        label="法定代表人公民身份号码", max_length=30, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, number = data.get("kind"), data.get("number", "")
        if not number:
            return data
        try:
            data["number"] = (
                normalize_uscc(number) if kind == ApplicantKind.LEGAL else normalize_id_number(number)
            )
        except IdentifierError as exc:
            self.add_error("number", exc.message)
        rep_id = data.get("legal_representative_id_number", "")
        if kind == ApplicantKind.LEGAL and rep_id:
            try:
                data["legal_representative_id_number"] = normalize_id_number(rep_id)
            except IdentifierError as exc:
                self.add_error("legal_representative_id_number", exc.message)
        return data


class DeskSearchForm(forms.Form):
    q = forms.CharField(label="查找事项或一件事", max_length=50, required=False)


SCOPES = [("open", "待办"), ("all", "全部")]


class QueueFilterForm(forms.Form):
    scope = forms.ChoiceField(label="范围", choices=SCOPES, required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *CaseStatus.choices], required=False)
    warning = forms.ChoiceField(
        label="预警",
        choices=[
            ("", "全部"),
            (Warning.RED, "红灯（超期）"),
            (Warning.YELLOW, "黄灯（临近期限或环节超时）"),
            (Warning.NORMAL, "绿灯（正常）"),
        ],
        required=False,
    )
    department = forms.CharField(required=False, max_length=32)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else None


class ReasonForm(forms.Form):
    """理由/意见 for refuse, extend, approve, deny; whether one is required is the engine's rule."""

    reason = forms.CharField(
        label="理由", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SuspendForm(ReasonForm):
    kind = forms.ChoiceField(
        label="特别程序种类", choices=[("", "请选择"), *SuspensionKind.choices], required=False
    )


class CompleteForm(forms.Form):
    name = forms.CharField(label="结果名称", max_length=100, required=False)
    number = forms.CharField(label="结果文号 / 证照编号", max_length=100, required=False)
    note = forms.CharField(
        label="办结说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, handover: Sequence[HandoverField] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handover_names: list[tuple[str, str]] = []
        for f in handover:
            key = f"data_{f.name}"
            if (
                f.produced
            ):  # made by the case itself when it completes (企业设立登记's USCC): shown, not typed
                self.fields[key] = forms.CharField(
                    label=f.title, required=False, disabled=True, initial="办结时自动生成"
                )
                continue
            self.fields[key] = forms.CharField(label=f.title, max_length=200, required=False, initial=f.value)
            self.handover_names.append((key, f.name))

    def result(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[key] for key, name in self.handover_names if self.cleaned_data.get(key)
        }
        return {
            "name": self.cleaned_data.get("name", ""),
            "number": self.cleaned_data.get("number", ""),
            "note": self.cleaned_data.get("note", ""),
            "data": data,
        }


class PledgeCheckForm(forms.Form):
    truthful = forms.TypedChoiceField(
        label="核查结论",
        choices=[("yes", "承诺属实"), ("no", "承诺不实")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label="核查方式", choices=[("", "请选择"), *[(m, m) for m in METHODS]], required=False
    )
    note = forms.CharField(
        label="核查情况", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def supplement_items(post: Any, material_ids: list[int]) -> tuple[list[dict[str, Any]], str]:
    """The ticked materials with their reasons, in the order shown, and the note: what the notice lists."""
    items = []
    for material_id in material_ids:
        if post.get(f"missing-{material_id}"):
            items.append({"material": material_id, "reason": post.get(f"reason-{material_id}", "").strip()})
    return items, post.get("note", "").strip()[:1000]

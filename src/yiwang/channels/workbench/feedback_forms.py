"""Workbench forms for 好差评 and 诉求: what staff type; the rules are checked again by feedback's services."""

from __future__ import annotations

from django import forms

from yiwang.catalog.models import Department
from yiwang.feedback.models import AppealReason, Outcome, RequestType

TEXT = {"rows": 3, "maxlength": 2000}


class CallbackForm(forms.Form):
    note = forms.CharField(
        label="核实及回访情况",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="核实了什么，何时以何种方式联系了评价人，评价人怎么说",
    )


class RectifyForm(forms.Form):
    outcome = forms.ChoiceField(label="处置方式", choices=Outcome.choices, widget=forms.RadioSelect)
    result = forms.CharField(label="整改结果", max_length=2000, widget=forms.Textarea(attrs=TEXT))


class AppealForm(forms.Form):
    reason = forms.ChoiceField(label="申诉理由", choices=AppealReason.choices, widget=forms.RadioSelect)
    statement = forms.CharField(
        label="申诉说明", max_length=2000, widget=forms.Textarea(attrs=TEXT), help_text="写明事实和证据"
    )


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="复核结论",
        choices=[("yes", "申诉成立（不计入统计）"), ("no", "申诉不成立")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="复核意见", max_length=2000, widget=forms.Textarea(attrs=TEXT))


class HotlineForm(forms.Form):
    """热线坐席 typing a caller's request."""

    type = forms.ChoiceField(label="诉求类型", choices=RequestType.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="诉求内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000})
    )
    contact_name = forms.CharField(label="来电人姓名", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    case = forms.CharField(label="涉及办件编号", max_length=40, required=False)
    anonymous = forms.BooleanField(label="来电人要求匿名（不留姓名和电话）", required=False)


def department_choices() -> list[tuple[str, str]]:
    return [("", "请选择承办部门"), *Department.objects.order_by("code").values_list("code", "name")]


class DispatchForm(forms.Form):
    department = forms.ChoiceField(label="承办部门", choices=())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].choices = department_choices()  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs=TEXT))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延期（工作日）", min_value=1, max_value=60)
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea(attrs=TEXT))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批",
        choices=[("yes", "批准延期"), ("no", "不批准")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="意见", max_length=2000, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000})
    )


class JudgeForm(forms.Form):
    """回访: the caller's word on the answer, as the operator heard it."""

    satisfied = forms.TypedChoiceField(
        label="回访结果",
        choices=[("yes", "满意"), ("no", "不满意")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="回访记录", max_length=2000, required=False, widget=forms.Textarea(attrs=TEXT)
    )


class ConcludeForm(forms.Form):
    conclusion = forms.CharField(label="督办结论", max_length=2000, widget=forms.Textarea(attrs=TEXT))

"""注册 page: real-name registration of a natural person or an enterprise, then signed in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.services import applicant_register
from yiwang.channels.guards import public
from yiwang.channels.refusals import field_errors_onto
from yiwang.core.errors import ValidationFailed
from yiwang.core.identifiers import IdentifierError, normalize_id_number, normalize_mobile, normalize_uscc

PERSON_FIELDS = ("name", "id_number")
LEGAL_FIELDS = ("company_name", "uscc", "legal_representative", "legal_representative_id_number")


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label="注册类型",
        choices=[(UserKind.PERSON, "个人（自然人）"), (UserKind.LEGAL, "法人（企业等单位）")],
        widget=forms.RadioSelect,
        initial=UserKind.PERSON,
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_number = forms.CharField(label="公民身份号码", max_length=30, required=False)
    company_name = forms.CharField(label="单位名称", max_length=100, required=False)
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    legal_representative = forms.CharField(label="法定代表人姓名", max_length=50, required=False)
    legal_representative_id_number = forms.CharField(
        label="法定代表人公民身份号码", max_length=30, required=False
    )
    mobile = forms.CharField(label="手机号码", max_length=20)
    password1 = forms.CharField(label="设置密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入密码", strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = "必填"

    def _require(self, names: tuple[str, ...]) -> None:
        for name in names:
            if not (self.cleaned_data.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, "必填")

    def _identifier(self, name: str, normalize: Any) -> str:
        value = self.cleaned_data.get(name) or ""
        if not value or name in self.errors:
            return ""
        try:
            return str(normalize(value))
        except IdentifierError as exc:
            self.add_error(name, exc.message)
            return ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == UserKind.PERSON:
            self._require(PERSON_FIELDS)
            data["id_number"] = self._identifier("id_number", normalize_id_number)
            name = data.get("name", "").strip()
            if name and len(name) < 2:
                self.add_error("name", "请填写与身份证一致的姓名")
        elif kind == UserKind.LEGAL:
            self._require(LEGAL_FIELDS)
            data["uscc"] = self._identifier("uscc", normalize_uscc)
            data["legal_representative_id_number"] = self._identifier(
                "legal_representative_id_number", normalize_id_number
            )
        data["mobile"] = self._identifier("mobile", normalize_mobile)
        password = data.get("password1") or ""
        if password and data.get("password2") and password != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致")
        elif password and kind in (UserKind.PERSON, UserKind.LEGAL):
            person = kind == UserKind.PERSON
            # The numbers being registered: the password may not contain them (NotPersonalNumberValidator).
            probe = User(
                username=str((data.get("id_number") if person else data.get("uscc")) or ""),
                name=(data.get("name") if person else data.get("company_name")) or "",
                kind=kind,
                id_number=data.get("id_number") or None if person else None,
                uscc=data.get("uscc") or None if not person else None,
                mobile=data.get("mobile") or "",
            )
            try:
                with translation.override("zh-hans"):  # the portal speaks Chinese whatever the browser says
                    validate_password(password, user=probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:my_applications")


def _password_help() -> list[str]:
    with translation.override("zh-hans"):
        return [str(text).rstrip("。") for text in password_validators_help_texts()]


@public
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """实名注册 (个人 / 法人); an account already signed in goes straight on."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = RegisterForm(request.POST or None)
    with translation.override("zh-hans"):  # Django's own messages too, whatever the browser's language
        valid = request.method == "POST" and form.is_valid()
    if valid:
        data = form.cleaned_data
        person = data["kind"] == UserKind.PERSON
        try:
            registered = applicant_register(
                kind=data["kind"],
                name=(data["name"] if person else data["company_name"]).strip(),
                id_number=data["id_number"] if person else "",
                uscc="" if person else data["uscc"],
                legal_representative="" if person else data["legal_representative"].strip(),
                legal_representative_id_number="" if person else data["legal_representative_id_number"],
                mobile=data["mobile"],
                password=data["password1"],
            )
        except ValidationFailed as exc:
            field_errors_onto(form, exc)
        else:
            login(request, registered.user, backend="yiwang.accounts.backends.IdentifierBackend")
            if registered.verified:
                messages.success(request, "注册成功，已通过实名核验。")
            else:
                messages.info(
                    request,
                    registered.notice
                    or "注册成功。账号尚未实名认证：可浏览、保存草稿和咨询；申请须实名认证的事项、查看电子证照前，"
                    "请携带身份证到政务服务中心窗口核验，或在自助终端刷身份证登录。",
                )
            return redirect(_next_url(request))
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "password_help": _password_help(),
        "kind": form["kind"].value() or UserKind.PERSON,
    }
    return render(request, "channels/portal/register.html", context, status=422 if form.errors else 200)

"""The kiosk sign-in form: ID number (typed on the keypad or read from the card) and the 6-digit PIN."""

from __future__ import annotations

from django import forms

from yiwang.core.identifiers import IdentifierError, normalize_id_number


class KioskLoginForm(forms.Form):
    id_number = forms.CharField(
        label="身份证号码",
        max_length=18,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false", "maxlength": 18}
        ),
    )
    pin = forms.CharField(
        label="自助终端密码",
        min_length=6,
        max_length=6,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric", "maxlength": 6}),
        error_messages={"min_length": "密码为 6 位数字", "max_length": "密码为 6 位数字"},
    )

    def clean_id_number(self) -> str:
        try:
            return normalize_id_number(self.cleaned_data["id_number"])
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean_pin(self) -> str:
        pin = str(self.cleaned_data["pin"])
        if not pin.isdigit():
            raise forms.ValidationError("密码为 6 位数字", code="pin_format")
        return pin

"""Password rules beyond Django's: never the ID number (or its tail), never the phone number."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class NotPersonalNumberValidator:
    """A password may not contain the user's ID number, USCC, mobile number, or the last 6 of them."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        lowered = password.lower()
        for number in (
            getattr(user, "id_number", None),
            getattr(user, "uscc", None),
            getattr(user, "mobile", None),
        ):
            if not number:
                continue
            number = str(number).lower()
            if number in lowered or (len(number) >= 6 and number[-6:] in lowered):
                raise ValidationError(
                    "密码不能包含身份证号码、统一社会信用代码或手机号码（含其后 6 位）",
                    code="password_contains_personal_number",
                )

    def get_help_text(self) -> str:
        return "密码不能包含您的身份证号码、统一社会信用代码或手机号码。"


class MixedCharactersValidator:
    """At least three of: lower case, upper case, digits, other characters (等保三级 complexity)."""

    def validate(self, password: str, user: Any = None) -> None:
        kinds = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if kinds < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"


class MinimumLengthValidator:
    """Django's rule with a Chinese message (its zh-hans catalogue lacks the current wording)."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码长度太短，至少需要 {self.min_length} 个字符", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"

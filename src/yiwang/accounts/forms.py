"""The password sign-in form of the portal and the admin, checked under the sign-in throttle."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from yiwang.accounts.lockout import LoginThrottled, login_attempt


class SignInForm(AuthenticationForm):
    """Django's form, with the password checked through `lockout.login_attempt`; a refusal is kept in
    `throttled`, so the view can answer 429 rather than "wrong password"."""

    throttled: LoginThrottled | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_attempt(request=self.request, login=username, password=password)
            except LoginThrottled as exc:
                self.throttled = exc
                raise ValidationError(exc.message, code=exc.code) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

"""Account writes: API tokens, signing out everywhere, real-name verification, legal-person accounts."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from yiwang.accounts.lockout import login_attempt
from yiwang.accounts.models import ApiToken, EntityMandate, MandateRole, RealNameMethod, User, UserKind
from yiwang.accounts.verification import Answer, ProviderUnavailable, Verdict, get_provider
from yiwang.core.errors import Conflict, DomainError, ValidationFailed


class AuthenticationFailed(DomainError):
    status = 401


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_token_issue(*, request: HttpRequest | None, username: str, password: str) -> tuple[str, ApiToken]:
    """签发令牌: check the password, return the clear token once (only its digest is kept).

    Under the sign-in throttle (accounts.lockout): LoginThrottled (429) while this account or address
    must wait, whatever else the call carries.
    """
    user = login_attempt(request=request, login=username, password=password)
    if user is None or not user.is_active:
        raise AuthenticationFailed("invalid_credentials", "用户名或密码错误")
    # A token is a login: last_login is kept, as for a page login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(seconds=settings.YIWANG_API_TOKEN_SECONDS)
    record = ApiToken.objects.create(
        user=user, digest=token_digest(token), expires_at=timezone.now() + lifetime
    )
    return token, record


def api_token_user(token: str, *, now: datetime | None = None) -> User | None:
    """The active user a token belongs to, or None when it is unknown, expired or revoked.

    One query on every API request (digests are unique); the user's department and service point load
    on first use, which only staff paths need.
    """
    try:
        return User.objects.get(
            is_active=True,
            api_tokens__digest=token_digest(token),
            api_tokens__revoked_at__isnull=True,
            api_tokens__expires_at__gt=now or timezone.now(),
        )
    except User.DoesNotExist:
        return None


def api_token_revoke(*, token: str) -> None:
    ApiToken.objects.filter(digest=token_digest(token), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def sign_out_everywhere(*, user: User) -> int:
    """退出所有设备: end every session of the user (pages, kiosk) and revoke every API token.

    Returns how many tokens were revoked. The caller's own session ends too.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def credentials_purge(*, now: datetime | None = None, keep: timedelta = timedelta(days=30)) -> int:
    """Removes API tokens expired or revoked more than `keep` ago (kept a while for the audit's sake)
    and expired sessions; returns how many tokens went. Run again, it finds nothing more."""
    cutoff = (now or timezone.now()) - keep
    removed, _ = ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return removed


# ---- 实名认证 (real-name verification) ---------------------------------------------------------


class AlreadyVerifiedElsewhere(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "id_number_verified_elsewhere",
            "该身份证号码已由另一账号完成实名认证；如该账号不是您本人的，请携带身份证到政务服务中心窗口处理",
        )


@transaction.atomic
def real_name_verify(*, user: User, method: RealNameMethod) -> list[User]:
    """实名认证: the account's ID number (USCC) is now trusted as its holder's.

    Other, unverified accounts holding the same ID number are detached from it (they keep browsing,
    lose everything tied to the number, and are signed out everywhere); returns them. A number
    already verified on another account is refused: the owner settles it in person.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_real_name_verified:
        return []
    others: list[User] = []
    if user.kind == UserKind.PERSON and user.id_number:
        holders = list(
            User.objects.select_for_update()
            .filter(kind=UserKind.PERSON, id_number=user.id_number)
            .exclude(pk=user.pk)
        )
        if any(h.is_real_name_verified for h in holders):
            raise AlreadyVerifiedElsewhere()
        now = timezone.now()
        for other in holders:
            User.objects.filter(pk=other.pk).update(
                id_number=None, id_number_index=None, superseded_at=now, session_epoch=F("session_epoch") + 1
            )
            ApiToken.objects.filter(user=other, revoked_at__isnull=True).update(revoked_at=now)
            others.append(other)
    User.objects.filter(pk=user.pk).update(real_name_method=method, real_name_verified_at=timezone.now())
    return others


def entity_account_create(
    *, name: str, uscc: str, legal_representative: str, legal_representative_id_number: str, mobile: str = ""
) -> User:
    """开通法人账号 for a legal person its registration authority has just established (设立登记).

    Verified by that registration; no password: people reach it through their mandate (EntityMandate).
    """
    user = User(
        username=uscc,
        kind=UserKind.LEGAL,
        name=name,
        uscc=uscc,
        legal_representative=legal_representative,
        legal_representative_id_number=legal_representative_id_number,
        mobile=mobile,
        real_name_method=RealNameMethod.REGISTRATION,
        real_name_verified_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    return user


def mandate_grant(*, entity: User, person: User, role: MandateRole) -> EntityMandate:
    """企业授权: `person` may act for `entity` (switch to it in the portal, name it in the API)."""
    mandate, _created = EntityMandate.objects.get_or_create(
        entity=entity, person=person, revoked_at=None, defaults={"role": role}
    )
    return mandate


# ---- 注册 (registration) ------------------------------------------------------------------------

TAKEN_PERSON = "该身份证号码已由本人完成实名认证并注册，请直接登录；如忘记密码，请携带身份证到政务服务中心或拨打 12345 找回"
TAKEN_LEGAL = "该统一社会信用代码已注册，请直接登录；如需变更账号，请携带营业执照到政务服务中心办理"
# A number anyone may type: a few unverified accounts may hold it until its owner verifies one.
UNVERIFIED_HOLDERS_MAX = 3
CROWDED = "该身份证号码已被多个未实名认证的账号登记，请携带身份证到政务服务中心窗口办理注册和实名认证"


@dataclass(frozen=True)
class Registered:
    user: User
    verified: bool
    # Why an online check did not verify the account now (provider down): said on the next page.
    notice: str = ""


def applicant_register(
    *,
    kind: str,
    name: str,
    id_number: str = "",
    uscc: str = "",
    legal_representative: str = "",
    legal_representative_id_number: str = "",
    mobile: str,
    password: str,
) -> Registered:
    """注册: a new natural-person or legal-person account; identifiers must already be normalised.

    The account is unverified (实名认证 pending) unless a configured 实名核验 provider confirms the
    name and ID number at once, which also supersedes unverified accounts holding the number. A
    number already verified on an account is refused.
    """
    if kind == UserKind.PERSON:
        answer, notice = _check_online(name, id_number)
        if answer is not None and answer.verdict != Verdict.MATCH:
            raise ValidationFailed(
                {"id_number": ["姓名与公民身份号码不一致（实名核验未通过），请核对后重新输入"]},
                code="real_name_mismatch",
            )
        user = _register_person(name=name, id_number=id_number, mobile=mobile, password=password)
        if answer is not None:
            real_name_verify(user=user, method=RealNameMethod.PROVIDER)
            user.refresh_from_db()
        return Registered(user=user, verified=user.is_real_name_verified, notice=notice)
    if kind == UserKind.LEGAL:
        user = _register_legal(
            name=name,
            uscc=uscc,
            legal_representative=legal_representative,
            legal_representative_id_number=legal_representative_id_number,
            mobile=mobile,
            password=password,
        )
        return Registered(user=user, verified=False)
    raise ValidationFailed({"kind": ["请选择个人或法人"]})


def _check_online(name: str, id_number: str) -> tuple[Answer | None, str]:
    """The provider's answer, or None with a notice when there is no provider or it is down."""
    provider = get_provider()
    if provider is None:
        return None, ""
    try:
        return provider.check(name=name, id_number=id_number), ""
    except ProviderUnavailable:
        return None, "实名核验服务暂不可用，账号已注册但尚未实名认证，可稍后在“实名认证”页重试，或到窗口核验"


@transaction.atomic
def _register_person(*, name: str, id_number: str, mobile: str, password: str) -> User:
    # Not the ID number: a username is shown and stored in clear; people sign in with the number
    # through its blind index (accounts.backends).
    holders = list(User.objects.select_for_update().filter(kind=UserKind.PERSON, id_number=id_number))
    if any(h.is_real_name_verified for h in holders):
        raise ValidationFailed({"id_number": [TAKEN_PERSON]}, code="already_registered")
    if len(holders) >= UNVERIFIED_HOLDERS_MAX:
        raise ValidationFailed({"id_number": [CROWDED]}, code="already_registered")
    return User.objects.create_user(
        username=f"p{secrets.token_hex(8)}",
        password=password,
        kind=UserKind.PERSON,
        name=name,
        mobile=mobile,
        id_number=id_number,
    )


def _register_legal(
    *,
    name: str,
    uscc: str,
    legal_representative: str,
    legal_representative_id_number: str,
    mobile: str,
    password: str,
) -> User:
    if User.objects.filter(uscc=uscc).exists() or User.objects.filter(username=uscc).exists():
        raise ValidationFailed({"uscc": [TAKEN_LEGAL]}, code="already_registered")
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=uscc,
                password=password,
                kind=UserKind.LEGAL,
                name=name,
                mobile=mobile,
                uscc=uscc,
                legal_representative=legal_representative,
                legal_representative_id_number=legal_representative_id_number,
            )
    except IntegrityError:
        # Registered a moment ago by another request with the same code.
        raise ValidationFailed({"uscc": [TAKEN_LEGAL]}, code="already_registered") from None


class RealNameUnavailable(DomainError):
    status = 503


def real_name_verify_online(*, user: User) -> Verdict:
    """在线实名核验 of an unverified natural person's own account, through the configured provider."""
    provider = get_provider()
    if provider is None:
        raise Conflict("realname_no_provider", "本平台未开通在线实名核验，请到政务服务中心窗口或自助终端核验")
    if user.kind != UserKind.PERSON or not user.id_number:
        raise Conflict("realname_not_person", "在线实名核验仅适用于登记了身份证号码的个人账号")
    try:
        answer = provider.check(name=user.name, id_number=user.id_number)
    except ProviderUnavailable:
        raise RealNameUnavailable(
            "realname_unavailable", "实名核验服务暂不可用，请稍后重试，或到政务服务中心窗口核验"
        ) from None
    if answer.verdict == Verdict.MATCH:
        real_name_verify(user=user, method=RealNameMethod.PROVIDER)
    return answer.verdict

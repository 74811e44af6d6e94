"""登录限流 (sign-in throttling): the one rule for every password sign-in — the API token, the portal's
login page and the admin's login — built so that nobody can lock another person out.

Three counts, kept by `accounts.throttle` in the database (one count for every server process):

- per account *and* client address: the first `YIWANG_LOGIN_FREE_FAILURES` failures of a day cost
  nothing, then each further failure makes that pair wait the next of `YIWANG_LOGIN_DELAYS_MINUTES`
  (1, 5, 15, 60, 240 minutes, the last repeating). A guesser at one address slows only themselves; the
  owner elsewhere signs in at once. A success from the address starts the pair over.
- per client address, across all accounts: past `YIWANG_LOGIN_FAILURES_PER_ADDRESS` failures in
  `YIWANG_LOGIN_ADDRESS_WINDOW_MINUTES`, the address is refused every sign-in until the window ends.
- per account, from every address: past `YIWANG_LOGIN_ACCOUNT_FAILURES` failures of a day the account
  is locked, each further failure for the next of `YIWANG_LOGIN_ACCOUNT_LOCK_MINUTES`. One address
  cannot get there on its own (the pair's delays hold it to a few failures a day), only many can. A
  success does not lift it — a guesser would sign in to an account of their own to start over. The
  owner gets past it with a second factor: the window clerk's unlock after checking the ID card in
  person (`login_unlock`, 综合窗口), until a one-time code to the verified mobile exists.

A refused try is refused before its password is checked, so the refusal tells nothing about it.

An account is counted under its username whichever identifier was typed: an ID or mobile number
stands for every account holding it (`backends.login_accounts`; several unverified accounts may hold
one). A failure counts against each of them, and the password is tried only against those that are
not locked — so an account someone registered with another person's number, once locked, closes
nothing but itself. A login nobody holds is counted under what was typed, so an unknown account is
throttled exactly like a known one. Keys are keyed digests: no username, number or address in clear.

This replaces django-axes, which could not express the rule: it combines its lockout parameters with
OR under one limit and one cool-off, so it has no growing delays per (account, address) beside a
per-address cap and an account lock with a way past it; and its answer to a locked login comes from
its middleware, which the token API's short chain (core.handlers) skips — a locked account answered
401 there when the call carried a Bearer header. Here the rule raises `LoginThrottled` and each entry
point answers it: the API's error body, the login pages' 429, whatever the headers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from yiwang.accounts.backends import login_accounts
from yiwang.accounts.models import AttemptCounter, User
from yiwang.accounts.throttle import (
    Rule,
    Throttled,
    throttle_blocked_until,
    throttle_fail,
    throttle_key,
    throttle_reset,
    wait_seconds,
)
from yiwang.audit import services as audit
from yiwang.audit.context import client_ip
from yiwang.audit.models import AuditAction

# Failures are counted per day; a block set late in a day still holds in the next.
DAY = timedelta(days=1)

ACCOUNT_LOCKED = "account_locked"
LOGIN_THROTTLED = "login_throttled"


class LoginThrottled(Throttled):
    """登录受限: too many failures for this account from here, from this address, or for the account
    from everywhere (`account_locked`). Answered 429 with the minutes to wait."""


@dataclass(frozen=True)
class LoginRules:
    pair: Rule  # one account from one address
    address: Rule  # one address, all accounts
    account: Rule  # one account, all addresses


def login_rules() -> LoginRules:
    """Read per call, so settings changed in tests apply."""
    return LoginRules(
        pair=Rule(
            limit=settings.YIWANG_LOGIN_FREE_FAILURES,
            window=DAY,
            delays=tuple(timedelta(minutes=m) for m in settings.YIWANG_LOGIN_DELAYS_MINUTES),
        ),
        address=Rule(
            limit=settings.YIWANG_LOGIN_FAILURES_PER_ADDRESS,
            window=timedelta(minutes=settings.YIWANG_LOGIN_ADDRESS_WINDOW_MINUTES),
        ),
        account=Rule(
            limit=settings.YIWANG_LOGIN_ACCOUNT_FAILURES,
            window=DAY,
            delays=tuple(timedelta(minutes=m) for m in settings.YIWANG_LOGIN_ACCOUNT_LOCK_MINUTES),
        ),
    )


def _account_key(username: str) -> str:
    return throttle_key("login:account", username)


def _pair_prefix(username: str) -> str:
    return throttle_key("login:pair", username) + ":"


def _pair_key(username: str, address: str) -> str:
    return throttle_key("login:pair", username, address)


def _address_key(address: str) -> str:
    return throttle_key("login:address", address)


# What each count's refusal says; {minutes}: until the first try allowed again.
MESSAGES = {
    "address": "您所在网络的登录失败次数过多，请 {minutes} 分钟后再试",
    "pair": "登录失败次数过多，请 {minutes} 分钟后再试；如忘记密码，请携带本人身份证到政务服务中心窗口重置",
    "account": (
        "登录失败次数过多，账号已暂时锁定，请 {minutes} 分钟后再试；"
        "如急需登录，请携带本人身份证到政务服务中心综合窗口当面解除锁定"
    ),
}


def _refusal(count: str, until: datetime, now: datetime) -> LoginThrottled:
    wait = wait_seconds(until, now)
    return LoginThrottled(
        MESSAGES[count].format(minutes=math.ceil(wait / 60)),
        retry_after=wait,
        code=ACCOUNT_LOCKED if count == "account" else LOGIN_THROTTLED,
    )


@dataclass(frozen=True)
class _Blocks:
    """When each of an account's counts lets it try again (None: not blocked)."""

    account: datetime | None
    pair: datetime | None

    @property
    def until(self) -> datetime | None:
        return max((t for t in (self.account, self.pair) if t is not None), default=None)


def _refuse_all(blocks: list[_Blocks], now: datetime) -> LoginThrottled:
    """Every account the login stands for is blocked: the soonest any may try again."""
    soonest = min(blocks, key=lambda b: b.until or now)
    return _refusal("account" if soonest.account is not None else "pair", soonest.until or now, now)


def login_attempt(
    *, request: HttpRequest | None, login: str, password: str, now: datetime | None = None
) -> User | None:
    """登录: the account `login` and `password` sign in, or None for wrong credentials (counted).

    Raises LoginThrottled — without checking the password — while the client address, or every
    account the login stands for, is blocked; and when this failure blocks them. Counts are written
    in their own transactions: call it outside any transaction the caller may roll back.
    """
    now = now or timezone.now()
    rules = login_rules()
    address = client_ip(request) if request is not None else ""
    address_key = _address_key(address)
    until = throttle_blocked_until(address_key, rules.address, now=now)
    if until is not None:
        raise _refusal("address", until, now)

    candidates: list[str] = []
    blocked: list[_Blocks] = []
    for username in login_accounts(login):
        blocks = _Blocks(
            account=throttle_blocked_until(_account_key(username), rules.account, now=now),
            pair=throttle_blocked_until(_pair_key(username, address), rules.pair, now=now),
        )
        if blocks.until is None:
            candidates.append(username)
        else:
            blocked.append(blocks)
    if not candidates:
        raise _refuse_all(blocked, now)

    for username in candidates:
        user = authenticate(request, username=username, password=password)
        if user is not None:
            throttle_reset(_pair_key(username, address))
            return user  # type: ignore[return-value]

    until = throttle_fail(address_key, rules.address, now=now)
    for username in candidates:
        blocked.append(
            _Blocks(
                account=throttle_fail(_account_key(username), rules.account, now=now),
                pair=throttle_fail(_pair_key(username, address), rules.pair, now=now),
            )
        )
    if until is not None:
        raise _refusal("address", until, now)
    if all(b.until is not None for b in blocked):
        raise _refuse_all(blocked, now)
    return None


def login_blocks(users: list[User], *, now: datetime | None = None) -> dict[int, datetime]:
    """Until when each of `users` is blocked from signing in, from everywhere or from some address;
    users without a block are left out. One query, for the window's list of accounts."""
    now = now or timezone.now()
    if not users:
        return {}
    accounts = {_account_key(user.username): user.pk for user in users}
    pairs = {_pair_prefix(user.username): user.pk for user in users}
    match = Q(key__in=accounts)
    for prefix in pairs:
        match |= Q(key__startswith=prefix)
    prefix_length = len(next(iter(pairs)))  # the same for every account: the kind and one digest
    found: dict[int, datetime] = {}
    rows = AttemptCounter.objects.filter(match, blocked_until__gt=now).values_list("key", "blocked_until")
    for key, until in rows:
        owner = accounts.get(key) or pairs[key[:prefix_length]]
        if until is not None and (owner not in found or until > found[owner]):
            found[owner] = until
    return found


@transaction.atomic
def login_unlock(*, user: User) -> int:
    """解除登录锁定: lift every sign-in block and count of the account — from everywhere and from each
    address — once its owner has been identified in person. Recorded in the audit trail; returns how
    many counters were removed."""
    removed = throttle_reset(_account_key(user.username), prefixes=[_pair_prefix(user.username)])
    audit.record(action=AuditAction.LOGIN_UNLOCK, obj=user, detail={"counters_removed": removed})
    return removed

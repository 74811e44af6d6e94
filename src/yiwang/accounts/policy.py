"""授权策略: who may do what, in one table read by pages, the API, the admin and the role × action test.

Two questions are kept apart:
- *may this kind of user do this at all?* — this module: a permission is granted to subjects
  (anonymous, natural person, legal person, each staff post, superuser);
- *on which objects?* — `cases.access` (own applications, own department's cases, own service
  point), answered with 404 for objects the user may not see.

Views declare their permission with `channels.guards.page_requires` / `public` (pages) or
`api_requires` below (API); the declaration is kept on the view, so a test can walk every URL and check
that each one has one and that it holds for exactly the subjects listed here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import HttpRequest

from yiwang.accounts.roles import StaffRole
from yiwang.core.errors import DomainError

if TYPE_CHECKING:
    from yiwang.accounts.models import User

F = TypeVar("F", bound=Callable[..., Any])


class Subject(StrEnum):
    ANONYMOUS = "anonymous"
    PERSON = "person"  # 自然人
    LEGAL = "legal"  # 法人
    WINDOW_CLERK = StaffRole.WINDOW_CLERK.value
    OFFICER = StaffRole.OFFICER.value
    DEPARTMENT_HEAD = StaffRole.DEPARTMENT_HEAD.value
    CATALOG_ADMIN = StaffRole.CATALOG_ADMIN.value
    SUPERVISOR = StaffRole.SUPERVISOR.value
    HOTLINE_OPERATOR = StaffRole.HOTLINE_OPERATOR.value
    DISPATCHER = StaffRole.DISPATCHER.value
    SUPERUSER = "superuser"  # 系统管理员: the admin site only, never a case


class Permission(StrEnum):
    PUBLIC = "public"  # catalog, guides, licence verification, status by number, kiosk home
    ACCOUNT_SELF = "account.self"  # own profile, sign out everywhere, revoke own token
    APPLY = "application.apply"  # apply (applicants) or start on someone's behalf (window clerk)
    UPLOAD = "document.upload"
    # Own uploads; staff who handle a case: the materials of the applications and cases they may see.
    # Not 效能监察: it reads decisions and timelines, not the applicant's scans (masked data everywhere
    # else would mean nothing if the ID card's image were one click away).
    DOCUMENT_READ = "document.read"
    APPLICATIONS_OWN = "application.own"  # my applications, withdraw, answer a 补正 notice
    DATA_USES_OWN = "data_uses.own"  # 谁用了我的数据
    LICENCES_OWN = "licence.own"  # my licences; staff reads go through sharing grants
    KIOSK_SELF = "kiosk.self"  # the kiosk's signed-in pages
    CASE_READ = "case.read"  # applications and cases (API, notices); objects scoped by cases.access
    CASE_ACT = "case.act"  # act on an application or case; which action: CASE_ACTIONS below
    # Clear ID and phone numbers inside forms and case data: the applicant and whoever handles the
    # case. Oversight (效能监察) sees them masked: it judges the handling, not the person.
    PERSONAL_DATA_CLEAR = "personal_data.clear"
    WORKBENCH = "workbench"  # the staff home, case and application pages
    DESK = "workbench.desk"  # 综合窗口: look up an applicant, start any item, intake
    QUEUE = "workbench.queue"  # the department's queue
    OVERVIEW = "workbench.overview"  # 效能监察: every department's cases
    PLEDGE_CHECKS = "pledge.checks"  # 事后核查 tasks
    PLEDGE_CONCLUDE = "pledge.conclude"
    CREDIT_MARKS = "credit.marks"  # own marks (applicants), all marks (supervisor, head)
    CREDIT_REPAIR = "credit.repair"  # 信用修复
    REPORTS = "reports"  # 减材料统计
    RATE = "rating.rate"  # rate one's own ended cases (一事一评), 追评 after 整改
    RATING_TABLET = "rating.tablet"  # 一次一评: invite the person at the desk, the window's 评价器
    RATING_HANDLE = "rating.handle"  # 差评 of one's department: 回访, 整改
    RATING_APPEAL = "rating.appeal"  # 申诉 a bad rating as mistaken or malicious
    RATING_APPEAL_DECIDE = "rating.appeal.decide"
    REQUESTS = "request.list"  # the workbench's 诉求 pages, each post seeing its own share
    REQUESTS_OWN = "request.own"  # my 诉求, judge an answer
    HOTLINE = "request.hotline"  # 热线坐席: a caller's request, the caller's judgement on callback
    DISPATCH = "request.dispatch"  # 派单, 退回 back to the pool, extensions
    REQUEST_HANDLE = "request.handle"  # the department's 诉求: 签收, 办理, 答复, 退回, ask an extension
    REQUEST_SUPERVISE = "request.supervise"  # 督办, every request, overdue 差评整改
    ADMIN_SITE = "admin.site"  # enter the admin at all
    CATALOG_ADMIN = "admin.catalog"  # edit and publish items, bundles, departments, calendar
    AUDIT_READ = "admin.audit"  # audit trail, use log: read and export
    ACCOUNTS_ADMIN = "admin.accounts"  # accounts, keys, licence library, documents


S = Subject
APPLICANTS = frozenset({S.PERSON, S.LEGAL})
STAFF = frozenset(
    {
        S.WINDOW_CLERK,
        S.OFFICER,
        S.DEPARTMENT_HEAD,
        S.CATALOG_ADMIN,
        S.SUPERVISOR,
        S.HOTLINE_OPERATOR,
        S.DISPATCHER,
    }
)
CASE_STAFF = frozenset({S.WINDOW_CLERK, S.OFFICER, S.DEPARTMENT_HEAD, S.SUPERVISOR})
EVERYONE = frozenset(Subject)
SIGNED_IN = EVERYONE - {S.ANONYMOUS}

POLICY: dict[Permission, frozenset[Subject]] = {
    Permission.PUBLIC: EVERYONE,
    Permission.ACCOUNT_SELF: SIGNED_IN,
    Permission.APPLY: APPLICANTS | {S.WINDOW_CLERK},
    Permission.UPLOAD: APPLICANTS | {S.WINDOW_CLERK},
    Permission.DOCUMENT_READ: APPLICANTS | {S.WINDOW_CLERK, S.OFFICER, S.DEPARTMENT_HEAD},
    Permission.APPLICATIONS_OWN: APPLICANTS,
    Permission.DATA_USES_OWN: APPLICANTS,
    Permission.LICENCES_OWN: APPLICANTS | CASE_STAFF,
    Permission.KIOSK_SELF: frozenset({S.PERSON}),
    Permission.CASE_READ: APPLICANTS | CASE_STAFF,
    Permission.CASE_ACT: APPLICANTS | {S.WINDOW_CLERK, S.OFFICER, S.DEPARTMENT_HEAD},
    Permission.PERSONAL_DATA_CLEAR: APPLICANTS | {S.WINDOW_CLERK, S.OFFICER, S.DEPARTMENT_HEAD},
    Permission.WORKBENCH: STAFF,
    Permission.DESK: frozenset({S.WINDOW_CLERK}),
    Permission.QUEUE: frozenset({S.OFFICER, S.DEPARTMENT_HEAD}),
    Permission.OVERVIEW: frozenset({S.SUPERVISOR}),
    Permission.PLEDGE_CHECKS: frozenset({S.OFFICER, S.DEPARTMENT_HEAD, S.SUPERVISOR}),
    Permission.PLEDGE_CONCLUDE: frozenset({S.OFFICER, S.DEPARTMENT_HEAD}),
    Permission.CREDIT_MARKS: APPLICANTS | {S.DEPARTMENT_HEAD, S.SUPERVISOR},
    Permission.CREDIT_REPAIR: frozenset({S.DEPARTMENT_HEAD, S.SUPERVISOR}),
    Permission.REPORTS: STAFF,
    Permission.RATE: APPLICANTS,
    Permission.RATING_TABLET: frozenset({S.WINDOW_CLERK}),
    Permission.RATING_HANDLE: frozenset({S.OFFICER, S.DEPARTMENT_HEAD}),
    Permission.RATING_APPEAL: frozenset({S.DEPARTMENT_HEAD}),
    Permission.RATING_APPEAL_DECIDE: frozenset({S.SUPERVISOR}),
    Permission.REQUESTS: frozenset(
        {S.OFFICER, S.DEPARTMENT_HEAD, S.DISPATCHER, S.HOTLINE_OPERATOR, S.SUPERVISOR}
    ),
    Permission.REQUESTS_OWN: APPLICANTS,
    Permission.HOTLINE: frozenset({S.HOTLINE_OPERATOR}),
    Permission.DISPATCH: frozenset({S.DISPATCHER}),
    Permission.REQUEST_HANDLE: frozenset({S.OFFICER, S.DEPARTMENT_HEAD}),
    Permission.REQUEST_SUPERVISE: frozenset({S.SUPERVISOR}),
    Permission.ADMIN_SITE: frozenset({S.CATALOG_ADMIN, S.SUPERVISOR, S.SUPERUSER}),
    Permission.CATALOG_ADMIN: frozenset({S.CATALOG_ADMIN, S.SUPERUSER}),
    Permission.AUDIT_READ: frozenset({S.SUPERVISOR, S.SUPERUSER}),
    Permission.ACCOUNTS_ADMIN: frozenset({S.SUPERUSER}),
}

# Case actions by post (办件操作). Whether the case is the user's (own application, own department,
# own service point) and whether its state allows the action are decided by cases.access and the
# state machine; this is only "may this post ever do it".
INTAKE = frozenset({"accept", "refuse", "request_supplement"})
REVIEW = frozenset({"start_review", "suspend", "resume", "approve", "deny", "complete"})
APPLICANT = frozenset({"supplement", "withdraw"})
CASE_ACTIONS: dict[Subject, frozenset[str]] = {
    S.PERSON: APPLICANT,
    S.LEGAL: APPLICANT,
    # 一窗受理; and for the applicant standing at their window: supplement, withdraw.
    S.WINDOW_CLERK: INTAKE | APPLICANT,
    S.OFFICER: INTAKE | REVIEW,
    S.DEPARTMENT_HEAD: INTAKE | REVIEW | {"extend"},
}


_POSTS = frozenset(StaffRole.values)


def subjects_of(user: Any) -> frozenset[Subject]:
    """Every subject the user is: a staff member may hold several posts."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset({S.ANONYMOUS})
    found: set[Subject] = set()
    if user.is_superuser:
        found.add(S.SUPERUSER)
    if user.kind == S.PERSON:
        found.add(S.PERSON)
    elif user.kind == S.LEGAL:
        found.add(S.LEGAL)
    else:
        found |= {Subject(role) for role in user.roles if role in _POSTS}
    return frozenset(found)


def allows(user: Any, permission: Permission) -> bool:
    return bool(subjects_of(user) & POLICY[permission])


# The policy's permissions in Django's permission API: `user.has_perm("policy.personal_data.clear")`
# (User.has_perm, IdentifierBackend.has_perm), so apps below accounts ask without importing it.
PERM_PREFIX = "policy."


def allows_perm(user: Any, perm: str) -> bool | None:
    """`allows` for a permission named `policy.<permission>`; None for a name the policy does not own."""
    if not perm.startswith(PERM_PREFIX):
        return None
    try:
        permission = Permission(perm.removeprefix(PERM_PREFIX))
    except ValueError:
        return False
    return allows(user, permission)


class PolicyForbidden(DomainError):
    status = 403


SUBJECT_LABELS: dict[Subject, str] = {
    S.ANONYMOUS: "未登录用户",
    S.PERSON: "个人用户",
    S.LEGAL: "法人用户",
    **{Subject(post): str(label) for post, label in StaffRole.choices},
    S.SUPERUSER: "系统管理员",
}


def who_may(permission: Permission) -> str:
    """“个人用户、法人用户”: the subjects a permission is for, in words, for a 403 message."""
    return "、".join(SUBJECT_LABELS[s] for s in Subject if s in POLICY[permission])


def declare(permission: Permission) -> Callable[[F], F]:
    """Mark a view with the permission it requires (read by the role × action test)."""

    def mark(view: F) -> F:
        view.permission = permission  # type: ignore[attr-defined]
        return view

    return mark


class ApiRequest(HttpRequest):
    """An API request the router's `auth` let through: `auth` is the caller."""

    auth: User


def api_requires(permission: Permission) -> Callable[[F], F]:
    """For API handlers: 403 with a Chinese message unless the caller's subjects hold `permission`.

    The caller is already authenticated by the router's `auth` (401 otherwise)."""

    def decorate(handler: F) -> F:
        @wraps(handler)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
            user = getattr(request, "auth", None) or getattr(request, "user", None)
            if not allows(user, permission):
                raise PolicyForbidden("forbidden", f"无权访问：仅限{who_may(permission)}")
            return handler(request, *args, **kwargs)

        # ninja reads the parameters from the signature and resolves string annotations in the
        # function's own module: give it the handler's, already resolved.
        del guarded.__wrapped__
        guarded.__signature__ = inspect.signature(handler, eval_str=True)  # type: ignore[attr-defined]
        return declare(permission)(guarded)  # type: ignore[return-value]

    return decorate


public = declare(Permission.PUBLIC)

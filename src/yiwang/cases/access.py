"""Who may see and act on which applications and cases — one policy for pages, API and admin.

Applicants see their own applications; staff see their department's cases; window clerks also see
what was submitted or accepted at their service point; supervisors see everything, read-only.
An object the caller may not see is reported as not found (404), never as forbidden.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.policy import APPLICANT, CASE_ACTIONS, INTAKE, Subject, subjects_of
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import ONLINE_CHANNELS, Application, Case, Channel
from yiwang.cases.states import Action, CaseStatus

# Online cases a window clerk may take in; once accepted they belong to the clerk's service point.
ONLINE_INTAKE = (CaseStatus.SUBMITTED, CaseStatus.PRE_REVIEW)


def is_applicant(user: User) -> bool:
    return user.kind in (UserKind.PERSON, UserKind.LEGAL)


def owns_application(owner: User | int, *, via: str = "") -> Q:
    """An applicant's own applications: as the applicant, or as its 经办人 (a company's founder, a person
    acting for a company). The one rule, used by the querysets below; `via` reaches the application
    from a related model ("application__" for cases)."""
    return Q(**{f"{via}applicant_user": owner}) | Q(**{f"{via}agent_user": owner})


def is_own_application(user: User, application: Application) -> bool:
    return user.pk is not None and user.pk in (application.applicant_user_id, application.agent_user_id)


def sees_own_only(user: User) -> bool:
    """An active applicant: sees exactly the applications and cases they applied for."""
    return user.is_authenticated and user.is_active and is_applicant(user)


def visible_applications(user: User) -> QuerySet[Application]:
    applications = Application.objects.all()
    if not user.is_authenticated or not user.is_active:
        return applications.none()
    if is_applicant(user):
        return applications.filter(owns_application(user))
    if user.has_role(StaffRole.SUPERVISOR):
        return applications
    condition = Q(cases__department_id=user.department_id)
    if user.has_role(StaffRole.WINDOW_CLERK) and user.service_point_id:
        condition |= Q(service_point_id=user.service_point_id) | Q(
            channel__in=ONLINE_CHANNELS, cases__status__in=ONLINE_INTAKE
        )
    return applications.filter(pk__in=Application.objects.filter(condition).values("pk"))


def visible_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if is_applicant(user):
        return cases.filter(owns_application(user, via="application__"))
    if user.has_role(StaffRole.SUPERVISOR):
        return cases
    condition = Q(department_id=user.department_id)
    if user.has_role(StaffRole.WINDOW_CLERK) and user.service_point_id:
        condition |= (
            Q(service_point_id=user.service_point_id)
            | Q(application__service_point_id=user.service_point_id)
            # 网上申请、综合窗口受理: online applications wait in the comprehensive window's intake queue.
            | Q(application__channel__in=ONLINE_CHANNELS, status__in=ONLINE_INTAKE)
        )
    return cases.filter(condition)


def taken_in_elsewhere(user: User, number: str) -> bool:
    """Whether `number` is an online application (or a case of one) that this window clerk no longer
    sees because it left the intake queue: another service point took it in, or §32 did.

    Every clerk saw it in the queue, so saying it was taken (409) tells them nothing new, where the
    404 of an object they may not see would say it vanished — what the losers of a race to accept
    the same application got.
    """
    if not (user.is_authenticated and user.is_active and user.has_role(StaffRole.WINDOW_CLERK)):
        return False
    if not user.service_point_id:
        return False
    online = Application.objects.filter(channel__in=ONLINE_CHANNELS)
    return online.filter(number=number).exists() or online.filter(cases__number=number).exists()


def case_actions_for(user: User, case: Case) -> frozenset[str]:
    """The actions this user may take on this case: the policy's actions for each of the user's
    posts, narrowed to the cases that post answers for (the state machine decides the rest)."""
    if is_applicant(user):
        return APPLICANT if is_own_application(user, case.application) else frozenset()
    posts = subjects_of(user)
    allowed: set[str] = set()
    if Subject.WINDOW_CLERK in posts:
        clerk = CASE_ACTIONS[Subject.WINDOW_CLERK]
        # 一窗受理: the comprehensive window takes in any department's items.
        allowed |= clerk & INTAKE
        # Only for what was made at this window: an online application also gets the point of the clerk
        # who takes it in (actions.intake._keep_at_point), which keeps it on that desk but does not let the
        # clerk supplement or withdraw for an applicant who never came to the window.
        application = case.application
        if (
            application.service_point_id
            and application.service_point_id == user.service_point_id
            and application.channel == Channel.WINDOW
        ):
            allowed |= clerk - INTAKE  # the applicant stands at the window; the clerk acts for them
    if case.department_id == user.department_id:
        for post in (Subject.DEPARTMENT_HEAD, Subject.OFFICER):
            if post in posts:
                allowed |= CASE_ACTIONS[post]
    return frozenset(allowed)


def role_for(user: User, action: str) -> str:
    """The role recorded on an event: what capacity the user acted in."""
    if is_applicant(user):
        return "applicant"
    if action in INTAKE and user.has_role(StaffRole.WINDOW_CLERK):
        return StaffRole.WINDOW_CLERK
    if action == Action.EXTEND and user.has_role(StaffRole.DEPARTMENT_HEAD):
        return StaffRole.DEPARTMENT_HEAD
    if action in APPLICANT and user.has_role(StaffRole.WINDOW_CLERK):
        return StaffRole.WINDOW_CLERK
    for role in (StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD, StaffRole.WINDOW_CLERK):
        if user.has_role(role):
            return role
    return "staff"

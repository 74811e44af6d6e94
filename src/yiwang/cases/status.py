"""An application's status is derived from its cases and stored for listing."""

from __future__ import annotations

from django.utils import timezone

from yiwang.cases.models import Application, ApplicationStatus, Case
from yiwang.cases.states import BEFORE_ACCEPTANCE, CaseStatus


def derive_application_status(statuses: list[str]) -> str:
    present = set(statuses)
    if not present:
        return ApplicationStatus.SUBMITTED
    if CaseStatus.SUPPLEMENT_REQUESTED in present:
        return ApplicationStatus.SUPPLEMENT_REQUESTED
    if present == {CaseStatus.WITHDRAWN}:
        return ApplicationStatus.WITHDRAWN
    if present <= {CaseStatus.REFUSED, CaseStatus.WITHDRAWN}:
        return ApplicationStatus.REFUSED
    if present <= {CaseStatus.COMPLETED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.REVOKED}:
        return ApplicationStatus.REVOKED if CaseStatus.REVOKED in present else ApplicationStatus.COMPLETED
    if present <= BEFORE_ACCEPTANCE | {CaseStatus.REFUSED, CaseStatus.WITHDRAWN}:
        return ApplicationStatus.SUBMITTED
    return ApplicationStatus.IN_PROGRESS


def application_refresh_status(application: Application) -> str:
    return application_set_status(
        application, list(Case.objects.filter(application=application).values_list("status", flat=True))
    )


def application_set_status(application: Application, statuses: list[str]) -> str:
    """Store the status derived from `statuses`, the application's case statuses the caller knows."""
    status = derive_application_status(statuses)
    if status != application.status:
        now = timezone.now()
        Application.objects.filter(pk=application.pk).update(status=status, updated_at=now)
        application.status, application.updated_at = status, now
    return status

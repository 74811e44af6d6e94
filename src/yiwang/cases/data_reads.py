"""用证: the case a staff member names to read a holder's licences or data. Sharing decides on the read
(`sharing.services.data_read_authorise`); cases answers which case it is and what it authorises."""

from __future__ import annotations

from yiwang.accounts.models import User, UserKind
from yiwang.cases.access import visible_cases
from yiwang.sharing.services import CaseOnFile


def case_for_data_read(actor: User, number: str) -> CaseOnFile | None:
    """The case `number` if it is one the staff member's own department handles; None otherwise (and
    for applicants, who read only their own data)."""
    if actor.kind != UserKind.STAFF or actor.department_id is None or not number:
        return None
    case = (
        visible_cases(actor)
        .select_related("application", "item_version")
        .filter(number=number, department_id=actor.department_id)
        .first()
    )
    if case is None:
        return None
    application = case.application
    return CaseOnFile(
        applicant_code=application.applicant_id_number.upper(),
        holder_authorised=application.sharing_consent
        or application.materials.exclude(licence_identifier="").exists(),
        legal_basis=case.item_version.sharing_basis,
    )

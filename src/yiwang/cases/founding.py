"""企业设立 (founding a company): when 企业设立登记 is approved and completes, the company-to-be named
in the application becomes a legal person.

It gets a 统一社会信用代码 (GB 32100: 9 市场监管 + 1 企业 + the registering department's region + a new
GB 11714 organisation code), a 法人 account verified by that registration, and its founder a mandate
to act for it; the application and its cases now belong to the company, so the 营业执照 the case
issues is the company's and the downstream members receive its USCC by hand-over.
"""

from __future__ import annotations

from django.db import transaction

from yiwang.accounts.models import MandateRole, User, UserKind
from yiwang.accounts.services import entity_account_create, mandate_grant
from yiwang.cases import numbers
from yiwang.cases.models import Application, Case
from yiwang.core.errors import Conflict
from yiwang.core.identifiers import USCC_ALPHABET, org_code_check_char, uscc_check_char

USCC_SEQUENCE = "uscc"
# 登记管理部门代码 9 (市场监管) and 机构类别 1 (企业); a sole proprietorship would be 2, a cooperative 3.
COMPANY_PREFIX = "91"
# New organisation codes since the 2015 reform start with MA: six more characters give 31⁶ ≈ 8.9 × 10⁸.
ORG_CODE_PREFIX = "MA"
ORG_CODE_DIGITS = 6


def _base31(n: int, width: int) -> str:
    digits = []
    for _ in range(width):
        n, r = divmod(n, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[r])
    if n:
        raise Conflict("uscc_exhausted", "本区划可分配的统一社会信用代码已用尽，请联系系统管理员")
    return "".join(reversed(digits))


def uscc_assign(*, region_code: str) -> str:
    """赋码: a new, unused 统一社会信用代码 of a company registered in `region_code` (6 digits)."""
    for _ in range(20):
        body = ORG_CODE_PREFIX + _base31(numbers.next_value(USCC_SEQUENCE), ORG_CODE_DIGITS)
        first17 = f"{COMPANY_PREFIX}{region_code[:6]}{body}{org_code_check_char(body)}"
        code = first17 + uscc_check_char(first17)
        if not User.objects.filter(uscc=code).exists():
            return code
    raise Conflict("uscc_unavailable", "暂时无法分配统一社会信用代码，请稍后重试")


@transaction.atomic
def entity_establish(case: Case, *, uscc: str) -> User:
    """The company-to-be of `case`'s application becomes a legal person with `uscc` (see module doc)."""
    application = Application.objects.select_for_update().get(pk=case.application_id)
    company = entity_account_create(
        name=application.applicant_name,
        uscc=uscc,
        legal_representative=application.legal_representative,
        legal_representative_id_number=application.legal_representative_id_number,
        mobile=str(application.form.get("applicant_phone") or ""),
    )
    representative = application.legal_representative_id_number.upper()
    founder = application.agent_user
    if founder is not None:
        is_rep = bool(representative) and (founder.id_number or "").upper() == representative
        mandate_grant(
            entity=company,
            person=founder,
            role=MandateRole.LEGAL_REPRESENTATIVE if is_rep else MandateRole.AGENT,
        )
    if representative:
        # A named legal representative with a verified account of their own may act for the company too.
        verified = User.objects.filter(kind=UserKind.PERSON, id_number=representative)
        verified = verified.exclude(real_name_method="")
        if founder is not None:
            verified = verified.exclude(pk=founder.pk)
        other = verified.first()
        if other is not None:
            mandate_grant(entity=company, person=other, role=MandateRole.LEGAL_REPRESENTATIVE)
    application.applicant_id_number = uscc
    application.applicant_user = company
    application.save(update_fields=["applicant_id_number", "applicant_id_number_index", "applicant_user"])
    case.application = application  # the licence issued next is the company's
    return company

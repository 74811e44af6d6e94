"""Who applies (申请人): the caller themselves (with the person acting for a company), or the person a
clerk serves at a window."""

from __future__ import annotations

from typing import Any

from yiwang.accounts.models import User, UserKind
from yiwang.cases.access import is_applicant
from yiwang.cases.applicants import Applicant, Problems
from yiwang.cases.models import (
    ApplicantKind,
    Channel,
)
from yiwang.cases.targets import Target
from yiwang.catalog import codes
from yiwang.core.errors import Forbidden
from yiwang.core.identifiers import IdentifierError, normalize_id_number, normalize_uscc


def applicant_for(
    actor: User, data: dict[str, Any] | None, channel: str, problems: Problems, *, agent: User | None = None
) -> Applicant | None:
    """The applicant: the caller themselves (with the person acting for them, if a company), or — at
    a window — the person the clerk serves."""
    if is_applicant(actor):
        if channel == Channel.WINDOW:
            problems.add("channel", "窗口渠道由综合窗口工作人员代为提交")
        if actor.kind == UserKind.PERSON:
            own = Applicant(ApplicantKind.PERSON, actor.name, "111", actor.id_number or "", user=actor)
        else:
            own = Applicant(
                ApplicantKind.LEGAL,
                actor.name,
                "001",
                actor.uscc or "",
                actor.legal_representative,
                actor.legal_representative_id_number,
                user=actor,
            )
            if agent is not None and agent.kind == UserKind.PERSON:
                own.agent_user, own.agent_name, own.agent_id_number = agent, agent.name, agent.id_number or ""
        if data and str(data.get("id_number") or data.get("uscc") or "").upper() not in ("", own.id_number):
            raise Forbidden("not_own_application", "只能以本人（本单位）名义提交申请；代办请到综合窗口办理")
        return own
    from yiwang.accounts.roles import StaffRole

    if not actor.has_role(StaffRole.WINDOW_CLERK):
        raise Forbidden("cannot_apply", "只有申请人本人或综合窗口工作人员可以提交申请")
    if not isinstance(data, dict):
        problems.add("applicant", "窗口代办须填写申请人信息")
        return None
    kind = data.get("kind", ApplicantKind.PERSON)
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        problems.add("applicant.name", "须填写申请人姓名或单位名称（不超过 100 字）")
    try:
        if kind == ApplicantKind.PERSON:
            number = normalize_id_number(str(data.get("id_number") or ""))
            who = Applicant(ApplicantKind.PERSON, name, "111", number)
            # Only the verified owner of the number sees what the window did for them (实名认证).
            who.user = registered_account(ApplicantKind.PERSON, number)
        elif kind == ApplicantKind.LEGAL:
            number = normalize_uscc(str(data.get("uscc") or ""))
            rep = str(data.get("legal_representative") or "").strip()
            if not rep:
                problems.add("applicant.legal_representative", "须填写法定代表人")
            rep_id = str(data.get("legal_representative_id_number") or "")
            rep_id = normalize_id_number(rep_id) if rep_id else ""
            who = Applicant(ApplicantKind.LEGAL, name, "001", number, rep, rep_id)
            who.user = registered_account(ApplicantKind.LEGAL, number)
        else:
            problems.add("applicant.kind", "申请人类型须为 person（自然人）或 legal（法人）")
            return None
    except IdentifierError as exc:
        key = "applicant.id_number" if exc.code.startswith("id_number") else "applicant.uscc"
        problems.add(key, exc.message)
        return None
    return who if name else None


def registered_account(kind: str, number: str) -> User | None:
    """The applicant's own account, if they have one: only a verified account is the number's owner;
    an unverified one may be anyone's (实名认证)."""
    found = (
        User.objects.filter(kind=UserKind.PERSON, id_number=number)
        if kind == ApplicantKind.PERSON
        else User.objects.filter(kind=UserKind.LEGAL, uscc=number)
    )
    return found.exclude(real_name_method="").first()


def check_audience(target: Target, who: Applicant, problems: Problems) -> None:
    person = who.kind == ApplicantKind.PERSON
    for _member, version in target.versions:
        codes_ = version.recipient_codes
        serves = codes.Recipient.NATURAL_PERSON in codes_ if person else any(c != "1" for c in codes_)
        if not serves:
            problems.add("applicant.kind", f"{version.name} 不面向{'自然人' if person else '法人'}办理")

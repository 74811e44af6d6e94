"""How the workbench words what the engine returns: lights, deadlines, form data, materials, events."""

from __future__ import annotations

from datetime import date
from typing import Any

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.cases.deadlines import Warning
from yiwang.cases.models import ApplicantKind, Application, ApplicationMaterial, Channel
from yiwang.cases.states import Action, CaseStatus
from yiwang.core.masking import ID_NUMBER_RE, mask_id_number

STATUS_LABELS = dict(CaseStatus.choices)
CHANNEL_LABELS = {str(k): str(v) for k, v in Channel.choices}
ACTION_LABELS = dict(Action.choices)
ROLE_LABELS: dict[str, str] = {
    **{str(k): str(v) for k, v in StaffRole.choices},
    "applicant": "申请人",
    "system": "系统",
    "staff": "工作人员",
}

# Status → the tone of its badge. Tones carry no meaning on their own: the label is always written.
STATUS_TONES: dict[str, str] = {
    CaseStatus.SUBMITTED: "info",
    CaseStatus.PRE_REVIEW: "info",
    CaseStatus.SUPPLEMENT_REQUESTED: "warn",
    CaseStatus.WAITING: "muted",
    CaseStatus.ACCEPTED: "info",
    CaseStatus.IN_REVIEW: "info",
    CaseStatus.SUSPENDED: "warn",
    CaseStatus.APPROVED: "ok",
    CaseStatus.DENIED: "bad",
    CaseStatus.COMPLETED: "ok",
    CaseStatus.REFUSED: "bad",
    CaseStatus.WITHDRAWN: "muted",
    CaseStatus.REVOKED: "bad",
}


def status_badge(status: str) -> dict[str, str]:
    return {"label": str(STATUS_LABELS.get(status, status)), "tone": STATUS_TONES.get(status, "muted")}


# Why no light is shown: the clock is not running in these states.
NO_CLOCK: dict[str, str] = {
    CaseStatus.SUBMITTED: "未受理，未计时",
    CaseStatus.PRE_REVIEW: "未受理，未计时",
    CaseStatus.SUPPLEMENT_REQUESTED: "待补正，未计时",
    CaseStatus.WAITING: "等待前置事项",
    CaseStatus.SUSPENDED: "特别程序，暂停计时",
    CaseStatus.APPROVED: "已决定，待办结",
    CaseStatus.DENIED: "已决定，待办结",
}


def light(
    warning: str, days_left: int | None, *, step_late: bool = False, status: str = ""
) -> dict[str, Any]:
    """电子监察 light in words and colour: 超期 (red), 临近期限/环节超时 (yellow), 正常 (green);
    none while the clock stands (before acceptance, suspended, decided)."""
    if warning == Warning.RED:
        late = -days_left if days_left is not None and days_left < 0 else None
        return {"tone": "red", "label": "红灯", "text": f"超期 {late} 个工作日" if late else "已超承诺期限"}
    if warning == Warning.YELLOW:
        if days_left is None:
            text = "临近期限"
        elif days_left == 0:
            text = "今日到期"
        else:
            text = f"剩 {days_left} 个工作日"
        return {"tone": "yellow", "label": "黄灯", "text": f"{text}（环节超时）" if step_late else text}
    if warning == Warning.NORMAL:
        return {"tone": "green", "label": "绿灯", "text": f"剩 {days_left} 个工作日"}
    return {"tone": "none", "label": "", "text": NO_CLOCK.get(status, "已结束")}


def masked_id(application: Application) -> str:
    """USCCs are public registers; a citizen's ID number is shown with the birth date hidden."""
    if application.applicant_id_type == "001":
        return application.applicant_id_number or "拟设立企业，设立登记办结时赋码"
    return mask_id_number(application.applicant_id_number)


def id_label(application: Application) -> str:
    return "统一社会信用代码" if application.applicant_kind == ApplicantKind.LEGAL else "公民身份号码"


def value_text(value: Any, titles: dict[str, str] | None = None) -> str:
    """A form value as text; `titles` names the keys of a record (a 股东's 姓名, 出资额 …)."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        joint = "；" if any(isinstance(v, dict) for v in value) else "、"
        return joint.join(value_text(v, titles) for v in value)
    if isinstance(value, dict):
        names = titles or {}
        return "，".join(f"{names.get(k, k)}：{value_text(v)}" for k, v in value.items())
    # An ID number in a form (a parent's, a deceased's…) is shown like the applicant's: birth date hidden.
    return ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), str(value))


def form_rows(data: dict[str, Any], titles: dict[str, str]) -> list[dict[str, str]]:
    """Form data in the order of the form, titled; fields the form does not name come last."""
    ordered = [n for n in titles if n in data and "." not in n] + [n for n in data if n not in titles]
    return [
        {"name": n, "title": titles.get(n, n), "value": value_text(data[n], _record_titles(titles, n))}
        for n in ordered
    ]


def _record_titles(titles: dict[str, str], name: str) -> dict[str, str]:
    prefix = f"{name}."
    return {key[len(prefix) :]: title for key, title in titles.items() if key.startswith(prefix)}


def schema_titles(schema: dict[str, Any]) -> dict[str, str]:
    """Field name → title, and `field.key` → title for the keys of a record or a list of records."""
    titles: dict[str, str] = {}
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        titles[name] = str(prop.get("title") or name)
        items = prop.get("items")
        record = items if isinstance(items, dict) else prop
        for key, sub in (record.get("properties") or {}).items():
            if isinstance(sub, dict):
                titles[f"{name}.{key}"] = str(sub.get("title") or key)
    return titles


def material_row(m: ApplicationMaterial, preview_url: str | None, *, channel: str = "") -> dict[str, Any]:
    if m.pledged:
        way, tone = "告知承诺", "warn"
    elif m.licence_identifier:
        way, tone = "电子证照（免提交）", "ok"
    elif channel == Channel.WINDOW:
        way, tone = "窗口收取（扫描件）", "info"
    else:
        way, tone = "申请人上传", "info"
    document = m.document
    return {
        "name": m.material.name,
        "way": way,
        "tone": tone,
        "document": document,
        "preview_url": preview_url if document is not None else None,
        "licence": m.licence_identifier,
        "pledged": m.pledged,
        "pledge_text": m.pledge_text,
        "supplemented": m.supplemented,
        "provided_at": m.provided_at,
    }


def event_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """presenters.event_out dicts, newest last, with the role and handover worded."""
    rows = []
    for e in events:
        data = e.get("data") or {}
        extra = []
        if data.get("items"):
            extra.append("补正：" + "、".join(str(i.get("name", "")) for i in data["items"]))
        if data.get("kind"):
            from yiwang.cases.models import SuspensionKind

            extra.append("特别程序：" + str(dict(SuspensionKind.choices).get(data["kind"], data["kind"])))
        if data.get("working_days"):
            extra.append(f"{data['working_days']} 个工作日")
        if data.get("handover"):
            extra.append("移交数据：" + "、".join(data["handover"]))
        role = e.get("role") or ""
        rows.append(
            {
                **e,
                "actor": e.get("actor") or ("系统" if role == "system" else "—"),
                "role_label": "" if role == "system" else ROLE_LABELS.get(role, role),
                "channel_label": CHANNEL_LABELS.get(e.get("channel") or "", ""),
                "extra": "；".join(extra),
            }
        )
    return rows


def user_roles(user: User) -> str:
    return "、".join(str(label) for label in user.role_labels)


def days_until(day: date | None, today: date) -> int | None:
    return (day - today).days if day else None

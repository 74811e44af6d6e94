"""What each kind of message says by SMS: the provider's template (registered with the gateway, the
text approved with the signature) and whether it may wake someone at night."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from yiwang.notifications.models import MessageKind


@dataclass(frozen=True)
class SmsTemplate:
    code: str
    text: str  # as registered with the provider; ${name} are the parameters
    urgent: bool = False  # urgent ones are sent in quiet hours too


# Applicants' messages go by SMS as well; staff warnings and summaries stay in the workbench inbox.
SMS_TEMPLATES: dict[str, SmsTemplate] = {
    MessageKind.CASE_ACCEPTED: SmsTemplate(
        "YW_CASE_ACCEPTED",
        "${name}您好，您申请的${item}（办件编号${number}）已受理，承诺${due}前办结，进度可在一网通办查询。",
    ),
    MessageKind.CASE_REFUSED: SmsTemplate(
        "YW_CASE_REFUSED",
        "${name}您好，您申请的${item}（办件编号${number}）不予受理，理由见不予受理通知书。欢迎评价：${rate}",
    ),
    MessageKind.SUPPLEMENT_REQUESTED: SmsTemplate(
        "YW_SUPPLEMENT",
        "${name}您好，您申请的${item}（办件编号${number}）需补正材料，请登录一网通办查看一次性告知书并补正。",
    ),
    MessageKind.CASE_EXTENDED: SmsTemplate(
        "YW_CASE_EXTENDED",
        "${name}您好，您申请的${item}（办件编号${number}）办理期限依法延长至${due}，详见延长审批期限告知书。",
    ),
    MessageKind.CASE_COMPLETED: SmsTemplate(
        "YW_CASE_COMPLETED",
        "${name}您好，您申请的${item}（办件编号${number}）已办结，结果：${result}。请对本次服务作出评价：${rate}",
    ),
    MessageKind.RATING_RECTIFIED: SmsTemplate(
        "YW_RATING_RECTIFIED",
        "${name}您好，您对${item}的评价，${department}已${outcome}：${result}。您可再评价一次：${rate}",
    ),
    MessageKind.REQUEST_ANSWERED: SmsTemplate(
        "YW_REQUEST_ANSWERED",
        "您好，您反映的诉求（编号${number}）已由${department}答复，请查看答复并评价是否满意：${link}",
    ),
}

# The kinds a citizen may turn off by SMS on /me/messages/settings/.
CITIZEN_SMS_KINDS = list(SMS_TEMPLATES)


def sms_template(kind: str) -> SmsTemplate | None:
    """The kind's template, its code as the provider registered it (YIWANG_SMS_TEMPLATE_CODES)."""
    template = SMS_TEMPLATES.get(kind)
    if template is None:
        return None
    code = settings.YIWANG_SMS_TEMPLATE_CODES.get(template.code, template.code)
    return SmsTemplate(code, template.text, template.urgent)


def sms_text(template_code: str, params: dict[str, str]) -> str:
    """The text a phone shows for a template and its parameters (for the demo gateway and the admin)."""
    for template in SMS_TEMPLATES.values():
        if template.code == template_code:
            text = template.text
            for name, value in params.items():
                text = text.replace("${" + name + "}", str(value))
            return f"【{settings.YIWANG_SMS_SIGN}】{text}"
    return ""

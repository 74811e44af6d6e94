"""Plain-language wording the portal pages share: limits, visits, online depth, code lists."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from yiwang.catalog import codes, presenters

register = template.Library()

_DEPTH_SHORT: dict[int, str] = {
    codes.OnlineDepth.NONE: "线下办理",
    codes.OnlineDepth.I: "在线咨询",
    codes.OnlineDepth.II: "网上预审",
    codes.OnlineDepth.III: "网上受理",
    codes.OnlineDepth.IV: "全程网办",
}
_DEPTH_ROMAN = {0: "", 1: "Ⅰ级", 2: "Ⅱ级", 3: "Ⅲ级", 4: "Ⅳ级"}


@register.simple_tag
def region_name() -> str:
    return str(settings.YIWANG_REGION_NAME)


@register.filter
def limit_text(days: int | None) -> str:
    """承诺时限 in words: 0 working days means the case is done on the spot."""
    if not days:
        return "即办"
    return f"{days} 个工作日"


@register.filter
def visits_text(visits: int | None) -> str:
    if not visits:
        return "零跑动"
    if visits == 1:
        return "最多跑一次"
    return f"到现场 {visits} 次"


@register.filter
def depth_short(depth: int) -> str:
    return _DEPTH_SHORT.get(depth, str(depth))


@register.filter
def depth_roman(depth: int) -> str:
    return _DEPTH_ROMAN.get(depth, "")


@register.filter
def depth_label(depth: int) -> str:
    return presenters.online_depth_text(depth)


_CODE_LISTS: dict[str, Any] = {
    "recipient": codes.Recipient,
    "channel": codes.Channel,
}


@register.filter
def code_labels(value: str, code_list: str) -> list[str]:
    """`1^2` of a multi-select code column as its labels, in code order."""
    choices = dict(_CODE_LISTS[code_list].choices)
    return [str(choices.get(code, code)) for code in codes.split_codes(value or "")]


@register.filter
def audience_words(value: str) -> list[str]:
    """服务对象 as the portal's two doors, 个人 / 法人 (every kind of organisation is a 法人 here)."""
    words = [
        "个人" if code == codes.Recipient.NATURAL_PERSON else "法人"
        for code in codes.split_codes(value or "")
    ]
    return list(dict.fromkeys(words))


@register.filter
def yuan(amount: Any) -> str:
    """12.50 → 12.5, 30.00 → 30: fees read as people say them."""
    return presenters.yuan_text(amount)


@register.filter
def http_url(value: str) -> str:
    """The URL if it is http(s), else "": a guide links out only to web pages, never to `javascript:`."""
    text = (value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.filter
def percent(rate: float | None) -> str:
    """0.9876 → “98.8%”; no figure (nothing counted yet) → “—”."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"

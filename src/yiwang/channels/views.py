"""Public portal pages: catalog search, item guides, printable forms, bundles (一件事).

Views parse the request, call catalog selectors (or `reads` for what the selectors do not offer
yet) and render; every rule lives in the catalog app.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from yiwang.assistant import selectors as catalog_search
from yiwang.catalog import codes, presenters, selectors
from yiwang.channels import application_form, reads
from yiwang.channels.feedback_public import item_ratings
from yiwang.channels.filters import MAX_PAGE, parse_item_filters
from yiwang.channels.guards import public
from yiwang.core.errors import NotFound
from yiwang.core.pagination import Page, paginate

AUDIENCE_TABS = [
    ("", "全部"),
    (codes.Recipient.NATURAL_PERSON, "个人办事"),
    (codes.Recipient.ENTERPRISE, "法人办事"),
]

FOUR_WAYS_HINTS: dict[str, str] = {
    codes.FourWays.INSTANT: "即办件，材料齐全当场办结",
    codes.FourWays.ONLINE: "网上申请、网上受理",
    codes.FourWays.NEARBY: "街道、村社区可办或全市通办",
    codes.FourWays.ONE_VISIT: "到现场最多跑一次",
}

DEPTH_OPTIONS: list[tuple[int, str]] = [
    (codes.OnlineDepth.I, "Ⅰ级及以上（在线咨询、表格下载）"),
    (codes.OnlineDepth.II, "Ⅱ级及以上（在线预审）"),
    (codes.OnlineDepth.III, "Ⅲ级及以上（网上受理办理）"),
    (codes.OnlineDepth.IV, "Ⅳ级 全程网办"),
]


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "channels/not_found.html", {"message": message}, status=404)


@public
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The portal's 404 for any unknown address; meant as the project's `handler404`."""
    return _not_found(request, "您访问的页面不存在或已下线。")


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1


def _last_page_if_past_end(request: HttpRequest, queryset: Any, page: Page) -> Page:
    # An old bookmark can point past the end once items are retired: show the last page, not nothing.
    if not page.rows and page.number > page.pages:
        return paginate(request, queryset, page.pages)
    return page


@public
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """首页: search the published items, filter them, and find bundles and departments."""
    departments = list(reads.departments_with_item_counts())
    filters = parse_item_filters(request.GET, department_codes=[d.code for d in departments])
    versions = catalog_search.item_search(
        q=filters.q,
        department=filters.department,
        audience=filters.audience,
        online_depth=filters.online_depth,
        way=filters.way,
    )
    page = paginate(request, versions, filters.page)
    past_end = page.number
    page = _last_page_if_past_end(request, versions, page)
    if page.number != past_end:
        filters.ignored.append(f"共 {page.pages} 页，已显示最后一页")

    query = filters.query()
    audience_tabs = [
        {"value": value, "label": label, "selected": value == filters.audience}
        for value, label in AUDIENCE_TABS
    ]
    if filters.audience and filters.audience not in dict(AUDIENCE_TABS):
        audience_tabs.append(
            {
                "value": filters.audience,
                "selected": True,
                "label": dict(codes.Recipient.choices)[filters.audience],
            }
        )
    bundles = list(reads.bundles_with_member_counts()[: reads.HOME_BUNDLES + 1])
    # A question can be about a 一件事 (“退休”): those it matches are shown above the items.
    matching_bundles = []
    if filters.q:
        found = catalog_search.bundle_search(q=filters.q, bundles=reads.bundles_with_member_counts())
        matching_bundles = list(found[: reads.HOME_BUNDLES])
    context = {
        "nav": "home",
        "filters": filters,
        "query": query,
        "page": page,
        "audience_tabs": audience_tabs,
        "ways": [
            {"value": value, "label": label, "hint": FOUR_WAYS_HINTS[value], "selected": value == filters.way}
            for value, label in codes.FourWays.choices
        ],
        "depth_options": DEPTH_OPTIONS,
        "departments": departments,
        "department_name": next((d.name for d in departments if d.code == filters.department), ""),
        "way_label": dict(codes.FourWays.choices).get(filters.way, ""),
        "audience_label": next((t["label"] for t in audience_tabs if t["selected"]), ""),
        "bundles": bundles[: reads.HOME_BUNDLES],
        "more_bundles": len(bundles) > reads.HOME_BUNDLES,
        "matching_bundles": matching_bundles,
    }
    return render(request, "channels/home.html", context)


@public
@require_safe
def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    """办事指南: the current published guide of one item."""
    try:
        version = selectors.item_guide(code)
    except NotFound as exc:
        return _not_found(request, exc.message)
    department = version.item.department
    steps = [{"step": step, "department": step.department or department} for step in version.steps.all()]
    fees = list(version.fees.all())
    context = {
        "nav": "home",
        "version": version,
        "item": version.item,
        "department": department,
        "materials": [presenters.material_out(m, version.item.code) for m in version.materials.all()],
        "fees": fees,
        "fee_table": presenters.fee_table(version, fees),
        "ways": presenters.guide_ways(version),
        "applies_online": presenters.applies_online(version),
        "steps": steps,
        "bundles": list(reads.bundles_containing(version.item)),
        "ratings": item_ratings(version.item),
    }
    return render(request, "channels/item_guide.html", context)


def _form_sheet(request: HttpRequest, code: str, *, sample: bool) -> HttpResponse:
    try:
        version = selectors.item_guide(code)
    except NotFound as exc:
        return _not_found(request, exc.message)
    schema = version.form_schema or {}
    context = {
        "nav": "home",
        "version": version,
        "item": version.item,
        "department": version.item.department,
        "schema": schema,
        "rows": application_form.sheet_rows(
            schema, data=application_form.example_data(schema) if sample else None
        ),
        "sample": sample,
    }
    return render(request, "channels/form_sheet.html", context)


@public
@require_safe
def item_form_print(request: HttpRequest, code: str) -> HttpResponse:
    """空白表格: the item's application form, to print and fill in by hand."""
    return _form_sheet(request, code, sample=False)


@public
@require_safe
def item_form_sample(request: HttpRequest, code: str) -> HttpResponse:
    """示例样表: the same form filled with the schema's examples."""
    return _form_sheet(request, code, sample=True)


@public
@require_safe
def bundle_list(request: HttpRequest) -> HttpResponse:
    """一件事: every published bundle."""
    bundles = reads.bundles_with_member_counts()
    page = _last_page_if_past_end(request, bundles, paginate(request, bundles, _page_number(request)))
    return render(
        request, "channels/bundle_list.html", {"nav": "bundles", "page": page, "query": QueryDict()}
    )


@public
@require_safe
def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    """一件事详情: members, order, the merged form and the union of materials."""
    try:
        bundle = selectors.bundle_detail(code)
    except NotFound as exc:
        return _not_found(request, exc.message)
    return render(
        request, "channels/bundle_detail.html", {"nav": "bundles", "o": reads.bundle_overview(bundle)}
    )

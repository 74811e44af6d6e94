"""The public portal pages: search, guides, printable forms and bundles, as a citizen sees them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_bundle, make_department, make_item
from yiwang.catalog import codes
from yiwang.catalog.models import BundleDependency, BundleMember, ItemVersion, ServicePoint
from yiwang.catalog.services import bundle_publish, item_retire
from yiwang.channels import views

pytestmark = pytest.mark.django_db

HOME = reverse("channels:home")


def guide_url(version) -> str:
    return reverse("channels:item_guide", args=[version.item.code])


def result_names(response) -> list[str]:
    """Item names in the results list, in order."""
    return re.findall(r'<h3 class="item-name"><a [^>]*>([^<]+)</a>', response.content.decode())


def published_bundle(*versions, **overrides):
    bundle = make_bundle(*versions, **overrides)
    return bundle_publish(bundle=bundle)


# ---------------------------------------------------------------------------------------------
# Home: search and filters
# ---------------------------------------------------------------------------------------------


def test_home_search_finds_items_by_name(client):
    make_item(name="普通护照签发")
    make_item(name="食品经营许可")

    response = client.get(HOME, {"q": "我要办护照"})

    assert result_names(response) == ["普通护照签发"]
    assertContains(response, "共 <strong>1</strong> 项", html=False)


def test_home_without_filters_lists_every_published_item(client):
    make_item(name="普通护照签发")
    make_item(name="出生登记")
    make_item(name="尚未发布的事项", publish=False)

    response = client.get(HOME)

    assert sorted(result_names(response)) == ["出生登记", "普通护照签发"]


def test_home_filters_by_four_ways_instant(client):
    make_item(name="婚姻登记", case_type=codes.CaseType.INSTANT, promised_limit_days=0)
    make_item(name="食品经营许可", case_type=codes.CaseType.PROMISED, promised_limit_days=10)

    response = client.get(HOME, {"way": "instant"})

    assert result_names(response) == ["婚姻登记"]
    assertContains(response, '<li class="badge badge-red">即办</li>', html=False)


def test_home_filters_by_four_ways_one_visit(client):
    make_item(name="出生登记", visits=0, visit_reason="", online_depth=codes.OnlineDepth.IV)
    make_item(name="普通护照签发", visits=1)
    make_item(name="建设工程规划许可", visits=2)

    response = client.get(HOME, {"way": "one_visit"})

    assert sorted(result_names(response)) == ["出生登记", "普通护照签发"]


def test_home_filters_by_four_ways_nearby(client):
    branch_department = make_department(name="示范市人力资源和社会保障局")
    ServicePoint.objects.create(
        code="branch1",
        name="文新街道便民服务中心",
        kind=codes.ServicePointKind.BRANCH,
        region_code="330106",
        address="文新路1号",
    ).departments.add(branch_department)
    make_item(name="社会保障卡申领", department=branch_department)
    make_item(name="普通护照签发")

    response = client.get(HOME, {"way": "nearby"})

    assert result_names(response) == ["社会保障卡申领"]


def test_home_filters_by_audience(client):
    make_item(name="普通护照签发", recipients="1")
    make_item(name="企业设立登记", recipients="2")

    response = client.get(HOME, {"audience": "2"})

    assert result_names(response) == ["企业设立登记"]
    assertContains(response, 'aria-current="true">法人办事</a>', html=False)


def test_home_filters_by_department(client):
    police = make_department(code="gaj", name="示范市公安局")
    make_item(name="普通护照签发", department=police)
    make_item(name="企业设立登记")

    response = client.get(HOME, {"department": "gaj"})

    assert result_names(response) == ["普通护照签发"]
    assertContains(response, '<option value="gaj" selected>示范市公安局</option>', html=False)


def test_home_filters_by_minimum_online_depth(client):
    make_item(name="出生登记", visits=0, visit_reason="", online_depth=codes.OnlineDepth.IV)
    make_item(name="普通护照签发", online_depth=codes.OnlineDepth.III)

    response = client.get(HOME, {"online_depth": "4"})

    assert result_names(response) == ["出生登记"]


def test_home_result_shows_department_limit_visits_and_depth(client):
    department = make_department(name="示范市公安局")
    make_item(
        name="普通护照签发",
        department=department,
        promised_limit_days=7,
        visits=1,
        online_depth=codes.OnlineDepth.III,
    )
    make_item(name="出生登记", visits=0, visit_reason="", online_depth=codes.OnlineDepth.IV)

    response = client.get(HOME)

    assertContains(response, "示范市公安局")
    assertContains(response, "承诺时限 7 个工作日")
    assertContains(response, "最多跑一次")
    assertContains(response, "零跑动")
    assertContains(response, "Ⅳ级 全程网办")


def test_home_paginates_with_total_count(client, settings):
    settings.YIWANG_PAGE_SIZE = 2
    for n in range(5):
        make_item(name=f"示例事项{n}")

    first = client.get(HOME)
    last = client.get(HOME, {"page": "3"})

    assert len(result_names(first)) == 2
    assertContains(first, "共 <strong>5</strong> 项", html=False)
    assertContains(first, "第 1 / 3 页")
    assertContains(first, 'rel="next" href="/?page=2#results"', html=False)
    assert len(result_names(last)) == 1
    assertContains(last, 'rel="prev" href="/?page=2#results"', html=False)
    assertNotContains(last, 'rel="next"')


def test_page_links_keep_the_filters(client, settings):
    settings.YIWANG_PAGE_SIZE = 1
    make_item(name="普通护照签发", recipients="1")
    make_item(name="出生登记", recipients="1")

    response = client.get(HOME, {"audience": "1"})

    assertContains(response, 'href="/?audience=1&amp;page=2#results"', html=False)


def test_page_past_the_end_shows_the_last_page(client, settings):
    settings.YIWANG_PAGE_SIZE = 2
    for n in range(3):
        make_item(name=f"示例事项{n}")

    response = client.get(HOME, {"page": "99"})

    assert response.status_code == 200
    assert len(result_names(response)) == 1
    assertContains(response, "已显示最后一页")


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"audience": "9"},
        {"online_depth": "x"},
        {"online_depth": "7"},
        {"way": "teleport"},
        {"department": "no-such-department"},
        {"q": "护照" * 200},
        {"q": "%'\"<script>"},
        {"page": "abc", "audience": "9", "online_depth": "x", "way": "x"},
    ],
)
def test_invalid_filter_values_do_not_error(client, params):
    make_item(name="普通护照签发")

    response = client.get(HOME, params)

    assert response.status_code == 200
    assertContains(response, '<h2 id="results-title"', html=False)


def test_invalid_filter_values_are_ignored_with_a_message(client):
    make_item(name="普通护照签发")

    response = client.get(HOME, {"audience": "9", "online_depth": "x", "page": "abc"})

    assert result_names(response) == ["普通护照签发"]
    assertContains(response, "服务对象取值无效，已忽略")
    assertContains(response, "网上办理深度取值无效，已忽略")
    assertContains(response, "页码无效")
    # Links built from the page never carry the bad values on.
    assertNotContains(response, "audience=9")


def test_home_lists_published_bundles_as_cards(client):
    one, two = make_item(name="出生医学证明签发"), make_item(name="出生登记")
    published_bundle(one, two, name="新生儿出生一件事")
    make_bundle(one, two, name="尚在草稿的一件事")

    response = client.get(HOME)

    assertContains(response, "新生儿出生一件事")
    assertNotContains(response, "尚在草稿的一件事")


def test_home_lists_departments_with_their_item_counts(client):
    police = make_department(code="gaj", name="示范市公安局")
    make_item(name="普通护照签发", department=police)
    make_item(name="出生登记", department=police)

    response = client.get(HOME)

    assertContains(
        response,
        '<span class="dept-name">示范市公安局</span><span class="dept-count">2 项</span>',
        html=False,
    )


# ---------------------------------------------------------------------------------------------
# Item guide
# ---------------------------------------------------------------------------------------------


def test_guide_shows_the_whole_standard_guide(client):
    version = make_item(
        name="普通护照签发",
        summary="因私出国申请普通护照。",
        legal_basis="《中华人民共和国护照法》",
        acceptance_conditions="具有中华人民共和国国籍",
        statutory_limit_days=15,
        promised_limit_days=7,
        visits=1,
        visit_reason="需现场采集指纹",
        place="市民中心一楼",
        hours="工作日 9:00-17:00",
        enquiry_phone="0571-87280000",
        complaint_phone="12345",
        result_name="中华人民共和国普通护照",
        cross_region_scope=codes.CrossRegionScope.NATIONAL,
        supports_booking=True,
        supports_courier=True,
    )

    response = client.get(guide_url(version))

    for text in [
        "普通护照签发",
        "因私出国申请普通护照。",
        "《中华人民共和国护照法》",
        "具有中华人民共和国国籍",
        "行政许可",
        "市级",
        "法定办结时限",
        "15 个工作日",
        "7 个工作日",
        "需现场采集指纹",
        "Ⅲ级 网上受理办理、现场领取结果",
        "窗口办理",
        "网上申请",
        "全国通办",
        "市民中心一楼",
        "工作日 9:00-17:00",
        "0571-87280000",
        "中华人民共和国普通护照",
        "邮寄送达",
    ]:
        assertContains(response, text)
    # The platform takes no bookings: the guide does not offer them although the catalog records them.
    assertNotContains(response, "预约")


def test_guide_shows_version_and_publish_date(client):
    version = make_item(name="普通护照签发")
    published_on = version.published_at.astimezone().strftime("%Y-%m-%d")

    response = client.get(guide_url(version))

    assertContains(response, f"第 1 版，{published_on} 发布")


def test_guide_says_instant_plainly(client):
    version = make_item(name="婚姻登记", case_type=codes.CaseType.INSTANT, promised_limit_days=0)

    response = client.get(guide_url(version))

    assertContains(response, "即办件")
    assertContains(response, "当场办结")


def test_guide_lists_every_material_with_sample_link(client):
    version = make_item(
        name="普通护照签发",
        materials=[
            {"name": "居民身份证", "originals": 1},
            {"name": "近期免冠彩色照片", "originals": 2, "copies": 0, "form": codes.MaterialForm.PAPER},
            {"name": "中国公民出入境证件申请表", "is_application_form": True, "originals": 1},
            {"name": "监护人同意证明", "required": False, "copies": 1},
        ],
    )
    code = version.item.code

    response = client.get(guide_url(version))

    for name in ["居民身份证", "近期免冠彩色照片", "中国公民出入境证件申请表", "监护人同意证明"]:
        assertContains(response, name)
    assertContains(
        response, f'href="{reverse("channels:item_form_print", args=[code])}"', count=2, html=False
    )
    assertContains(
        response, f'href="{reverse("channels:item_form_sample", args=[code])}"', count=2, html=False
    )
    assertContains(response, "原件 2 份")
    assertContains(response, "复印件 1 份")
    assertContains(response, "容缺")


def test_guide_marks_materials_shared_by_licence_and_pledge(client):
    version = make_item(
        materials=[
            {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": "ID_CARD"},
            {
                "name": "居民户口簿",
                "pledge_allowed": True,
                "pledge_text": "承诺户籍信息真实，不实承诺将被记入信用记录。",
            },
        ]
    )

    response = client.get(guide_url(version))

    assertContains(response, "可通过电子证照共享免提交", count=1)
    assertContains(response, "可告知承诺")
    assertContains(response, "<details", html=False)
    assertContains(response, "承诺户籍信息真实，不实承诺将被记入信用记录。")


def test_guide_draws_every_process_step_with_role_and_limit(client):
    department = make_department(name="示范市公安局", short_name="市公安局")
    version = make_item(department=department)

    response = client.get(guide_url(version))

    html = response.content.decode()
    steps = re.findall(r'<li class="flow-step">', html)
    assert len(steps) == 2  # the factory's 受理 and 审查决定
    assert html.index("受理") < html.index("审查决定")
    assertContains(response, "综合窗口人员")
    assertContains(response, "审批人员")
    assertContains(response, "3 个工作日")


def test_guide_lists_fees(client):
    version = make_item(
        charges_fee=True,
        fee_basis="发改价格〔2019〕1004号",
        supports_online_payment=True,
        fees=[{"name": "普通护照", "amount": "120.00", "unit": "本", "basis": "发改价格〔2019〕1004号"}],
    )

    response = client.get(guide_url(version))

    assertContains(response, "普通护照")
    assertContains(response, "<strong>120 元/本</strong>", html=False)


def test_guide_of_free_item_says_no_fee(client):
    version = make_item(charges_fee=False)

    response = client.get(guide_url(version))

    assertContains(response, "不收费")


def test_guide_links_to_bundles_that_include_the_item(client):
    one, two = make_item(name="出生医学证明签发"), make_item(name="出生登记")
    bundle = published_bundle(one, two, name="新生儿出生一件事")

    response = client.get(guide_url(one))

    assertContains(response, f'href="{reverse("channels:bundle_detail", args=[bundle.code])}"', html=False)


def test_guide_of_unpublished_item_is_404(client):
    version = make_item(name="尚未发布的事项", publish=False)

    response = client.get(guide_url(version))

    assert response.status_code == 404
    assertContains(response, "页面未找到", status_code=404)
    assertContains(response, '<html lang="zh-CN">', status_code=404, html=False)


def test_guide_of_unknown_item_is_404(client):
    response = client.get(reverse("channels:item_guide", args=["NO-SUCH-ITEM"]))

    assert response.status_code == 404


def test_guide_of_retired_item_is_404(client):
    version = make_item()
    item_retire(item=version.item)

    response = client.get(guide_url(version))

    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# Printable application form and its sample
# ---------------------------------------------------------------------------------------------

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "title": "申请人姓名", "examples": ["张明"]},
        "purpose": {
            "type": "string",
            "title": "出境事由",
            "enum": ["旅游", "探亲访友", "商务"],
            "examples": ["商务"],
        },
        "departure_date": {
            "type": "string",
            "title": "拟出境日期",
            "format": "date",
            "examples": ["2025-05-01"],
        },
        "express": {"type": "boolean", "title": "证件邮寄到家"},
        "contact": {
            "type": "object",
            "title": "紧急联系人",
            "properties": {
                "phone": {"type": "string", "title": "紧急联系人电话", "examples": ["13900139000"]}
            },
        },
    },
    "required": ["applicant_name", "purpose"],
}


def test_form_print_has_a_blank_row_for_every_field(client):
    version = make_item(name="普通护照签发", form_schema=SCHEMA)

    response = client.get(reverse("channels:item_form_print", args=[version.item.code]))

    for title in ["申请人姓名", "出境事由", "拟出境日期", "证件邮寄到家", "紧急联系人", "紧急联系人电话"]:
        assertContains(response, title)
    assertContains(response, "普通护照签发")
    assertContains(response, "申请表")
    assertContains(response, "申请人（签字或盖章）")
    assertContains(response, "☐</span>旅游", html=False)
    assertNotContains(response, "张明")
    assertNotContains(response, '<span class="example-mark">示例</span>', html=False)


def test_form_sample_fills_each_field_with_its_first_example(client):
    version = make_item(name="普通护照签发", form_schema=SCHEMA)

    response = client.get(reverse("channels:item_form_sample", args=[version.item.code]))

    assertContains(
        response, '<span class="example-mark">示例</span> <span class="example">张明</span>', html=False
    )
    assertContains(response, "2025-05-01")
    assertContains(response, "13900139000")
    assertContains(
        response, '<span class="option checked"><span class="box" aria-hidden="true">☑</span>商务', html=False
    )
    assertContains(response, "填写示例")


def test_form_of_unpublished_item_is_404(client):
    version = make_item(publish=False)

    assert client.get(reverse("channels:item_form_print", args=[version.item.code])).status_code == 404
    assert client.get(reverse("channels:item_form_sample", args=[version.item.code])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Bundles
# ---------------------------------------------------------------------------------------------


def newborn_bundle():
    """出生医学证明 → 出生登记 → 医保参保; 社保卡 optional. 居民身份证 is asked by all three."""
    id_card = {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": "ID_CARD"}
    certificate = make_item(
        name="出生医学证明签发", promised_limit_days=1, materials=[dict(id_card), {"name": "结婚证"}]
    )
    registration = make_item(
        name="出生登记", promised_limit_days=2, materials=[dict(id_card), {"name": "居民户口簿"}]
    )
    insurance = make_item(name="城乡居民医保参保登记", promised_limit_days=2, materials=[dict(id_card)])
    card = make_item(name="社会保障卡申领", promised_limit_days=5, materials=[{"name": "近期免冠彩色照片"}])
    bundle = make_bundle(
        certificate,
        registration,
        insurance,
        card,
        code="newborn",
        name="新生儿出生一件事",
        promised_limit_days=5,
        requires={1: [0], 2: [1]},
    )
    BundleMember.objects.filter(bundle=bundle, item=card.item).update(optional=True)
    BundleDependency.objects.filter(member__item=registration.item).update(handover_fields=["applicant_name"])
    return bundle_publish(bundle=bundle)


BUNDLE_URL = reverse("channels:bundle_detail", args=["newborn"])


def test_bundle_list_shows_published_bundles(client):
    newborn_bundle()

    response = client.get(reverse("channels:bundle_list"))

    assertContains(response, "新生儿出生一件事")
    assertContains(response, f'href="{BUNDLE_URL}"', html=False)
    assertContains(response, "共 <strong>1</strong> 件", html=False)


def test_bundle_page_compares_promised_limit_with_the_members_sum(client):
    newborn_bundle()  # four members, 5 working days each

    response = client.get(BUNDLE_URL)

    assertContains(response, "原需 <s>10</s> 个工作日，现承诺 <strong>5</strong> 个工作日", html=False)


def test_bundle_page_asks_each_shared_material_once(client):
    newborn_bundle()

    response = client.get(BUNDLE_URL)

    html = response.content.decode()
    assert html.count('class="material-name">居民身份证</th>') == 1
    assertContains(response, "出生医学证明签发、出生登记、城乡居民医保参保登记")
    assertContains(response, "<strong>4</strong> 个事项，一次提交，材料 <strong>4</strong> 份", html=False)
    assertContains(response, "分别办理需 6 份")


def test_bundle_page_lists_members_with_links_and_optional_marks(client):
    newborn_bundle()

    response = client.get(BUNDLE_URL)

    assertContains(response, "社会保障卡申领")
    assertContains(response, '<span class="badge badge-amber">可选</span>', count=1, html=False)
    assertContains(response, 'href="/items/', count=4, html=False)


def test_bundle_page_shows_which_member_waits_for_which(client):
    newborn_bundle()

    response = client.get(BUNDLE_URL)

    html = response.content.decode()
    assertContains(response, "等待“出生医学证明签发”办结，移交：申请人姓名")
    assertContains(response, "等待“出生登记”办结")
    assert html.index("第 1 步") < html.index("第 2 步") < html.index("第 3 步")


def test_bundle_page_lists_each_merged_field_once_with_its_items(client):
    newborn_bundle()  # every member uses the factory form: applicant_name and applicant_phone

    response = client.get(BUNDLE_URL)

    assertContains(response, '<th scope="row" data-label="栏目">申请人姓名</th>', count=1, html=False)
    assertContains(response, '<th scope="row" data-label="栏目">联系电话</th>', count=1, html=False)
    assertContains(response, "出生医学证明签发、出生登记、城乡居民医保参保登记、社会保障卡申领", count=2)


def test_draft_bundle_is_404(client):
    bundle = make_bundle(make_item(), make_item(), code="draft-bundle")

    response = client.get(reverse("channels:bundle_detail", args=[bundle.code]))

    assert response.status_code == 404
    assertContains(response, "页面未找到", status_code=404)


# ---------------------------------------------------------------------------------------------
# Every page: language, headings, labels
# ---------------------------------------------------------------------------------------------


def every_page_url() -> list[str]:
    version = make_item(name="普通护照签发")
    newborn_bundle()
    code = version.item.code
    return [
        HOME,
        reverse("channels:item_guide", args=[code]),
        reverse("channels:item_form_print", args=[code]),
        reverse("channels:item_form_sample", args=[code]),
        reverse("channels:bundle_list"),
        BUNDLE_URL,
    ]


def test_pages_declare_chinese_language(client):
    for url in every_page_url():
        response = client.get(url)
        assert response.status_code == 200, url
        assertContains(response, '<html lang="zh-CN">', html=False)
        assertContains(
            response, '<meta name="viewport" content="width=device-width, initial-scale=1">', html=False
        )


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.labels: set[str] = set()
        self.controls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label" and attributes.get("for"):
            self.labels.add(str(attributes["for"]))
        if tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden":
            self.controls.append(str(attributes.get("id") or ""))


def test_pages_have_one_h1_and_headings_in_order(client):
    for url in every_page_url():
        outline = _Outline()
        outline.feed(client.get(url).content.decode())
        assert outline.headings.count(1) == 1, url
        for before, after in zip(outline.headings, outline.headings[1:], strict=False):
            assert after <= before + 1, f"{url}: h{before} followed by h{after}"


def test_every_form_control_is_labelled(client):
    make_item(name="普通护照签发")
    outline = _Outline()
    outline.feed(client.get(HOME).content.decode())

    assert outline.controls, "the home page has a search form"
    assert all(control and control in outline.labels for control in outline.controls)


def test_pages_have_a_skip_link_to_main(client):
    response = client.get(HOME)

    assertContains(response, '<a class="skip-link" href="#main">跳到主要内容</a>', html=False)
    assertContains(response, '<main id="main"', html=False)


def test_selected_four_ways_chip_links_back_to_all_items(client):
    make_item(name="普通护照签发")

    response = client.get(HOME, {"way": "instant", "audience": "1"})

    assertContains(response, 'href="/?audience=1#results" aria-current="true">', html=False)


@pytest.mark.parametrize("count", [2, 8])
def test_home_query_count_does_not_grow_with_results(client, django_assert_max_num_queries, count):
    for n in range(count):
        make_item(name=f"示例事项{n}")

    with django_assert_max_num_queries(4):
        client.get(HOME)


def test_bundle_page_query_count_does_not_grow_with_members(client, django_assert_max_num_queries):
    newborn_bundle()

    with django_assert_max_num_queries(8):
        client.get(BUNDLE_URL)


def test_guide_links_to_online_service_only_over_http(client):
    safe = make_item(online_url="https://zwfw.example.gov.cn/passport")
    unsafe = make_item()
    ItemVersion.objects.filter(pk=unsafe.pk).update(online_url="javascript:alert(1)")

    assertContains(
        client.get(guide_url(safe)), 'href="https://zwfw.example.gov.cn/passport"', count=1, html=False
    )
    assertNotContains(client.get(guide_url(unsafe)), "javascript:")


def test_guide_of_an_online_item_offers_to_apply_here(client):
    version = make_item(online_depth=3)
    assertContains(client.get(guide_url(version)), f'href="/apply/item/{version.item.code}/"', html=False)


def test_guide_of_an_item_not_online_does_not_offer_to_apply(client):
    version = make_item(online_depth=1)
    assertNotContains(client.get(guide_url(version)), "/apply/item/")


def test_portal_not_found_view_renders_the_portal_404(rf):
    response = views.page_not_found(rf.get("/no-such-page/"), Exception())

    assert response.status_code == 404
    assert '<html lang="zh-CN">' in response.content.decode()
    assert "页面未找到" in response.content.decode()

"""好差评 and 咨询投诉 pages: rating a case by the SMS / inbox link or signed in, the 差评's promise and the
追评 after 整改, the closed window; submitting a request (anonymous, 举报, signed in), tracking it by 查询码
and judging the answer; the public figures and the item guide's box; the kiosk's rating and form; and
every form answering bad input with a form error, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.channels.feedback_helpers import answered_request, ended_case, link, rectify
from tests.factories import PASSWORD, make_citizen, make_staff
from tests.kiosk.helpers import PIN
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Case
from yiwang.channels import request_form
from yiwang.feedback.models import (
    BadRatingTask,
    Rating,
    RatingChannel,
    ServiceRequest,
    Stage,
    tracking_digest,
)
from yiwang.kiosk.services import kiosk_pin_set
from yiwang.notifications.models import Message, MessageKind

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
NEW = reverse("portal:request_new")
TRACK = reverse("portal:request_track")


def rate_body(level: int | str, *options: str, stage: str = "first", **extra: str) -> dict[str, object]:
    return {"stage": stage, "level": str(level), "options": list(options), **extra}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="yiwang.accounts.backends.IdentifierBackend")
    return client


def html(response) -> str:
    return response.content.decode()


# 评价 by the link of the SMS and the inbox


def test_the_sms_link_opens_the_rating_without_signing_in(client):
    case = ended_case()

    page = client.get(link(case))

    assert page.status_code == 200
    assertContains(page, case.item_version.name)
    assertContains(page, "示范市市场监督管理局")
    assertContains(page, "已办结")
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assertContains(page, f'<span class="level-name">{label}</span>', html=False)
    assertContains(page, 'value="110"')  # the options, under their level headings without script
    assertContains(page, "办事效率")
    assert "no-store" in page["Cache-Control"]  # someone's case: never cached by a shared browser
    assertNotContains(page, case.application.applicant_name)


def test_rating_by_the_link_thanks_and_shows_the_rating(client):
    case = ended_case()

    response = client.post(
        link(case), rate_body(5, "510", "513", text="网上申请很方便", i_efficiency="5"), HTTP_USER_AGENT=PHONE
    )

    assertRedirects(response, link(case), fetch_redirect_response=False)
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.options, rating.text) == (5, ["510", "513"], "网上申请很方便")
    assert rating.indicators == {"efficiency": 5, "overall": 5}
    assert rating.channel == RatingChannel.MOBILE
    assert rating.rater == case.application.applicant_user
    page = client.get(link(case))
    assertContains(page, "感谢您的评价")
    assertContains(page, "您的评价")
    assertContains(page, "全程网办不用跑")
    assertNotContains(page, 'name="level"')  # rated: no form any more


def test_the_inbox_message_of_the_ended_case_links_to_its_rating(client):
    case = ended_case()
    message = Message.objects.get(kind=MessageKind.CASE_COMPLETED, subject=case.number)

    assert message.link == link(case)
    assert client.get(message.link).status_code == 200


def test_a_link_for_another_case_is_refused(client):
    case, other = ended_case(), ended_case()

    response = client.get(f"/rate/{case.number}/?t={link(other).split('?t=')[1]}")

    assert response.status_code == 403
    assertContains(response, "评价链接无效或已过期", status_code=403)
    assert client.post(f"/rate/{case.number}/?t=forged", rate_body(5)).status_code == 403
    assert not Rating.objects.exists()


def test_on_a_pc_the_channel_is_pc(client):
    case = ended_case()
    client.post(link(case), rate_body(4), HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
    assert Rating.objects.get(case=case).channel == RatingChannel.PC


# 评价 signed in


def test_the_signed_in_applicant_rates_from_the_application_page():
    case = ended_case()
    citizen = case.application.applicant_user
    client = signed_in(citizen)
    rate = reverse("portal:rate", args=[case.number])

    application = client.get(reverse("portal:application", args=[case.application.number]))
    assertContains(application, f'href="{rate}"')
    assertContains(application, "评价")

    assertRedirects(client.post(rate, rate_body(4, "408")), rate, fetch_redirect_response=False)
    assert Rating.objects.get(case=case).rater == citizen
    application = client.get(reverse("portal:application", args=[case.application.number]))
    assertContains(application, "已评价")
    assertContains(application, "满意")


def test_without_a_token_the_page_is_the_applicants_only(client):
    case = ended_case()
    rate = reverse("portal:rate", args=[case.number])

    assert client.get(rate)["Location"].startswith("/accounts/login/?next=")
    assert signed_in(make_citizen()).get(rate).status_code == 404
    staff = signed_in(make_staff(StaffRole.OFFICER, department=case.department))
    assert staff.get(rate).status_code == 403


# 差评, 追评, and when there is no form


def test_a_bad_rating_shows_the_departments_callback_promise(client):
    case = ended_case()

    client.post(link(case), rate_body(1, "110", text="超过承诺时限一周才办结"))

    rating = Rating.objects.get(case=case)
    assert BadRatingTask.objects.filter(rating=rating).exists()
    page = client.get(link(case))
    assertContains(page, "部门将在 1 个工作日内与您联系核实")
    assertContains(page, "无理由超过法定办理时间")
    # The promise stays while the department has not called back.
    assertContains(client.get(link(case)), "部门将在 1 个工作日内与您联系核实")


def test_after_rectification_the_rater_may_rate_once_more(client):
    case = ended_case()
    client.post(link(case), rate_body(2, "209"))
    first = Rating.objects.get(case=case)
    assertNotContains(client.get(link(case)), 'name="level"')

    rectify(first, result="已优化审批流程，压缩办理时间")
    page = client.get(link(case))
    assertContains(page, "整改后追评")
    assertContains(page, "已优化审批流程，压缩办理时间")
    assertContains(page, 'name="stage" value="again"', html=False)

    response = client.post(link(case), rate_body(4, "408", stage="again", text="整改后很快"))
    assertRedirects(response, link(case), fetch_redirect_response=False)
    again = Rating.objects.get(case=case, previous=first)
    first.refresh_from_db()
    assert (again.level, first.current, again.current) == (4, False, True)
    page = client.get(link(case))
    assertContains(page, "感谢您的追评")
    assertContains(page, "您的追评")
    assertNotContains(page, 'name="level"')

    twice = client.post(link(case), rate_body(5, stage="again"))
    assert twice.status_code == 409
    assertContains(twice, "已追评过", status_code=409)
    assert Rating.objects.filter(case=case).count() == 2


def test_a_closed_window_says_so_and_has_no_form(client, settings):
    case = ended_case()
    long_ago = timezone.now() - timedelta(days=settings.YIWANG_RATING_WINDOW_DAYS + 3)
    Case.objects.filter(pk=case.pk).update(completed_at=long_ago, decided_at=long_ago)

    page = client.get(link(case))
    assertContains(page, "评价期已于")
    assertContains(page, "结束")
    assertNotContains(page, 'name="level"')
    assert client.post(link(case), rate_body(5)).status_code == 409
    assert not Rating.objects.exists()


def test_a_running_case_cannot_be_rated_yet(client):
    case = ended_case(finish=False)

    page = client.get(link(case))

    assertContains(page, "该办件尚未办结")
    assertNotContains(page, 'name="level"')


def test_rating_twice_is_refused_with_the_reason(client):
    case = ended_case()
    client.post(link(case), rate_body(5))

    again = client.post(link(case), rate_body(1, "110"))

    assert again.status_code == 409
    assertContains(again, "该办件已评价过", status_code=409)
    assert Rating.objects.get(case=case).level == 5


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "请选择评价等级"),
        (rate_body("abc"), "请选择评价等级"),
        (rate_body(2), "差评请至少选择一项原因或写明情况"),
        (rate_body(1, "207"), "不属于所选的评价等级"),
        (rate_body(5, "999"), "未知的评价选项"),
        (rate_body(5, text="好" * 501), "评价内容不超过 500 字"),
        (rate_body(5, i_efficiency="9"), "请选择 1～5 星"),
    ],
)
def test_bad_ratings_are_form_errors_in_chinese(client, body, error):
    case = ended_case()
    body = {"stage": "first", **body}

    response = client.post(link(case), body)

    assert response.status_code == 422
    assertContains(response, error, status_code=422)
    assertContains(response, "评价未提交，请修改以下内容", status_code=422)
    assert not Rating.objects.exists()


# 咨询投诉


def test_an_anonymous_visitor_submits_and_sees_the_tracking_code_once(client):
    form = client.get(NEW)
    for label in ("咨询", "求助", "投诉", "建议", "举报"):
        assertContains(form, f'<span class="type-name">{label}</span>', html=False)

    response = client.post(
        NEW,
        {
            "type": "consult",
            "text": "办理营业执照需要准备哪些材料？",
            "contact_name": "李先生",
            "contact_phone": "13900001111",
        },
    )

    assertRedirects(response, f"{NEW}?submitted=1", fetch_redirect_response=False)
    created = ServiceRequest.objects.get()
    assert (created.type, created.channel, created.submitter, created.contact_name) == (
        "consult",
        "portal",
        None,
        "李先生",
    )
    receipt = client.get(f"{NEW}?submitted=1")
    assertContains(receipt, created.number)
    assertContains(receipt, "请保存查询码")
    code = html(receipt).split("data-tracking-code>", 1)[1].split("<", 1)[0]
    assert tracking_digest(code) == created.tracking_digest
    assert "no-store" in receipt["Cache-Control"]
    again = client.get(f"{NEW}?submitted=1")
    assertNotContains(again, code)  # shown once
    assertContains(again, 'name="text"', html=False)


def test_a_phone_submission_is_a_mobile_request(client):
    client.post(NEW, {"type": "suggestion", "text": "建议大厅增加周末延时服务窗口"}, HTTP_USER_AGENT=PHONE)
    assert ServiceRequest.objects.get().channel == "mobile"


def test_an_anonymous_report_explains_the_protection_and_keeps_no_contact(client):
    assertContains(client.get(NEW), "举报人信息严格保密，不向被举报单位透露")

    client.post(
        NEW,
        {
            "type": "report",
            "text": "某窗口工作人员收取好处费后优先办理",
            "contact_name": "王某",
            "contact_phone": "13900002222",
            "anonymous": "on",
        },
    )

    report = ServiceRequest.objects.get()
    assert (report.type, report.anonymous, report.contact_name, report.contact_phone) == (
        "report",
        True,
        "",
        "",
    )
    receipt = client.get(f"{NEW}?submitted=1")
    assertContains(receipt, "举报人信息严格保密")
    assertContains(receipt, "只能凭查询码查看")


def test_a_signed_in_applicant_submits_about_a_case_and_finds_it_in_my_requests():
    case = ended_case()
    citizen = case.application.applicant_user
    client = signed_in(citizen)
    form = client.get(NEW)
    assertContains(form, f'value="{citizen.name}"')
    assertContains(form, case.number)

    client.post(NEW, {"type": "complaint", "text": "办结时间比承诺的晚了一周", "case": case.number})

    created = ServiceRequest.objects.get()
    assert (created.submitter, created.case, created.department) == (citizen, case, case.department)
    mine = client.get(reverse("portal:my_requests"))
    assertContains(mine, created.number)
    assertContains(mine, "我的诉求")
    assertContains(
        client.get(reverse("portal:request_detail", args=[created.number])), "办结时间比承诺的晚了一周"
    )
    assert (
        signed_in(make_citizen()).get(reverse("portal:request_detail", args=[created.number])).status_code
        == 404
    )


def test_track_by_code_shows_the_answer_and_judging_unsatisfied_sends_it_back(client):
    found, code = answered_request()

    page = client.post(TRACK, {"code": code.lower()})

    assert page.status_code == 200
    assertContains(page, found.number)
    assertContains(page, "已安排施工队于本周五前完成路面修补。")
    assertContains(page, "您对答复是否满意")
    assertNotContains(page, "工作人员")  # no staff names in the events

    refused = client.post(TRACK, {"code": code, "intent": "judge", "satisfied": "no", "note": ""})
    assert refused.status_code == 422
    assertContains(refused, "请说明不满意的原因", status_code=422)

    judged = client.post(TRACK, {"code": code, "intent": "judge", "satisfied": "no", "note": "至今未修"})
    assertContains(judged, "已转承办部门重新办理")
    found.refresh_from_db()
    assert (found.stage, found.redone, found.satisfied) == (Stage.HANDLING, True, False)


def test_judging_satisfied_closes_the_request(client):
    found, code = answered_request()

    judged = client.post(TRACK, {"code": code, "intent": "judge", "satisfied": "yes"})

    assertContains(judged, "感谢您的评价，诉求已办结")
    found.refresh_from_db()
    assert (found.stage, found.satisfied) == (Stage.CLOSED, True)
    assertNotContains(judged, 'name="satisfied"')


def test_a_wrong_code_is_an_error_and_guessing_is_throttled(client, settings):
    settings.YIWANG_TRACK_FAILURES_PER_ADDRESS = 2
    wrong = client.post(TRACK, {"code": "ABCDE-FGHJK"})
    assert wrong.status_code == 422
    assertContains(wrong, "查询码不正确", status_code=422)
    client.post(TRACK, {"code": "ABCDE-FGHJM"})

    blocked = client.post(TRACK, {"code": "ABCDE-FGHJN"})

    assert blocked.status_code == 429
    assertContains(blocked, "查询失败次数过多", status_code=429)


def test_the_signed_in_submitter_judges_on_the_request_page():
    citizen = make_citizen()
    found, _ = answered_request(submitter=citizen)
    client = signed_in(citizen)
    page = reverse("portal:request_detail", args=[found.number])

    assertContains(client.get(page), "您对答复是否满意")
    assertRedirects(client.post(page, {"satisfied": "yes"}), page, fetch_redirect_response=False)

    found.refresh_from_db()
    assert found.stage == Stage.CLOSED
    assertContains(client.get(page), "您的评价：满意")


def test_submissions_are_throttled_per_address(client, monkeypatch):
    monkeypatch.setattr(request_form, "SUBMIT_RULE", request_form.Rule(limit=2, window=timedelta(hours=1)))
    body = {"type": "consult", "text": "请问公积金提取需要什么材料"}
    assert client.post(NEW, body).status_code == 302
    assert client.post(NEW, body).status_code == 302

    third = client.post(NEW, body)

    assert third.status_code == 429
    assertContains(third, "提交次数过多", status_code=429)
    assert ServiceRequest.objects.count() == 2


# 公示


def _rated(level: int, *options: str, text: str = "") -> Rating:
    case = ended_case(name="食品经营许可")
    Client().post(link(case), rate_body(level, *options, text=text))
    return Rating.objects.get(case=case)


def test_the_public_figures_page_shows_each_departments_rates():
    _rated(5, text="一次就办好了")
    bad = _rated(1, "110")
    rectify(bad)

    page = Client().get(reverse("channels:ratings_public"))

    assert page.status_code == 200
    assertContains(page, "示范市市场监督管理局")
    assertContains(page, "好评率")
    assertContains(page, "差评整改率")
    assertContains(page, "诉求按期办结率")
    assertContains(page, '<strong data-figure="ratings">2</strong>', html=False)
    assertContains(page, '<strong data-figure="good_rate">50%</strong>', html=False)
    assertContains(page, '<strong data-figure="rectified_rate">100%</strong>', html=False)
    assertContains(page, "好评率 = ")  # the formulas under the table
    assertContains(Client().get(reverse("channels:ratings_public"), {"period": "30d"}), "近 30 天")


def test_the_item_guide_shows_its_ratings_and_latest_words_without_names():
    rating = _rated(5, text="窗口人员很耐心，一次就办好了")
    item = rating.item

    page = Client().get(reverse("channels:item_guide", args=[item.code]))

    box = html(page).split("data-guide-ratings", 1)[1].split("</section>", 1)[0]
    assert '<strong data-figure="count">1</strong>' in box
    assert '<strong data-figure="good_rate">100%</strong>' in box
    assert "窗口人员很耐心，一次就办好了" in box
    assert rating.rater_name not in box


def test_the_portal_menu_and_personal_tabs_lead_to_the_requests():
    citizen = make_citizen()
    client = signed_in(citizen)

    page = client.get(reverse("portal:my_applications"))

    assertContains(page, f'href="{NEW}"')
    assertContains(page, "咨询投诉")
    assertContains(page, f'href="{reverse("portal:my_requests")}"')
    assertContains(page, "我的诉求")
    assertContains(Client().get("/"), reverse("channels:ratings_public"))


# The kiosk


def _kiosk(citizen) -> Client:
    kiosk_pin_set(user=citizen, pin=PIN)
    client = Client()
    assert (
        client.post(reverse("kiosk:login"), {"id_number": citizen.id_number, "pin": PIN}).status_code == 302
    )
    return client


def test_the_kiosk_lists_a_rate_button_and_rates_with_the_kiosk_channel():
    case = ended_case()
    client = _kiosk(case.application.applicant_user)
    rate = reverse("kiosk:rate", args=[case.number])

    assertContains(client.get(reverse("kiosk:applications")), f'href="{rate}"')
    page = client.get(rate)
    assertContains(page, "请对本次服务作出评价")
    assertContains(page, "channels/kiosk.css")

    assertRedirects(client.post(rate, rate_body(2, "211")), rate, fetch_redirect_response=False)
    rating = Rating.objects.get(case=case)
    assert (rating.channel, rating.level) == (RatingChannel.KIOSK, 2)
    done = client.get(rate)
    assertContains(done, "部门将在 1 个工作日内与您联系核实")
    assertContains(client.get(reverse("kiosk:applications")), "已评价：不满意")


def test_the_kiosk_rate_page_needs_the_kiosk_sign_in(client):
    case = ended_case()
    response = client.get(reverse("kiosk:rate", args=[case.number]))
    assert response["Location"].startswith(reverse("kiosk:login"))


def test_the_kiosk_home_has_a_request_tile_and_the_form_takes_a_kiosk_request(client):
    assertContains(client.get(reverse("kiosk:home")), f'href="{reverse("kiosk:request_new")}"')

    response = client.post(
        reverse("kiosk:request_new"), {"type": "help", "text": "老人不会用手机预约，请帮忙"}
    )

    assertRedirects(response, f"{reverse('kiosk:request_new')}?submitted=1", fetch_redirect_response=False)
    created = ServiceRequest.objects.get()
    assert created.channel == "kiosk"
    receipt = client.get(f"{reverse('kiosk:request_new')}?submitted=1")
    assertContains(receipt, created.number)
    assertContains(receipt, "请保存查询码")


# Bad input anywhere: a form error, never a 500


def _bad_posts() -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("rate", "link", {"stage": "first", "level": "0", "options": ["x" * 50], "i_guide": "zz"}),
        ("rate", "link", {"stage": "first", "level": "5", "options": ["108"], "text": "好" * 600}),
        ("request", NEW, {"type": "rumour", "text": "", "case": "nope", "contact_phone": "abc"}),
        ("request", NEW, {"type": "consult", "text": "太短", "contact_phone": "12"}),
        ("request", NEW, {"type": "consult", "text": "足够长的一段诉求内容", "contact_name": "名" * 60}),
        ("track", TRACK, {"code": ""}),
        ("track", TRACK, {"code": "x" * 40}),
        ("judge", TRACK, {"intent": "judge", "satisfied": "maybe"}),
        ("kiosk-request", reverse("kiosk:request_new"), {"type": "", "text": "x" * 2001}),
    ]


@pytest.mark.parametrize(("kind", "url", "body"), _bad_posts(), ids=lambda v: v if isinstance(v, str) else "")
def test_bad_input_gives_a_form_error_not_a_500(client, kind, url, body):
    if kind == "rate":
        url = link(ended_case())
    if kind == "judge":
        _, code = answered_request()
        body = {**body, "code": code}

    response = client.post(url, body)

    assert response.status_code == 422, response.status_code
    text = html(response)
    assert "field-error" in text or "k-error" in text or "error-summary" in text


def test_bad_judgements_on_the_request_page_and_the_kiosk_rating_are_form_errors():
    citizen = make_citizen()
    found, _ = answered_request(submitter=citizen)
    response = signed_in(citizen).post(
        reverse("portal:request_detail", args=[found.number]), {"satisfied": "perhaps", "note": "x" * 2001}
    )
    assert response.status_code == 422
    assertContains(response, "请选择满意或不满意", status_code=422)

    case = ended_case()
    client = _kiosk(case.application.applicant_user)
    bad = client.post(reverse("kiosk:rate", args=[case.number]), rate_body(1, "510"))
    assert bad.status_code == 422
    assertContains(bad, "不属于所选的评价等级", status_code=422)


def test_the_login_password_of_the_factories_still_works_for_the_rate_page(client):
    """Sign in on the login page with ?next= the rating page: the applicant lands on the form."""
    case = ended_case()
    citizen = case.application.applicant_user
    rate = reverse("portal:rate", args=[case.number])
    response = client.post(
        f"/accounts/login/?next={rate}", {"username": citizen.username, "password": PASSWORD}
    )
    assertRedirects(response, rate, fetch_redirect_response=False)
    assertContains(client.get(rate), 'name="level"')

"""The kiosk pages: tiles and guides, sign-in with ID number + PIN, my applications, notices, idle end
and the end of every session (退出所有设备)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.factories import make_citizen
from tests.kiosk.helpers import PIN, apply, apply_and_accept, kiosk_item, make_kiosk_citizen
from yiwang.channels.kiosk.session import GRACE_SECONDS, SESSION_KEY

pytestmark = pytest.mark.django_db

HOME = reverse("kiosk:home")
LOGIN = reverse("kiosk:login")
MINE = reverse("kiosk:applications")
NOTICES = reverse("kiosk:notices")


def sign_in(client, citizen, pin: str = PIN, **extra):
    return client.post(LOGIN, {"id_number": citizen.id_number, "pin": pin, **extra})


def test_home_shows_kiosk_items_as_tiles_and_the_two_services(client):
    version = kiosk_item(name="居民身份证挂失")

    response = client.get(HOME)

    assertContains(response, reverse("kiosk:item_guide", args=[version.item.code]))
    assertContains(response, "居民身份证挂失")
    assertContains(response, "办件查询")
    assertContains(response, "打印文书")
    assertNotContains(response, "channels/portal.css")  # a layout of its own, not the portal's


def test_a_question_in_own_words_at_the_kiosk_finds_the_guide(client):
    version = kiosk_item(name="居民身份证补领", keywords="")

    response = client.get(HOME, {"q": "身分证丢了怎么办"})

    found = response.content.decode().split("data-found", 1)[1]
    assert "居民身份证补领" in found
    assert reverse("kiosk:item_guide", args=[version.item.code]) in found


def test_the_next_person_at_the_kiosk_does_not_see_the_last_ones_questions(client):
    kiosk_item(name="居民身份证补领", keywords="身份证丢了")
    client.post(reverse("kiosk:assistant"), {"text": "我老婆的身份证丢了"})
    assert "我老婆的身份证丢了" in client.get(reverse("kiosk:assistant")).content.decode()

    client.get(HOME)  # where the kiosk goes when its user walks away

    assert "我老婆的身份证丢了" not in client.get(reverse("kiosk:assistant")).content.decode()


def test_a_question_the_kiosk_cannot_answer_points_to_the_hotline(client):
    kiosk_item(name="居民身份证补领")

    response = client.get(HOME, {"q": "明天会下雨吗"})

    assertContains(response, "没有找到")
    assertContains(response, "12345")


def test_guide_shows_materials_limits_and_where_to_go(client):
    version = kiosk_item(
        name="普通护照签发",
        promised_limit_days=7,
        place="示范市市民中心一楼出入境窗口",
        materials=[{"name": "居民身份证", "originals": 1}, {"name": "近期免冠照片", "copies": 2}],
    )

    response = client.get(reverse("kiosk:item_guide", args=[version.item.code]))

    for text in (
        "普通护照签发",
        "居民身份证",
        "原件 1 份",
        "近期免冠照片",
        "复印件 2 份",
        "示范市市民中心一楼出入境窗口",
    ):
        assertContains(response, text)
    assertContains(response, "<strong>7</strong> 个工作日", html=False)


def test_guide_fee_reads_as_people_say_it(client):
    version = kiosk_item(
        fees=[{"name": "护照工本费", "amount": "120.00", "unit": "元/本", "basis": "发改价格"}]
    )

    response = client.get(reverse("kiosk:item_guide", args=[version.item.code]))

    assertContains(response, "<strong>120</strong> 元/本", html=False)


def test_guide_of_an_unknown_item_is_a_kiosk_404(client):
    response = client.get(reverse("kiosk:item_guide", args=["NOPE"]))

    assert response.status_code == 404
    assertContains(response, "channels/kiosk.css", status_code=404)


def test_sign_in_with_id_number_and_pin_opens_my_applications(client):
    citizen = make_kiosk_citizen()
    apply(citizen, kiosk_item(name="社会保障卡申领"))

    response = sign_in(client, citizen)

    assertRedirects(response, MINE)
    page = client.get(MINE)
    assertContains(page, "社会保障卡申领")
    assertContains(page, "待受理")


def test_kiosk_sign_in_does_not_sign_in_to_the_portal(client):
    citizen = make_kiosk_citizen()

    sign_in(client, citizen)

    assert client.session[SESSION_KEY] == citizen.pk
    assert "_auth_user_id" not in client.session


def test_wrong_pin_shows_one_message_and_keeps_the_id_number(client):
    citizen = make_kiosk_citizen()

    response = sign_in(client, citizen, pin="135790")

    assert response.status_code == 401
    assertContains(response, "身份证号码或密码不正确", status_code=401)
    assertContains(response, f'value="{citizen.id_number}"', status_code=401)


def test_malformed_id_number_is_refused_before_any_pin_check(client):
    response = client.post(LOGIN, {"id_number": "12345", "pin": PIN})

    assert response.status_code == 422
    assertContains(response, "公民身份号码应为 18 位", status_code=422)


def test_my_applications_need_a_kiosk_sign_in(client):
    response = client.get(MINE)

    assertRedirects(response, f"{LOGIN}?next={MINE.replace('/', '%2F')}", fetch_redirect_response=False)


def test_after_sign_in_the_kiosk_goes_where_the_citizen_was_going(client):
    citizen = make_kiosk_citizen()

    response = sign_in(client, citizen, next=NOTICES)

    assertRedirects(response, NOTICES)


def test_next_outside_the_kiosk_is_ignored(client):
    citizen = make_kiosk_citizen()

    for target in ("https://evil.example/", "//evil.example/kiosk/", "/admin/"):
        client.post(reverse("kiosk:logout"))
        assertRedirects(sign_in(client, citizen, next=target), MINE)


def test_only_the_citizens_own_applications_are_listed(client):
    citizen, other = make_kiosk_citizen(), make_citizen()
    apply(citizen, kiosk_item(name="我的事项"))
    apply(other, kiosk_item(name="别人的事项"))
    sign_in(client, citizen)

    response = client.get(MINE)

    assertContains(response, "我的事项")
    assertNotContains(response, "别人的事项")


def test_print_page_lists_only_applications_with_a_notice(client):
    citizen = make_kiosk_citizen()
    apply(citizen, kiosk_item(name="刚提交的事项"))
    accepted = apply_and_accept(citizen, kiosk_item(name="已受理的事项"))
    sign_in(client, citizen)

    response = client.get(NOTICES)

    assertContains(response, "已受理的事项")
    assertNotContains(response, "刚提交的事项")
    assertContains(response, reverse("kiosk:notice", args=[accepted.number, "acceptance"]))
    assertContains(response, "打印受理通知书")


def test_notice_opens_as_an_inline_pdf_the_kiosk_page_may_frame(client):
    citizen = make_kiosk_citizen()
    application = apply_and_accept(citizen, kiosk_item())
    sign_in(client, citizen)

    response = client.get(reverse("kiosk:notice", args=[application.number, "acceptance"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response.content.startswith(b"%PDF")


def test_someone_elses_notice_is_not_found(client):
    application = apply_and_accept(make_citizen(), kiosk_item())
    sign_in(client, make_kiosk_citizen())

    response = client.get(reverse("kiosk:notice", args=[application.number, "acceptance"]))

    assert response.status_code == 404


def test_a_notice_the_application_does_not_have_yet_is_not_found(client):
    citizen = make_kiosk_citizen()
    application = apply(citizen, kiosk_item())
    sign_in(client, citizen)

    response = client.get(reverse("kiosk:notice", args=[application.number, "completion"]))

    assert response.status_code == 404


def test_kiosk_session_ends_after_the_idle_time_without_a_request(client, settings):
    settings.YIWANG_KIOSK_IDLE_SECONDS = 60
    citizen = make_kiosk_citizen()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, citizen)
    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        assert client.get(MINE).status_code == 200  # each request keeps it for another 60 s (+ grace)
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        assert client.get(MINE).status_code == 200
    with time_machine.travel(start + timedelta(seconds=100 + 60 + GRACE_SECONDS + 1), tick=False):
        assert client.get(MINE).status_code == 302


def test_ping_keeps_the_session_alive_and_tells_when_it_is_gone(client):
    citizen = make_kiosk_citizen()
    assert client.post(reverse("kiosk:ping")).status_code == 401

    sign_in(client, citizen)

    assert client.post(reverse("kiosk:ping")).status_code == 204


def test_logout_ends_the_session_and_says_goodbye(client):
    sign_in(client, make_kiosk_citizen())

    response = client.post(reverse("kiosk:logout"), {"reason": "idle"}, follow=True)

    assert SESSION_KEY not in client.session
    assertContains(response, "长时间未操作，已为您安全退出")
    assert client.get(MINE).status_code == 302


def test_pages_carry_the_configured_idle_time(client, settings):
    settings.YIWANG_KIOSK_IDLE_SECONDS = 45

    response = client.get(HOME)

    assertContains(response, 'data-idle-seconds="45"')
    assertContains(response, 'data-warn-seconds="20"')


def test_a_number_without_a_pin_gets_the_same_answers_as_one_with_a_pin(client):
    with_pin, without_pin = make_kiosk_citizen(), make_citizen()

    seen = []
    with time_machine.travel(timezone.now(), tick=False):  # both locks end at the same minute
        for citizen in (with_pin, without_pin):
            answers = []
            for _ in range(6):
                response = sign_in(client, citizen, pin="135790")
                answers.append((response.status_code, str(response.context["form"].non_field_errors())))
            seen.append(answers)

    assert seen[0] == seen[1]
    assert [status for status, _ in seen[0]] == [401, 401, 401, 401, 423, 423]
    assert "已锁定" in seen[0][-1][1]


def test_signing_out_everywhere_ends_the_kiosk_session(client):
    citizen = make_kiosk_citizen()
    sign_in(client, citizen)
    assert client.get(MINE).status_code == 200

    portal = Client()
    portal.force_login(citizen)
    portal.post(reverse("channels:sign_out_everywhere"))

    assert client.get(MINE).status_code == 302, "the kiosk's session ended with the others"
    assert SESSION_KEY not in client.session

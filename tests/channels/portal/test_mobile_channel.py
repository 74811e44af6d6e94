"""申请渠道: an application made on the apply page from a phone or tablet is 掌上办 (mobile); from a
desktop browser 网上办（PC） (web) — told by the User-Agent, or by the `Sec-CH-UA-Mobile` client hint."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tests.channels.portal.conftest import form_post, pdf, upload, uploaded_id
from yiwang.cases.models import Application

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
    "Mobile Safari/537.36"
)
ANDROID_TABLET = (  # no "Mobile": Chrome leaves it out on tablets
    "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
    "Safari/537.36"
)
HARMONY_TABLET = (  # HarmonyOS NEXT: neither "Android" nor "Mobile"
    "Mozilla/5.0 (Tablet; OpenHarmony 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 "
    "Safari/537.36 ArkWeb/4.1.6.1"
)
WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN"
)
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
    "Safari/537.36"
)
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)


def apply(client, world, **headers) -> Application:
    """Apply for the world's item on the apply page, as the citizen, with these request headers."""
    identity, premises = list(world.item.materials.order_by("order"))
    client.force_login(world.citizen.user)
    uploaded = upload(client, identity, pdf("身份证.pdf"))
    response = client.post(
        f"/apply/item/{world.item.item.code}/",
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={
                identity: {
                    "way": "upload",
                    "document": uploaded_id(uploaded, identity),
                    "document_name": "身份证.pdf",
                },
                premises: {"way": "pledge", "pledge": "yes"},
            },
            key=str(uuid.uuid4()),
        ),
        **headers,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get()


@pytest.mark.parametrize(
    "agent",
    [IPHONE, ANDROID_PHONE, ANDROID_TABLET, HARMONY_TABLET, WECHAT],
    ids=["iphone", "android-phone", "android-tablet", "harmonyos-next-tablet", "wechat"],
)
def test_a_phone_or_tablet_browser_applies_as_mobile(client, world, agent):
    application = apply(client, world, HTTP_USER_AGENT=agent)

    assert application.channel == "mobile"


def test_the_mobile_client_hint_makes_a_phone_with_a_desktop_user_agent_mobile(client, world):
    application = apply(client, world, HTTP_USER_AGENT=WINDOWS_CHROME, HTTP_SEC_CH_UA_MOBILE="?1")

    assert application.channel == "mobile"


@pytest.mark.parametrize("agent", [WINDOWS_CHROME, MAC_SAFARI], ids=["windows-chrome", "mac-safari"])
def test_a_desktop_browser_applies_as_web(client, world, agent):
    application = apply(client, world, HTTP_USER_AGENT=agent, HTTP_SEC_CH_UA_MOBILE="?0")

    assert application.channel == "web"


def test_the_applicants_page_labels_a_phone_application_mobile(client, world):
    application = apply(client, world, HTTP_USER_AGENT=IPHONE)

    page = client.get(reverse("portal:application", args=[application.number])).content.decode()

    assert "掌上办" in page and "网上办（PC）" not in page

from django.urls import path

from yiwang.channels.portal import apply, assistant, inbox, mine, rating, register, requests, supplement

app_name = "portal"

urlpatterns = [
    path("accounts/register/", register.register, name="register"),
    path("assistant/", assistant.assistant, name="assistant"),
    path("apply/item/<str:code>/", apply.apply_item, name="apply_item"),
    path("apply/bundle/<slug:code>/", apply.apply_bundle, name="apply_bundle"),
    path("apply/upload/", apply.upload, name="upload"),
    path("me/applications/", mine.my_applications, name="my_applications"),
    path("me/applications/<str:number>/", mine.application, name="application"),
    path("me/applications/<str:number>/withdraw/", mine.withdraw, name="withdraw"),
    path("me/applications/<str:number>/supplement/", supplement.supplement, name="supplement"),
    path("me/applications/<str:number>/notices/<str:kind>.pdf", mine.notice, name="notice"),
    path("me/messages/", inbox.inbox, name="messages"),
    path("me/messages/read-all/", inbox.read_all, name="messages_read_all"),
    path("me/messages/settings/", inbox.sms_settings, name="message_settings"),
    path("me/messages/<int:message_id>/", inbox.message, name="message"),
    path("me/requests/", requests.my_requests, name="my_requests"),
    path("rate/<str:number>/", rating.rate, name="rate"),
    path("feedback/new/", requests.request_new, name="request_new"),
    path("feedback/track/", requests.request_track, name="request_track"),
    path("feedback/requests/<str:number>/", requests.request_detail, name="request_detail"),
]

"""Staff workbench (工作台) URLs, mounted at /workbench/."""

from django.urls import path

from yiwang.channels.workbench.views import (
    applications,
    cases,
    desk,
    desk_start,
    files,
    home,
    inbox,
    overview,
    pledges,
    ratings,
    requests,
)

app_name = "workbench"

urlpatterns = [
    path("", home.home, name="home"),
    path("desk/", desk.desk, name="desk"),
    path("desk/next/", desk.desk_clear, name="desk_clear"),
    path("desk/accounts/<int:account_id>/verify/", desk.desk_verify, name="desk_verify"),
    path("desk/accounts/<int:account_id>/unlock/", desk.desk_unlock, name="desk_unlock"),
    path("desk/items/<str:code>/", desk_start.desk_start, {"kind": "item"}, name="desk_start_item"),
    path("desk/bundles/<slug:code>/", desk_start.desk_start, {"kind": "bundle"}, name="desk_start_bundle"),
    path("applications/<str:number>/", applications.application, name="application"),
    path("applications/<str:number>/act/", applications.application_act, name="application_act"),
    path(
        "applications/<str:number>/notices/<str:kind>.pdf",
        files.notice,
        name="notice",
    ),
    path(
        "applications/<str:number>/documents/<str:document_id>/",
        files.application_document,
        name="application_document",
    ),
    path("queue/", cases.queue, name="queue"),
    path("cases/<str:number>/", cases.case_page, name="case"),
    path("cases/<str:number>/act/", cases.case_act, name="case_act"),
    path("cases/<str:number>/documents/<str:document_id>/", files.case_document, name="case_document"),
    path("pledge-checks/", pledges.pledge_checks, name="pledge_checks"),
    path("overview/", overview.overview, name="overview"),
    path("ratings/", ratings.ratings_list, name="ratings"),
    path("ratings/<int:task_id>/", ratings.rating_task, name="rating_task"),
    path("feedback-oversight/", ratings.feedback_oversight, name="feedback_oversight"),
    path("evaluator/", ratings.evaluator, name="evaluator"),
    path("evaluator/invite/", ratings.evaluator_invite, name="evaluator_invite"),
    path("requests/", requests.requests_list, name="requests"),
    path("requests/<str:number>/", requests.request_page, name="request"),
    path("hotline/", requests.hotline, name="hotline"),
    path("messages/", inbox.inbox, name="messages"),
    path("messages/read-all/", inbox.read_all, name="messages_read_all"),
    path("messages/<int:message_id>/", inbox.message, name="message"),
]

from django.urls import path

from yiwang.channels.kiosk import feedback, views

app_name = "kiosk"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:code>/", views.item_guide, name="item_guide"),
    path("assistant/", views.assistant, name="assistant"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("ping/", views.ping, name="ping"),
    path("me/", views.applications, name="applications"),
    path("me/notices/", views.notices, name="notices"),
    path("me/<str:number>/notices/<str:kind>.pdf", views.notice, name="notice"),
    path("me/rate/<str:number>/", feedback.rate, name="rate"),
    path("feedback/", feedback.request_new, name="request_new"),
]

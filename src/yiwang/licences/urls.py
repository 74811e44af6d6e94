from django.urls import path

from yiwang.licences import views

app_name = "licences"

urlpatterns = [
    path("verify/<str:identifier>/", views.verify_page, name="verify"),
]

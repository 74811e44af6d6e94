"""URL map: public portal pages, the admin, and the versioned API."""

from django.contrib import admin
from django.urls import include, path

from yiwang.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("licences/", include("yiwang.licences.urls")),
    path("kiosk/", include("yiwang.channels.kiosk.urls")),
    path("workbench/", include("yiwang.channels.workbench.urls")),
    path("", include("yiwang.channels.portal.urls")),
    path("", include("yiwang.channels.urls")),
]

handler404 = "yiwang.channels.views.page_not_found"

"""URL map: public portal pages, the admin, and the versioned API."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from yiwang.api.api import api
from yiwang.channels.guards import public

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says. The static URL is looked up on the first
    # request, not at import: a manifest storage would need its manifest before any URL is resolved.
    path(
        "favicon.ico",
        public(RedirectView.as_view(url=lazy(static, str)("channels/favicon.svg"), permanent=False)),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("kiosk/", include("yiwang.channels.kiosk.urls")),
    path("workbench/", include("yiwang.channels.workbench.urls")),
    path("", include("yiwang.channels.portal.urls")),
    path("", include("yiwang.channels.urls")),
]

handler404 = "yiwang.channels.views.page_not_found"

from django.urls import path

from yiwang.channels import feedback_public, identity, licence_verify, me, track, views
from yiwang.channels.guards import public

app_name = "channels"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:code>/", views.item_guide, name="item_guide"),
    path("items/<str:code>/form/", views.item_form_print, name="item_form_print"),
    path("items/<str:code>/form/sample/", views.item_form_sample, name="item_form_sample"),
    path("bundles/", views.bundle_list, name="bundle_list"),
    path("bundles/<slug:code>/", views.bundle_detail, name="bundle_detail"),
    path("track/", track.track_lookup, name="track_lookup"),
    path("track/<str:number>/", track.track, name="track"),
    path("ratings/", feedback_public.ratings_public, name="ratings_public"),
    path("licences/verify/<str:identifier>/", licence_verify.verify_page, name="licence_verify"),
    path("accounts/login/", public(me.LoginView.as_view()), name="login"),
    path("accounts/logout/", public(me.LogoutView.as_view()), name="logout"),
    path("me/data-uses/", me.data_uses, name="data_uses"),
    path("me/licences/", me.my_licences, name="my_licences"),
    path("me/security/", me.security, name="security"),
    path("me/identity/", identity.switch, name="identity_switch"),
    path("me/real-name/", identity.real_name, name="real_name"),
    path("me/security/sign-out-everywhere/", me.sign_out_everywhere, name="sign_out_everywhere"),
]

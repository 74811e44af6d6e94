from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "yiwang.accounts"
    label = "accounts"
    verbose_name = "用户与权限"
    default = True  # this module also holds the admin's config below


class YiwangAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: entry and model permissions from accounts.policy."""

    default = False
    default_site = "yiwang.accounts.admin_site.YiwangAdminSite"

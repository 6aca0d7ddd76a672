"""Django's admin (/django-admin/) is for superusers only.

Staff and moderators work in the Wagtail admin. Django's own admin lists members with their
e-mail addresses, so Django's "is staff plus one model permission" is not enough to open it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the superuser-only site (in INSTALLED_APPS instead of it)."""

    default_site = "site_core.admin_site.SuperuserAdminSite"

"""Wagtail's users app with our members viewset (``admin_viewsets.MemberViewSet``), the way
Wagtail's docs customise the user screens. It stands in INSTALLED_APPS for ``wagtail.users``."""

from wagtail.users.apps import WagtailUsersAppConfig


class MembersAdminConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.admin_viewsets.MemberViewSet"

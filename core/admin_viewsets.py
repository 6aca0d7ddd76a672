"""Wagtail admin viewsets that serve only some of a ModelViewSet's views."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.views.generic import InspectView

LINKED_VIEWS = ("add", "edit", "delete", "history", "usage")


class ServedViewsOnly:
    """Mixed into a ``ModelViewSet`` whose ``get_urlpatterns`` keeps only ``served_views``: its
    pages then link to no view it left out (an "Add" button for a superuser would name a URL that
    does not exist, and the listing would fail)."""

    served_views: tuple[str, ...] = ("index", "index_results")

    def get_common_view_kwargs(self, **kwargs):
        left_out = {f"{name}_url_name": None for name in LINKED_VIEWS if name not in self.served_views}
        return super().get_common_view_kwargs(**{**left_out, **kwargs})


class ReadableInspectView(InspectView):
    """Wagtail's inspect page with yes/no for true/false and a dash for nothing (not ``True``,
    ``False`` and ``None``)."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return "-" if value is None or value == "" else value


class InspectURLFinder(ModelAdminURLFinder):
    """Links other admin screens (an object's usage, for one) to the inspect page of objects
    that have no edit page, for whoever may view them."""

    permission_policy = None

    def get_edit_url(self, instance):
        if self.user and not self.permission_policy.user_has_any_permission(self.user, {"view", "change"}):
            return None
        return self.construct_edit_url(instance)


class ListAndInspectOnly(ServedViewsOnly):
    """A ``ModelViewSet`` of things members own, which staff find and read but never edit in
    the admin: the listing and each one's inspect page, and no form is ever built."""

    served_views = ("index", "index_results", "inspect")
    inspect_view_enabled = True
    inspect_view_class = ReadableInspectView
    copy_view_enabled = False

    @property
    def url_finder_class(self):
        return type(
            "InspectURLFinder",
            (InspectURLFinder,),
            {"edit_url_name": self.get_url_name("inspect"), "permission_policy": self.permission_policy},
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]

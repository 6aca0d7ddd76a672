"""Wagtail admin viewsets that serve only some of a ModelViewSet's views."""

from django.urls import path

LINKED_VIEWS = ("add", "edit", "delete", "history", "usage")


class ServedViewsOnly:
    """Mixed into a ``ModelViewSet`` whose ``get_urlpatterns`` keeps only ``served_views``: its
    pages then link to no view it left out (an "Add" button for a superuser would name a URL that
    does not exist, and the listing would fail)."""

    served_views: tuple[str, ...] = ("index", "index_results")

    def get_common_view_kwargs(self, **kwargs):
        left_out = {f"{name}_url_name": None for name in LINKED_VIEWS if name not in self.served_views}
        return super().get_common_view_kwargs(**{**left_out, **kwargs})


class ListAndInspectOnly(ServedViewsOnly):
    """A ``ModelViewSet`` of things members own, which staff find and read but never edit in
    the admin: the listing and each one's inspect page, and no form is ever built."""

    served_views = ("index", "index_results", "inspect")
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]

"""Wagtail admin viewsets that serve only some of a ModelViewSet's views."""

LINKED_VIEWS = ("add", "edit", "delete", "history", "usage")


class ServedViewsOnly:
    """Mixed into a ``ModelViewSet`` whose ``get_urlpatterns`` keeps only ``served_views``: its
    pages then link to no view it left out (an "Add" button for a superuser would name a URL that
    does not exist, and the listing would fail)."""

    served_views: tuple[str, ...] = ("index", "index_results")

    def get_common_view_kwargs(self, **kwargs):
        left_out = {f"{name}_url_name": None for name in LINKED_VIEWS if name not in self.served_views}
        return super().get_common_view_kwargs(**{**left_out, **kwargs})

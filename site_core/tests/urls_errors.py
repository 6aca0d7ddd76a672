"""The site's URLs plus a view that fails, for test_error_pages."""

from django.urls import include, path

from site_core.urls import handler500


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken), path("", include("site_core.urls"))]

__all__ = ["handler500", "urlpatterns"]

"""The site's URLs under /prefixed/, for test_links."""

from django.urls import include, path

urlpatterns = [path("prefixed/", include("site_core.urls"))]

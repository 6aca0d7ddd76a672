from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import media, public

handler500 = "core.errors.server_error"

api_urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("community.api_urls")),
    path("", include("pets.api_urls")),
    path("", include("search.api_urls")),
    path("", include("walks.api_urls")),
    path("", include("chat.api_urls")),
    path("", include("privacy.api_urls")),
    path("", include("moderation.api_urls")),
    path("", include("worldcup.api_urls")),
    path("", include("notifications.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("favicon.ico", public.favicon, name="favicon"),
    path("site.webmanifest", public.web_manifest, name="web_manifest"),
    path("sw.js", public.service_worker, name="service_worker"),
    path("offline/", public.offline, name="offline"),
    path("robots.txt", public.robots_txt, name="robots_txt"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("settings/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("privacy/", include("privacy.urls")),
    path("settings/notifications/", include("notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", include(api_urlpatterns)),
    # The home page is Wagtail's root page, served by Wagtail; the name is for {% url "home" %}.
    path("", wagtail_views.serve, {"path": ""}, name="home"),
    path("", include("community.urls")),
    path("", include("pets.urls")),
    path("", include("search.urls")),
    path("", include("chat.urls")),
    path("", include("moderation.urls")),
    path("", include("core.urls")),
]

if settings.MEDIA_SERVED_BY_DJANGO:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve, name="media"))

urlpatterns.append(path("", include(wagtail_urls)))

"""What browsers and crawlers ask every site for: the favicon, the web app manifest, robots.txt and
the sitemap (Wagtail's sitemap framework: the live pages anyone may see, nothing of a member's)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

ICON_CACHE_SECONDS = 60 * 60 * 24
# Paths a crawler has no business in: members' own screens, staff screens and the API.
ROBOTS_DISALLOW = ("/admin/", "/django-admin/", "/api/", "/accounts/", "/settings/", "/privacy/", "/chat/")


@require_safe
@cache_control(public=True, max_age=ICON_CACHE_SECONDS)
def favicon(request):
    """``/favicon.ico``, which browsers fetch on every site whatever the page links to."""
    found = finders.find("icons/favicon.ico")
    if not found:
        raise Http404
    return FileResponse(Path(found).open("rb"), content_type="image/x-icon")


@require_safe
@cache_control(public=True, max_age=ICON_CACHE_SECONDS)
def web_manifest(request):
    """The web app manifest: the name and icons a phone uses when the site is added to its home screen."""
    return JsonResponse(
        {
            "name": "Petrasche",
            "short_name": "Petrasche",
            "description": _("A community for people who live with dogs and cats."),
            "start_url": "/",
            "display": "standalone",
            "background_color": "#fffdf8",
            "theme_color": "#b4531a",
            "icons": [
                {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cache_control(public=True, max_age=60 * 60)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=60 * 15)
def sitemap(request):
    """Wagtail's sitemap of the site's live public pages: home, walk boards, World Cup events and
    legal pages. Members' profiles, posts, pets and walks are not pages, so they are never in it."""
    return wagtail_sitemap(request)

"""What browsers and crawlers ask every site for: the favicon, the web app manifest, robots.txt and
the sitemap (Wagtail's sitemap framework: the live pages anyone may see, nothing of a member's)."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

ICON_CACHE_SECONDS = 60 * 60 * 24
# Paths a crawler has no business in: members' own screens, staff screens and the API.
ROBOTS_DISALLOW = ("/admin/", "/django-admin/", "/api/", "/accounts/", "/settings/", "/privacy/", "/chat/")
# What the service worker never answers for: staff screens, the API, sockets and every page that
# shows a member something of their own (a cached copy could outlive a logout or show one
# member's page to the next person on the device).
SERVICE_WORKER_NEVER = (
    *ROBOTS_DISALLOW,
    "/ws/",
    "/notifications/",
    "/uploads/",
    "/search/",
    "/posts/new/",
    "/pets/new/",
    "/moderation/",
    "/media/",
    "/documents/",
    "/jsi18n/",
    "/i18n/",
    "/sw.js",
)
# Static files the service worker keeps from the start (with the offline page).
SERVICE_WORKER_PRECACHE = ("css/site.css", "icons/icon.svg", "icons/icon-192.png", "icons/badge-96.png")


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
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "lang": get_language(),
            "display": "standalone",
            "background_color": "#fffdf8",
            "theme_color": "#b4531a",
            "icons": [
                {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
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


@require_safe
@never_cache
def service_worker(request):
    """``/sw.js``: the service worker, from the site's root so that its scope is the whole site.
    Browsers check it for updates on every visit; ``no-cache`` makes every check reach us."""
    precache = [reverse("offline"), *(static(path) for path in SERVICE_WORKER_PRECACHE)]
    body = render_to_string(
        "core/sw.js",
        {
            "version": hashlib.sha256("".join(precache).encode()).hexdigest()[:12],
            "offline_url": json.dumps(reverse("offline")),
            "precache": json.dumps(precache),
            "never": json.dumps(SERVICE_WORKER_NEVER),
            "static_prefix": json.dumps(settings.STATIC_URL),
            "icon": json.dumps(static("icons/icon-192.png")),
            "badge": json.dumps(static("icons/badge-96.png")),
            "language": json.dumps(get_language()),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@cache_control(public=True, max_age=60 * 60)
def offline(request):
    """What the service worker shows when a page can't be reached: fixed text, nothing of a member's."""
    return render(request, "core/offline.html")

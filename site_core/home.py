"""Serving the home page without Wagtail's per-request routing queries.

Wagtail routes every request through four queries (the site for the host, the root page, its
ancestors and their view restrictions) before the page's own work. The home page is the page
members open most, so its route is kept in the cache, per host, and dropped whenever a page is
saved, published, unpublished or deleted, a site changes, or a view restriction changes; a timeout
bounds staleness where the cache is per process (several workers without Redis).

Anything unusual — no site, a root that is not the home page, a view restriction, or serving
hooks beyond Wagtail's own — goes through Wagtail's normal serving instead, uncached.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished
from wagtail.url_routing import RouteResult
from wagtail.wagtail_hooks import check_request_method, check_view_restrictions

CACHE_KEY = "site_core:home-routes"
CACHE_SECONDS = 300


def _only_wagtails_own_hooks() -> bool:
    return set(hooks.get_hooks("before_serve_page")) <= {check_request_method} and set(
        hooks.get_hooks("on_serve_page")
    ) <= {check_view_restrictions}


def _route_home(request):
    """The live home page for this request's host, if it can be served from the cache."""
    from .models import HomePage

    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page.specific
    if not isinstance(root, HomePage) or not root.live or root.get_view_restrictions().exists():
        return None
    return root


def home_page(request):
    if not _only_wagtails_own_hooks():
        return wagtail_views.serve(request, "")
    host = request.get_host()
    routes = cache.get(CACHE_KEY) or {}
    page = routes.get(host)
    if page is None:
        page = _route_home(request)
        if page is None:
            return wagtail_views.serve(request, "")
        cache.set(CACHE_KEY, {**routes, host: page}, CACHE_SECONDS)
    request._wagtail_route_for_request = RouteResult(page)
    refused = page.check_request_method(request)
    if refused is not None:
        return refused
    return page.serve(request)


def forget_home_routes(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def connect_signals() -> None:
    page_published.connect(forget_home_routes, dispatch_uid="home-routes-published")
    page_unpublished.connect(forget_home_routes, dispatch_uid="home-routes-unpublished")
    for model in (Site, PageViewRestriction):
        post_save.connect(forget_home_routes, sender=model, dispatch_uid=f"home-routes-save-{model.__name__}")
        post_delete.connect(
            forget_home_routes, sender=model, dispatch_uid=f"home-routes-delete-{model.__name__}"
        )
    post_save.connect(_forget_on_page_change, dispatch_uid="home-routes-page-save")
    post_delete.connect(_forget_on_page_change, dispatch_uid="home-routes-page-delete")


def _forget_on_page_change(sender, **kwargs) -> None:
    if issubclass(sender, Page):
        forget_home_routes()

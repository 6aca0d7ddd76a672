"""Routes of a Wagtail routable page, declared in the app's views.py.

A page model cannot import its app's views: they import the models (and the selectors, services and
forms, which import them too). So the page type keeps a ``PageRoutes`` table and serves it through
``RoutablePageMixin``, and views.py adds each view to it::

    # models.py
    class BoardPage(ViewRoutesMixin, Page):
        routes = PageRoutes()

    # views.py
    @BoardPage.routes.path("<id:walk_id>/", name="walk_detail")
    def walk_detail(request, board, walk_id): ...

Each view gets the request, the page, then the route's arguments, and renders with ``render_page``
(Wagtail's ``page.render()``), so the page's ``get_context`` runs as on a plain page. The app's
``AppConfig.ready()`` imports views.py, which fills the tables before any request is routed or any
route reversed.
"""

from functools import wraps

from django.urls import URLPattern
from django.urls import path as url_path
from wagtail.contrib.routable_page.models import RoutablePageMixin


class PageRoutes:
    def __init__(self) -> None:
        self.patterns: list[URLPattern] = []

    def path(self, route: str, *, name: str):
        def decorator(view):
            @wraps(view)
            def serve(page, request, *args, **kwargs):
                # RoutablePageMixin calls a route as a method of the page it resolved on.
                return view(request, page, *args, **kwargs)

            self.patterns.append(url_path(route, serve, name=name))
            return view

        return decorator


class ViewRoutesMixin(RoutablePageMixin):
    """A routable page whose routes are its ``routes`` table (each page type has its own)."""

    routes: PageRoutes

    @classmethod
    def get_subpage_urls(cls):
        return tuple(cls.routes.patterns)


def render_page(page, request, *, template: str | None = None, context: dict, status: int = 200):
    """``page.render()`` (the page's template unless another is given, its ``get_context`` and
    ``context``), answered with ``status``: 400 for a form or filter to correct."""
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    return response

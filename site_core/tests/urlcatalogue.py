"""Every URL of the site, filled with real object ids: what the no-5xx crawl requests
(site_core/tests/test_no_server_errors.py), and what later checks (a browser crawl,
accessibility) can walk.

**Patterns.** ``url_patterns()`` walks the URL resolver. Each URL pattern is a ``Pattern`` with
its route (``"api/posts/<id:pk>/"``, as ``resolve()`` names it) and path parameters; Wagtail's
catch-all page route is replaced by one pattern per page type of our apps (``"<walks.WalkBoardPage>/"``)
plus one per sub-route of routable pages (``"<walks.WalkBoardPage>/<id:walk_id>/edit/"``). Under
``admin/`` only our own screens are kept (the dashboard, which shows our panel, and the viewsets
our apps register); Django's admin is for superusers and is left out.

**Filling.** ``catalogue(samples)`` fills every parameter from ``Samples`` (real rows, made by
``make_samples()``), so each pattern becomes one ``Url``. A parameter is filled by the longest
route prefix in ``FILL_BY_ROUTE`` that names it, else by ``FILL_BY_KWARG``; a page type's
``page`` parameter is its sample page in ``Samples.pages``. **A new pattern whose parameter is not
covered, or a new page type without a sample page, is listed in ``Catalogue.unfilled``** (the
crawl test requires that list to be empty): add a line to ``FILL_BY_ROUTE`` or
``FILL_BY_KWARG`` (a new converter needs nothing else: the value is written into the path as
text), and a sample object in ``make_samples()`` if it needs one.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
ADMIN_PREFIX = "admin/"
LEFT_OUT_PREFIXES = ("django-admin/",)
WAGTAIL_SERVE = "wagtail_serve"
# Wagtail admin screens that are ours although Wagtail defines them: the dashboard shows our panel.
OWN_ADMIN_URL_NAMES = {"wagtailadmin_home"}


# --------------------------------------------------------------------------------------------
# Patterns


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: ``route`` names it (as ``ResolverMatch.route`` does), ``format`` builds its
    path from parameter values (``"/api/posts/%(pk)s/"``)."""

    route: str
    format: str
    parameters: tuple[str, ...]
    area: str  # "site", "api", "admin" or "page"
    page_model: type | None = None

    def path(self, values: dict[str, Any]) -> str:
        """The path with these values, percent-encoded (any text, even a lone surrogate)."""
        return self.format % {name: quote_path(str(value)) for name, value in values.items()}


def quote_path(value: str, safe: str = "/:@!$&'()*+,;=") -> str:
    """Percent-encodes ``value`` for a path (or with ``safe=""`` for a query); lone surrogates are
    written as their (invalid) UTF-8 bytes, the way a hostile client would send them."""
    return quote(value.encode("utf-8", "surrogatepass"), safe=safe)


def own_app_labels() -> set[str]:
    """The apps of this project (folders of the repository), not third-party ones."""
    return {app.label for app in apps.get_app_configs() if Path(app.path) == settings.BASE_DIR / app.name}


def _own_admin_namespaces() -> set[str]:
    from wagtail.admin.viewsets import viewsets

    own = own_app_labels()
    return {
        viewset.url_namespace
        for viewset in viewsets.viewsets
        if type(viewset).__module__.split(".")[0] in own
    }


def _route_format(pattern) -> tuple[str, list[str]]:
    if isinstance(pattern, RoutePattern):
        route = str(pattern).replace("%", "%%")
        names = [match["name"] for match in ROUTE_PARAMETER.finditer(route)]
        return ROUTE_PARAMETER.sub(lambda match: f"%({match['name']})s", route), names
    if isinstance(pattern, RegexPattern):
        format_, names = normalize(pattern.regex.pattern)[0]
        return format_, list(names)
    raise TypeError(f"unknown URL pattern type {type(pattern).__name__}")


def _join(route: str, sub_route: str) -> str:
    """As ``URLResolver`` joins routes: without the sub-route's leading ^."""
    return route + sub_route.removeprefix("^") if route else sub_route


def _area(route: str) -> str:
    if route.startswith(ADMIN_PREFIX):
        return "admin"
    return "api" if route.startswith("api/") else "site"


def _walk(resolver: URLResolver, route: str, format_: str, names: tuple, namespaces: tuple):
    for entry in resolver.url_patterns:
        sub_format, sub_names = _route_format(entry.pattern)
        joined = (_join(route, str(entry.pattern)), format_ + sub_format, names + tuple(sub_names))
        if isinstance(entry, URLResolver):
            namespace = (entry.namespace,) if entry.namespace else ()
            yield from _walk(entry, *joined, namespaces + namespace)
        elif isinstance(entry, URLPattern):
            yield entry, *joined, namespaces


def _page_patterns() -> list[Pattern]:
    """One pattern per page type of our apps, and one per sub-route of routable pages."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import get_page_models

    own = own_app_labels()
    patterns = []
    for model in get_page_models():
        if model._meta.app_label not in own:
            continue
        label = f"<{model._meta.label}>/"
        patterns.append(Pattern(label, "/%(page)s", ("page",), "page", model))
        if issubclass(model, RoutablePageMixin):
            for sub in model.get_subpage_urls():
                sub_format, sub_names = _route_format(sub.pattern)
                if not sub_format:
                    continue  # the page itself
                patterns.append(
                    Pattern(
                        label + str(sub.pattern),
                        "/%(page)s" + sub_format,
                        ("page", *sub_names),
                        "page",
                        model,
                    )
                )
    return patterns


def url_patterns(urlconf=None) -> list[Pattern]:
    """Every pattern of ``urlconf`` (the site's by default) that the catalogue covers."""
    admin_namespaces = _own_admin_namespaces()
    patterns = []
    for entry, route, format_, names, namespaces in _walk(get_resolver(urlconf), "", "/", (), ()):
        if route.startswith(LEFT_OUT_PREFIXES):
            continue
        if entry.name == WAGTAIL_SERVE:
            patterns.extend(_page_patterns())
            continue
        if route.startswith(ADMIN_PREFIX) and not (
            set(namespaces) & admin_namespaces or entry.name in OWN_ADMIN_URL_NAMES
        ):
            continue
        patterns.append(Pattern(route, format_, names, _area(route)))
    return patterns


# --------------------------------------------------------------------------------------------
# Sample objects and how they fill parameters


@dataclass
class Samples:
    """Real rows for every kind of object a URL names. The member (``member``) owns most of
    them, so that their pages open for the member as they would for their owner."""

    member: Any
    other_member: Any
    moderator: Any
    staff: Any
    post: Any
    other_post: Any
    comment: Any
    pet: Any
    walk: Any
    direct_room: Any
    message: Any
    event: Any
    entry: Any
    game: Any
    case: Any
    sanction: Any
    export: Any
    document: Any
    collection_restriction: Any
    page_restriction: Any
    email_confirmation_key: str
    password_reset: tuple[str, str]
    unsubscribe_token: str
    push_device: Any
    upload: Any
    hashtag: str
    media_path: str
    pages: dict[type, Any] = field(default_factory=dict)


Fill = Callable[[Samples], Any]

FILL_BY_KWARG: dict[str, Fill] = {
    "username": lambda s: s.other_member.username,
    "walk_id": lambda s: s.walk.pk,
    "member_id": lambda s: s.other_member.pk,
    "room_id": lambda s: s.direct_room.pk,
    "message_id": lambda s: s.message.pk,
    "game_id": lambda s: s.game.pk,
    "name": lambda s: s.hashtag,
    "feed": lambda s: "following",
    "token": lambda s: s.unsubscribe_token,
    "target_type": lambda s: "post",
    "object_id": lambda s: s.other_post.pk,
    "action": lambda s: "leave",
    "path": lambda s: s.media_path,
}

FILL_BY_ROUTE: dict[str, dict[str, Fill]] = {
    "api/posts/": {"pk": lambda s: s.post.pk},
    "posts/": {"pk": lambda s: s.post.pk},
    "api/comments/": {"pk": lambda s: s.comment.pk},
    "comments/": {"pk": lambda s: s.comment.pk},
    "api/pets/": {"pk": lambda s: s.pet.pk},
    "pets/": {"pk": lambda s: s.pet.pk},
    "api/walks/": {"pk": lambda s: s.walk.pk},
    "api/chat/rooms/": {"pk": lambda s: s.direct_room.pk},
    "api/chat/messages/": {"pk": lambda s: s.message.pk},
    "api/moderation/notices/": {"pk": lambda s: s.sanction.pk},
    "moderation/notices/": {"pk": lambda s: s.sanction.pk},
    "api/worldcup/events/": {"pk": lambda s: s.event.pk},
    "api/worldcup/games/": {"pk": lambda s: s.game.pk},
    "privacy/data/": {"pk": lambda s: s.export.pk},
    "api/push/subscriptions/": {"pk": lambda s: s.push_device.pk},
    "privacy/legal/": {"document": lambda s: "terms"},
    "admin/moderation/cases/": {"pk": lambda s: s.case.pk},
    "admin/worldcup/entries/": {"pk": lambda s: s.entry.pk},
    "admin/users/": {"pk": lambda s: s.other_member.pk},
    "admin/walks/": {"pk": lambda s: s.walk.pk},
    "admin/pets/": {"pk": lambda s: s.pet.pk},
    "documents/": {
        "_0": lambda s: s.document.pk,
        "_1": lambda s: Path(s.document.file.name).name,
        "restriction_id": lambda s: s.collection_restriction.pk,
    },
    "_util/authenticate_with_password/": {
        "page_view_restriction_id": lambda s: s.page_restriction.pk,
        "page_id": lambda s: s.page_restriction.page_id,
    },
    "accounts/confirm-email/": {"key": lambda s: s.email_confirmation_key},
    "uploads/": {"key": lambda s: s.upload.key},
    "accounts/password/reset/key/": {
        "uidb36": lambda s: s.password_reset[0],
        "key": lambda s: s.password_reset[1],
    },
}


def _filler(pattern: Pattern, name: str, by_route: dict[str, dict[str, Fill]], by_kwarg: dict[str, Fill]):
    if name == "page" and pattern.page_model is not None:
        model = pattern.page_model
        return lambda s: s.pages[model].url.lstrip("/") if model in s.pages else None
    prefixes = [
        prefix for prefix, fills in by_route.items() if pattern.route.startswith(prefix) and name in fills
    ]
    if prefixes:
        return by_route[max(prefixes, key=len)][name]
    return by_kwarg.get(name)


# --------------------------------------------------------------------------------------------
# The catalogue


@dataclass(frozen=True)
class Url:
    """A pattern filled with real values."""

    pattern: Pattern
    values: dict[str, str]

    @property
    def path(self) -> str:
        return self.pattern.path(self.values)

    def path_with(self, name: str, value: str) -> str:
        """The path with one parameter replaced (by a hostile value, say)."""
        return self.pattern.path({**self.values, name: value})


@dataclass
class Catalogue:
    urls: list[Url]
    unfilled: list[str]  # "route: why", for every pattern that could not be filled


def catalogue(
    samples: Samples,
    *,
    urlconf=None,
    fills_by_route: dict[str, dict[str, Fill]] | None = None,
    fills_by_kwarg: dict[str, Fill] | None = None,
) -> Catalogue:
    """Every pattern of ``urlconf`` filled from ``samples`` (extra fills for test-only URLconfs)."""
    by_route = {**FILL_BY_ROUTE, **(fills_by_route or {})}
    by_kwarg = {**FILL_BY_KWARG, **(fills_by_kwarg or {})}
    urls, unfilled = [], []
    for pattern in url_patterns(urlconf):
        values, missing = {}, []
        for name in pattern.parameters:
            fill = _filler(pattern, name, by_route, by_kwarg)
            value = fill(samples) if fill is not None else None
            if value is None:
                missing.append(name)
            else:
                values[name] = str(value)
        if missing:
            unfilled.append(f"{pattern.route}: nothing fills {', '.join(missing)}")
            continue
        url = Url(pattern, values)
        if pattern.area != "page" and not _resolves_to(url, urlconf):
            unfilled.append(f"{pattern.route}: {url.path} does not resolve to it")
            continue
        urls.append(url)
    return Catalogue(urls, unfilled)


def _resolves_to(url: Url, urlconf) -> bool:
    try:
        return resolve(url.path, urlconf).route == url.pattern.route
    except Resolver404:
        return False


def make_samples(*, member, other_member, moderator) -> Samples:
    """One of everything a URL can name, made through the services as members make them."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

    from accounts.tests.factories import UserFactory
    from chat import services as chat_services
    from community.tests.factories import CommentFactory, PostFactory, image_upload
    from core import services as core_services
    from home.models import HomePage
    from moderation.tests.factories import act, report
    from notifications.models import PushSubscription
    from notifications.unsubscribe import unsubscribe_token
    from pets.tests.factories import PetFactory
    from privacy import services as privacy_services
    from privacy.models import LegalDocument, LegalPage
    from privacy.tests.factories import legal_page
    from walks.models import WalkBoardPage, WalkIndexPage
    from walks.tests.factories import WalkFactory, board
    from worldcup import services as worldcup_services
    from worldcup.models import WorldCupEventPage, WorldCupIndexPage
    from worldcup.tests.factories import enter, index_page, make_event

    staff = UserFactory(username="staffer", nickname="직원", is_staff=True, is_superuser=True)
    post = PostFactory(author=member, text="산책 다녀왔어요 #산책 @kongi", photos=1)
    other_post = PostFactory(author=other_member, text="우리 콩이 #산책")
    comment = CommentFactory(post=other_post, author=member, text="귀여워요!")
    # With a meeting point, so the crawls render the map part of walk pages (and its links).
    walk = WalkFactory(
        host=member, board=board(), joiners=[other_member], latitude=37.479123, longitude=127.038457
    )
    chat_services.walk_room_sync(walk_id=walk.pk, member_ids=[member.pk, other_member.pk])
    direct_room = chat_services.direct_room_get_or_create(member=member, other=other_member)
    message = chat_services.message_send(
        room_id=direct_room.pk, sender=member, client_id="catalogue-1", text="안녕하세요"
    ).message
    event = make_event()
    entries = [enter(event, member=owner) for owner in (member, other_member, UserFactory(), UserFactory())]
    game = worldcup_services.game_start(event_id=event.pk, player=member)
    sanctioned = PostFactory(author=member, text="신고된 글")
    case = report(other_member, sanctioned)
    sanction = act(case, moderator)
    export = privacy_services.export_build(export_id=privacy_services.export_request(member=member).pk)
    document = get_document_model()(title="산책 안내", file=ContentFile(b"walk kindly", name="guide.txt"))
    document.save()
    private = Collection.get_first_root_node().add_child(name="비공개 자료")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="secret-words"
    )
    terms = legal_page(LegalDocument.TERMS)
    restricted = legal_page(LegalDocument.MARKETING, required=False)
    page_restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret-words"
    )
    for person in (member, other_member, moderator, staff):
        privacy_services.consent_record(member=person, agreed=[LegalDocument.TERMS])
    address = EmailAddress.objects.create(
        user=member, email=f"new.{member.email}", primary=False, verified=False
    )
    walk_board = board()
    return Samples(
        member=member,
        other_member=other_member,
        moderator=moderator,
        staff=staff,
        post=post,
        other_post=other_post,
        comment=comment,
        pet=PetFactory(owner=member, name="두부"),
        walk=walk,
        direct_room=direct_room,
        message=message,
        event=event,
        entry=entries[1],
        game=game,
        case=case,
        sanction=sanction,
        export=export,
        document=document,
        collection_restriction=collection_restriction,
        page_restriction=page_restriction,
        email_confirmation_key=EmailConfirmationHMAC(address).key,
        password_reset=(user_pk_to_url_str(member), default_token_generator.make_token(member)),
        unsubscribe_token=unsubscribe_token(member),
        # Stored as the API stores a browser's subscription (which needs push on; the crawl runs without).
        push_device=PushSubscription.objects.create(
            member=member,
            endpoint="https://fcm.googleapis.com/fcm/send/catalogue",
            p256dh="BAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8",
            auth="AAECAwQFBgcICQoLDA0ODw",
            name="Android · Chrome",
        ),
        hashtag="산책",
        media_path=post.photos.first().display.name,
        upload=core_services.temporary_upload_create(owner=member, file=image_upload()),
        pages={
            HomePage: HomePage.objects.first(),
            LegalPage: terms,
            WalkIndexPage: walk_board.get_parent().specific,
            WalkBoardPage: walk_board,
            WorldCupIndexPage: index_page(),
            WorldCupEventPage: event,
        },
    )


# --------------------------------------------------------------------------------------------
# Requesting every URL


@dataclass(frozen=True)
class Visit:
    role: str
    method: str
    path: str
    status: int
    route: str
    probe: str = ""  # what was hostile: "NUL in q", "10,000 characters in username"
    error: str = ""  # the exception, for a server error

    def __str__(self) -> str:
        probe = f" ({self.probe})" if self.probe else ""
        error = f": {self.error}" if self.error else ""
        return f"{self.status} {self.role} {self.method} {self.route}{probe}{error}"


HOSTILE_VALUES = {
    "NUL": "a\x00b",
    "a lone surrogate": "a\ud800b",
    "10,000 characters": "x" * 10_000,
    "-1": "-1",
    "2**63": str(2**63),
    "../": "../",
    "a right-to-left override": "\u202egnp.exe",
}
# Query parameters read the same way for every view, before the view's own code (DRF's content
# negotiation reads ``format``): probed on the first URL that reads them, not on every one.
FRAMEWORK_PARAMETERS = {"format"}
# Added to every first request: a query parameter no view reads (like a campaign tag), so that a
# view which reads its query only when there is one (``request.GET or None``) reads it.
NEUTRAL_QUERY = "utm_source=catalogue"


class QueryParameterRecorder:
    """Middleware (put first) that remembers which query parameters the view read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(
            request.META.get("QUERY_STRING", "").encode("iso-8859-1"), encoding=request.encoding
        )
        return self.get_response(request)


class RecordingQueryDict(QueryDict):
    def __init__(self, *args, **kwargs):
        self.names_read: set[str] = set()
        super().__init__(*args, **kwargs)
        self.names_read.clear()  # filling the dict looked its keys up

    def __getitem__(self, key):
        self.names_read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.names_read.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.names_read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.names_read.add(key)
        return super().getlist(key, default)


class Crawler:
    """Requests URLs as several people (a Django test client each); every request's database
    changes are rolled back and its cookies forgotten, so each request sees the same site."""

    def __init__(self, clients: dict[str, Any]):
        self.clients = clients
        self.visits: list[Visit] = []
        self.methods: dict[tuple[str, str], str] = {}
        self.parameters: dict[tuple[str, str], set[str]] = {}
        self.framework_parameters_probed: set[tuple[str, str]] = set()

    def request(self, role: str, method: str, path: str, route: str, probe: str = ""):
        client = self.clients[role]
        cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        cache.clear()  # rate limits and cached lists start afresh, as for a new visitor
        with transaction.atomic():
            response = client.generic(method, path)
            transaction.set_rollback(True)
        client.cookies = SimpleCookie(cookies)
        error = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            error = f"{response.exc_info[0].__name__}: {response.exc_info[1]}"[:300]
        self.visits.append(Visit(role, method, path[:120], response.status_code, route, probe, error))
        return response

    def visit(self, role: str, url: Url) -> None:
        """The URL once, by GET, or by POST (empty form) where only POST is allowed."""
        path = f"{url.path}?{NEUTRAL_QUERY}"
        response = self.request(role, "GET", path, url.pattern.route)
        method = "GET"
        if response.status_code == 405 and "POST" in response.get("Allow", ""):
            method = "POST"
            response = self.request(role, method, path, url.pattern.route)
        self.methods[role, url.pattern.route] = method
        read = getattr(response.wsgi_request.GET, "names_read", set())
        self.parameters[role, url.pattern.route] = read - {NEUTRAL_QUERY.split("=")[0]}

    def probe(self, role: str, url: Url) -> None:
        """Each path and query parameter once with each hostile value."""
        route = url.pattern.route
        method = self.methods.get((role, route), "GET")
        query_names = set()
        for name in self.parameters.get((role, route), ()):
            if name in FRAMEWORK_PARAMETERS:
                if (role, name) in self.framework_parameters_probed:
                    continue
                self.framework_parameters_probed.add((role, name))
            query_names.add(name)
        for label, value in HOSTILE_VALUES.items():
            for name in url.pattern.parameters:
                self.request(role, method, url.path_with(name, value), route, f"{label} in {name}")
            for name in sorted(query_names):
                query = f"{quote_path(name, safe='')}={quote_path(value, safe='')}"
                self.request(role, method, f"{url.path}?{query}", route, f"{label} in ?{name}")

    def server_errors(self) -> list[Visit]:
        return [visit for visit in self.visits if visit.status >= 500]


def crawl(catalogue_: Catalogue, clients: dict[str, Any], *, probe_as: Iterable[str]) -> Crawler:
    """Every URL once as everyone in ``clients``, then hostile values as those in ``probe_as``."""
    crawler = Crawler(clients)
    for role in clients:
        for url in catalogue_.urls:
            crawler.visit(role, url)
    for role in probe_as:
        for url in catalogue_.urls:
            crawler.probe(role, url)
    return crawler


@contextlib.contextmanager
def quiet_request_log():
    """The crawl's thousands of expected 4xx would flood the log; errors are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)

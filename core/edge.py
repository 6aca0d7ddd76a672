"""No 5xx from input: NUL bytes and unpaired surrogates are refused at the edge with a 400.

PostgreSQL cannot store a NUL in text and no encoder writes a lone surrogate, so text carrying
one fails wherever it lands: a lookup, a search, a log line, a saved form (a 500). Rather than
guard every field, every request is checked once, before anything reads it:

- ``HostileInputMiddleware`` (right after the health probes): the path, the query string and
  every header (cookies included); and, for the site's own views, the bodies Django parses
  (form and multipart fields, file names) and JSON bodies.
- The API's parsers (``JSONParser``, ``FormParser``, ``MultiPartParser`` below, the defaults of
  ``REST_FRAMEWORK``): the bodies DRF parses for its views, whatever the method.

A refused request gets 400 with a message saying what is wrong: JSON for the API and the site's
scripts, a page otherwise (rendered without the request, which is not to be trusted).
"""

import json
import re
from collections.abc import Mapping

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .errors import wants_json

NUL = "\x00"
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL_PROBLEM = gettext_lazy(
    "The request contains a NUL character, which is not allowed. Remove it and try again."
)
SURROGATE_PROBLEM = gettext_lazy(
    "The request contains text that is not valid Unicode (an unpaired surrogate). Correct it and try again."
)


def problem_with(value) -> Promise | None:
    """Why ``value`` (text, or lists, mappings and QueryDicts of text and uploaded files, however
    deeply nested) cannot be accepted (a lazily translated message), or None. Python text decoded
    from JSON holds surrogates only when unpaired: JSON's escaped pairs become one character."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found = FORBIDDEN.search(item)
            if found is not None:
                return NUL_PROBLEM if found.group() == NUL else SURROGATE_PROBLEM
        elif isinstance(item, MultiValueDict):
            pending.extend(item.lists())
        elif isinstance(item, Mapping):
            pending.extend(item.items())
        elif isinstance(item, list | tuple):
            pending.extend(item)
        elif isinstance(getattr(item, "name", None), str):  # an uploaded file: we keep its name
            pending.append(item.name)
    return None


def refusal(request, problem: Promise) -> HttpResponse:
    """The 400, in the visitor's language (this runs before LocaleMiddleware)."""
    with translation.override(translation.get_language_from_request(request)):
        if wants_json(request):
            body = {"detail": str(problem), "code": "invalid_characters"}
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponse(render_to_string("400.html", {"problem": problem}), status=400)


def _request_line_and_headers(request) -> list:
    """Cookies are checked once parsed too: their octal escapes (\\000) become NUL bytes."""
    headers = [value for key, value in request.META.items() if key.startswith("HTTP_")]
    return [request.path_info, request.path, request.GET, headers, request.COOKIES]


def _body(request):
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in FORM_TYPES:
        return [request.POST, request.FILES]
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            return json.loads(request.body)
        except (ValueError, RecursionError):
            return None  # not JSON (or absurdly nested): the view reports that
    return None


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if problem := problem_with(_request_line_and_headers(request)):
            return refusal(request, problem)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if hasattr(getattr(view_func, "cls", None), "parser_classes"):
            return None  # a DRF view: the API's parsers check what they parse
        if problem := problem_with(_body(request)):
            return refusal(request, problem)
        return None


def _checked(data):
    if problem := problem_with(data):
        raise ParseError(problem, code="invalid_characters")
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The JSON body is nested too deeply.")) from error
        return _checked(data)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _checked(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _checked([parsed.data, parsed.files])
        return parsed

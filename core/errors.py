"""The server error view: a database outage is a 503 the visitor can retry, not a 500.

Django calls ``handler500`` while it handles the exception, so ``sys.exc_info()`` names it.
The page is rendered without the request's context processors, which would query the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def server_error(request, template_name: str = "500.html"):
    if not isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return django_server_error(request, template_name)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if wants_json(request):
        detail = _("The service is temporarily unavailable. Please try again shortly.")
        return JsonResponse({"detail": detail, "code": "database_unavailable"}, status=503, headers=headers)
    return HttpResponse(render_to_string("503.html"), status=503, headers=headers)

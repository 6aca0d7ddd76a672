"""Members who must agree to new terms (flagged at login, privacy/consent.py) see nothing else
until they do. The API answers 403 with ``"code": "consent_required"``."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .consent import SESSION_KEY

OPEN_PREFIXES = (
    "/privacy/",
    "/api/privacy/",
    "/accounts/logout/",
    "/static/",
    "/media/",
    "/i18n/",
    "/jsi18n/",
    "/settings/notifications/unsubscribe/",
)


def consent_required_response():
    return JsonResponse(
        {
            "code": "consent_required",
            "detail": _("Please agree to the current terms first."),
            "consent_url": reverse("api-privacy-consent"),
        },
        status=403,
    )


class ConsentRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and not request.path_info.startswith(OPEN_PREFIXES)
        ):
            if request.path_info.startswith("/api/"):
                return consent_required_response()
            consent_url = reverse("privacy:consent")
            return redirect(f"{consent_url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

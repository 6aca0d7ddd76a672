"""Consent checks at login: a member missing a required agreement is asked for it once, then
every page (and the API) waits until they agree. Nothing is queried on other requests.

API tokens are checked by ``accounts.tokens.ConsentCheckingJWTAuthentication`` with
``has_consented``: members who must first agree to new terms get 403
``{"code": "consent_required"}`` everywhere but the consent endpoint (``/api/privacy/consent/``),
where they read and agree to the current documents.
"""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from .selectors import current_documents, missing_documents

SESSION_KEY = "privacy_consent_required"
CONSENTED_SECONDS = 300


class ConsentRequired(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("Please agree to the current terms first (see /api/privacy/consent/).")
    default_code = "consent_required"


def has_consented(user) -> bool:
    stamp = "-".join(f"{page.document}{page.version}" for page in current_documents() if page.required)
    if not stamp:
        return True
    key = f"privacy:consented:{user.pk}:{stamp}"
    if cache.get(key):
        return True
    consented = not missing_documents(member=user)
    if consented:
        cache.set(key, True, CONSENTED_SECONDS)
    return consented


def flag_missing_consent(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if missing_documents(member=user):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)

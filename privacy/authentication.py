"""JWT authentication that refuses members who must first agree to new terms.

They get 403 ``{"code": "consent_required"}`` everywhere but the consent endpoint
(``/api/privacy/consent/``), where they read and agree to the current documents. Sessions
are checked by ``privacy.middleware`` instead.
"""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from accounts.tokens import CredentialsJWTAuthentication
from core.replica import primary_reads

from .selectors import current_documents, missing_documents

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


class ConsentCheckingJWTAuthentication(CredentialsJWTAuthentication):
    def authenticate(self, request):
        # Authentication reads the primary, also on pages that read the replica.
        with primary_reads():
            result = super().authenticate(request)
            if result is None:
                return None
            view = request.parser_context.get("view") if request.parser_context else None
            consented = getattr(view, "consent_exempt", False) or has_consented(result[0])
        if not consented:
            raise ConsentRequired(
                {"detail": ConsentRequired.default_detail, "code": ConsentRequired.default_code}
            )
        return result

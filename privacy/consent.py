"""Consent checks at login: a member missing a required agreement is asked for it once, then
every page (and the API) waits until they agree. Nothing is queried on other requests."""

from .selectors import missing_documents

SESSION_KEY = "privacy_consent_required"


def flag_missing_consent(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if missing_documents(member=user):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)

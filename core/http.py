"""Small helpers every app's HTML views share."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def back(request, fallback: str):
    """A redirect to where the member came from (the form's ``next``, else the referrer) when that
    is on this site, else to ``fallback``."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)

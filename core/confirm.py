"""A second step before a destructive action (deleting, cancelling, leaving).

A form that does one carries ``data-confirm`` (the question) and ``data-confirm-yes`` (the
button's words): static/js/confirm.js asks in a ``<dialog>`` and sends the form with
``confirm=yes``. The view takes the action only with that field; without it (no JavaScript, or
a form from elsewhere) it answers with a page that asks the same question (``ask``), whose button
sends the form again with the field.
"""

from django.http import HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def ask(
    request,
    *,
    question: str,
    confirm_label: str,
    cancel_url: str,
    detail: str = "",
    keep: dict[str, str] | None = None,
) -> HttpResponse:
    """The confirmation page: ``question`` with ``detail`` under it, a button (``confirm_label``)
    that posts here again with ``confirm=yes`` and the fields in ``keep``, and a way back."""
    return render(
        request,
        "includes/confirm_page.html",
        {
            "question": question,
            "detail": detail,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "action_url": request.get_full_path(),
            "keep": sorted((keep or {}).items()),
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
    )

from django.shortcuts import render

from .guards import MemberBlocked, MemberSuspended

# Form fields that carry no words of the member's own.
NOT_TYPED = frozenset({"csrfmiddlewaretoken", "client_id", "next", "action", "parent", "confirm"})


def typed_text(request) -> str:
    """What the member wrote in the refused form (every field with words in it, not the dates,
    times, ids and choices beside them), so the page that refuses it can give it back."""
    if request.method != "POST":
        return ""
    pieces = []
    for name, values in request.POST.lists():
        if name in NOT_TYPED:
            continue
        pieces.extend(value.strip() for value in values if _has_words(value.strip()))
    return "\n\n".join(pieces)


def _has_words(value: str) -> bool:
    return bool(value) and (not value.isascii() or " " in value or len(value) > 20)


class SuspensionMiddleware:
    """Pages refused by a suspension or a block say why (and, when suspended, until when)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MemberSuspended):
            return render(
                request,
                "moderation/suspended.html",
                {"action": exception.action, "typed": typed_text(request)},
                status=403,
            )
        if isinstance(exception, MemberBlocked):
            return render(request, "moderation/blocked.html", {"message": str(exception)}, status=403)
        return None

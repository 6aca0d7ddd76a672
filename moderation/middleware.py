from django.shortcuts import render

from .guards import MemberBlocked, MemberSuspended


class SuspensionMiddleware:
    """Pages refused by a suspension or a block say why (and, when suspended, until when)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MemberSuspended):
            return render(request, "moderation/suspended.html", {"action": exception.action}, status=403)
        if isinstance(exception, MemberBlocked):
            return render(request, "moderation/blocked.html", {"message": str(exception)}, status=403)
        return None

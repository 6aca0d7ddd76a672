from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import services
from .forms import SettingsForm
from .selectors import member_settings
from .unsubscribe import member_id_from_token


@login_required
def settings_page(request):
    form = SettingsForm(request.POST or None, current=member_settings(member=request.user))
    if request.method == "POST" and form.is_valid():
        services.settings_update(member=request.user, choices=form.choices())
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@csrf_exempt  # The signed token is the proof; mail clients POST here without a form (RFC 8058).
def unsubscribe(request, token: str):
    """GET asks for confirmation; POST (the button, or a mail client's one-click) unsubscribes."""
    member_id = member_id_from_token(token)
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first() if member_id else None
    if member is None:
        raise Http404(_("This unsubscribe link is not valid."))
    if request.method == "POST":
        services.email_unsubscribe(member=member)
        return render(request, "notifications/unsubscribed.html")
    return render(request, "notifications/unsubscribe_confirm.html")

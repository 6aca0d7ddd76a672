from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import push, services
from .forms import DeviceForm, QuietHoursForm, SettingsForm
from .models import PushSubscription, QuietHours, default_quiet_end, default_quiet_start
from .selectors import member_settings
from .unsubscribe import member_id_from_token

# The page's forms, told apart by their "form" field (the notification switches when none is given).
KINDS, QUIET, DEVICE_RENAME, DEVICE_REMOVE = "kinds", "quiet", "device_rename", "device_remove"


def _quiet_initial(member) -> dict:
    hours = QuietHours.objects.filter(member=member).first()
    if hours is None:
        return {"enabled": True, "start": default_quiet_start(), "end": default_quiet_end()}
    return {"enabled": hours.enabled, "start": hours.start, "end": hours.end}


@login_required
def settings_page(request):
    which = request.POST.get("form", KINDS) if request.method == "POST" else None
    form = SettingsForm(
        request.POST if which == KINDS else None, current=member_settings(member=request.user)
    )
    quiet = QuietHoursForm(request.POST if which == QUIET else None, initial=_quiet_initial(request.user))
    if which == KINDS and form.is_valid():
        services.settings_update(member=request.user, choices=form.choices())
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    if which == QUIET and quiet.is_valid():
        services.quiet_hours_update(member=request.user, **quiet.cleaned_data)
        messages.success(request, _("Your quiet hours were saved."))
        return redirect("notifications:settings")
    if which in (DEVICE_RENAME, DEVICE_REMOVE):
        return _device_action(request, which)
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "quiet": quiet,
            "devices": PushSubscription.objects.filter(member=request.user),
            "push_enabled": push.enabled(),
            "push_public_key": settings.WEB_PUSH_VAPID_PUBLIC_KEY,
        },
    )


def _device_action(request, which: str):
    device = DeviceForm(request.POST)
    if not device.is_valid():
        raise Http404(_("This device is not on your list."))
    try:
        if which == DEVICE_RENAME:
            services.push_subscription_rename(
                member=request.user,
                subscription_id=device.cleaned_data["device"],
                name=device.cleaned_data["name"],
            )
            messages.success(request, _("The device was renamed."))
        else:
            services.push_subscription_remove(
                member=request.user, subscription_id=device.cleaned_data["device"]
            )
            messages.success(request, _("The device will get no more notifications."))
    except PushSubscription.DoesNotExist as error:
        raise Http404(_("This device is not on your list.")) from error
    return redirect("notifications:settings")


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

"""Staff and moderators need a second factor (TOTP) before they reach either admin.

Every staff account (``core.staff.is_staff_member``: superusers, Django staff and whoever
may open Wagtail's admin) must have completed a TOTP (or recovery code) step in this session
before /admin/ or /django-admin/ open, whichever way they signed in (allauth's login asks for
it once TOTP is set up; Wagtail's and Django's own logins do not, so the step is asked for
here). Without TOTP set up they are sent to set it up first; the code they enter to set it up
is their second factor for the session, and they go on to the page they asked for (the admin),
not to allauth's recovery codes page (the codes stay under the security settings).
"""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.staff import is_staff_member

PROTECTED_PREFIXES = ("/admin/", "/django-admin/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/password_reset/", "/django-admin/login/")
# Where staff sent to set up TOTP were going, kept in the session until the setup succeeds.
DESTINATION_AFTER_SETUP = "accounts.mfa.destination"


def needs_second_factor(user) -> bool:
    return user.is_active and is_staff_member(user)


def completed_second_factor(request, user) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(PROTECTED_PREFIXES)
            and not path.startswith(OPEN_PATHS)
            and needs_second_factor(request.user)
            and not completed_second_factor(request, request.user)
        ):
            return self._ask_for_second_factor(request)
        response = self.get_response(request)
        if self._set_up_just_now(request, response):
            return self._continue_after_setup(request)
        return response

    @staticmethod
    def _set_up_just_now(request, response) -> bool:
        """allauth answers a successful TOTP setup with a redirect to the recovery codes."""
        return (
            request.method == "POST"
            and response.status_code == 302
            and request.path_info == reverse("mfa_activate_totp")
            and response["Location"] == reverse("mfa_view_recovery_codes")
            and needs_second_factor(request.user)
        )

    @staticmethod
    def _continue_after_setup(request):
        authenticator = Authenticator.objects.get(user=request.user, type=Authenticator.Type.TOTP)
        record_authentication(request, request.user, "mfa", id=authenticator.pk, type=authenticator.type)
        destination = request.session.pop(DESTINATION_AFTER_SETUP, "")
        if not destination.startswith(PROTECTED_PREFIXES):
            destination = reverse("wagtailadmin_home")
        messages.info(request, _("Your recovery codes are in the security settings whenever you need them."))
        return redirect(destination)

    def _ask_for_second_factor(self, request):
        has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
        if has_totp:
            target = reverse("mfa_reauthenticate")
        else:
            target = reverse("mfa_activate_totp")
            request.session[DESTINATION_AFTER_SETUP] = request.get_full_path()
            messages.info(
                request, _("Staff accounts need two-factor login: set up an authenticator app first.")
            )
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

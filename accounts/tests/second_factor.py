"""Signing staff in as a completed TOTP login would, for tests of admin pages.

allauth keeps the authentication steps of a session in the session itself (a password
record, then an ``mfa`` record naming the authenticator); the staff middleware
(``accounts.mfa``) looks for that ``mfa`` record.
"""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_authenticator(user) -> Authenticator:
    """The member's TOTP authenticator, set up with ``TEST_TOTP_SECRET`` if missing."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, TEST_TOTP_SECRET).instance


def admin_login(client: Client, user) -> Client:
    """Log ``user`` into the test client with a password and a TOTP code, as allauth records it."""
    authenticator = totp_authenticator(user)
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "username": user.username},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client

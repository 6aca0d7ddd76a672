"""Wrong passwords are limited per account, whichever identifier was typed.

Every door that checks a member's password uses these limits: the login page and allauth's
re-authentication (``AccountAdapter``), the API's token (``TokenObtainApi``) and leaving the site
(``/privacy/delete/``). One failure counts in three places (``settings.RATE_LIMITS``):

- ``login_failed``: this account from this address. This is the lock a guesser meets; the
  member's own address is not affected, so a stranger cannot lock them out.
- ``login_failed_account``: this account from every address, a higher ceiling against guessing
  spread over many addresses.
- ``login_failed_address``: this address whatever the account, against trying a few passwords on
  many accounts.

The handle and the e-mail address lead to the same account. An identifier that names no account
is counted by its text, so that the answers do not tell who is a member. Addresses come from
``core.client_ip``.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from core import ratelimit
from core.client_ip import client_ip


def account_key(login: str) -> tuple:
    """The account the identifier (handle or e-mail address, any case) names, or the text itself."""
    User = get_user_model()
    text = login.strip()
    if "@" in text:
        members = User.objects.filter(Q(email__iexact=text) | Q(emailaddress__email__iexact=text))
    else:
        members = User.objects.filter(username=text.lower())
    member_id = members.order_by("pk").values_list("pk", flat=True).first()
    return ("account", member_id) if member_id is not None else ("login", text.casefold())


def _limits(request, account: tuple) -> list[tuple]:
    address = ("ip", client_ip(request))
    return [
        ("login_failed", *account, *address),
        ("login_failed_account", *account),
        ("login_failed_address", *address),
    ]


def for_login(request, login: str) -> list[tuple]:
    return _limits(request, account_key(login))


def for_member(request, member) -> list[tuple]:
    return _limits(request, ("account", member.pk))


def check(limits: list[tuple]) -> None:
    """Raises ``ratelimit.RateLimited`` (429) if any of the limits is used up, before checking."""
    for name, *key in limits:
        ratelimit.check(name, *key)


def count_failure(limits: list[tuple]) -> None:
    for name, *key in limits:
        ratelimit.count(name, *key)

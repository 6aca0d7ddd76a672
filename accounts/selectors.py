from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from privacy.services import username_is_retired

from .adapters import held_username_message, normalize_username
from .models import User
from .names import check_name, fold
from .roles import staff_filter
from .validators import username_validators


class Availability(StrEnum):
    AVAILABLE = "available"
    TAKEN = "taken"
    INVALID = "invalid"


@dataclass(frozen=True)
class UsernameAvailability:
    username: str
    status: Availability
    reasons: list[str]

    @property
    def message(self) -> str:
        if self.status is Availability.AVAILABLE:
            return _("This username is available.")
        return " ".join(self.reasons)


def username_availability(*, username: str) -> UsernameAvailability:
    """Whether a handle can be chosen at sign-up, and why not.

    The same rules as the sign-up form: the handle is normalized first, so a case
    variant of a member's handle is taken.
    """
    normalized = normalize_username(username)
    reasons: list[str] = []
    for validator in username_validators:
        try:
            validator(normalized)
        except ValidationError as error:
            reasons.extend(str(message) for message in error.messages)
    if not reasons:
        try:
            check_name(normalized)
        except ValidationError as error:
            reasons.extend(str(message) for message in error.messages)
    if reasons:
        return UsernameAvailability(normalized, Availability.INVALID, reasons)
    if User.objects.filter(username__iexact=normalized).exists():
        taken = User._meta.get_field("username").error_messages["unique"]
        return UsernameAvailability(normalized, Availability.TAKEN, [str(taken)])
    if username_is_retired(normalized):
        return UsernameAvailability(normalized, Availability.TAKEN, [held_username_message()])
    return UsernameAvailability(normalized, Availability.AVAILABLE, [])


def staff_display_names(*, excluding: User | None = None) -> set[str]:
    """What staff are known by (nickname, else handle), folded as ``accounts.names.fold`` does:
    names other members may not take. One query."""
    staff = User.objects.filter(staff_filter(), is_active=True)
    if excluding is not None and excluding.pk is not None:
        staff = staff.exclude(pk=excluding.pk)
    return {
        fold(nickname or username)
        for nickname, username in staff.values_list("nickname", "username").distinct()
    }

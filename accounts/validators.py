"""Rules for member handles (the unique @username), shared by every sign-up path."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .names import is_reserved

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 20

# Handles that would collide with site paths or impersonate the operators (look-alikes of the
# operators' words are refused too: accounts.names).
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "api",
        "accounts",
        "django-admin",
        "help",
        "me",
        "moderator",
        "petrasche",
        "root",
        "search",
        "settings",
        "static",
        "media",
        "staff",
        "support",
        "system",
        "tags",
    }
)

username_format_validator = RegexValidator(
    regex=r"^[a-z0-9](?:[a-z0-9_.]*[a-z0-9_])?$",
    flags=0,
    message=_(
        "Use lowercase English letters, numbers, underscores and dots; "
        "start with a letter or number and do not end with a dot."
    ),
    code="invalid_format",
)


def validate_username_length(value: str) -> None:
    if not USERNAME_MIN_LENGTH <= len(value) <= USERNAME_MAX_LENGTH:
        raise ValidationError(
            _("Use between %(min)d and %(max)d characters."),
            code="invalid_length",
            params={"min": USERNAME_MIN_LENGTH, "max": USERNAME_MAX_LENGTH},
        )


def validate_username_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_USERNAMES or is_reserved(value):
        raise ValidationError(_("This name is reserved. Please choose another."), code="reserved")


def validate_username_no_double_dots(value: str) -> None:
    if ".." in value:
        raise ValidationError(_("Dots cannot follow each other."), code="invalid_format")


username_validators = [
    validate_username_length,
    username_format_validator,
    validate_username_no_double_dots,
    validate_username_not_reserved,
]

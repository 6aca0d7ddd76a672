from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from korean.jamo import initials

from .validators import USERNAME_MAX_LENGTH, username_validators


class MemberManager(UserManager):
    def get_by_natural_key(self, username):
        """Sign-in treats handles case-insensitively, as they are unique that way."""
        return self.get(username__iexact=username)


DELETED_USERNAME_PREFIX = "deleted_"
CREDENTIALS_HASH_SALT = "accounts.User.credentials_version"


def avatar_upload_to(instance: "User", filename: str) -> str:
    return f"avatars/{instance.pk or 'new'}/{filename}"


class User(index.Indexed, AbstractUser):
    """A member. ``username`` is the unique handle; ``nickname`` is what others see."""

    username = models.CharField(
        _("username"),
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        validators=username_validators,
        help_text=_("3–20 lowercase letters, numbers, underscores or dots."),
        error_messages={"unique": _("This username is already taken.")},
    )
    email = models.EmailField(_("email address"), blank=True)
    nickname = models.CharField(_("nickname"), max_length=30, blank=True)
    # Kept by save() from the nickname, so that @ㄷㅂ while writing finds 두부엄마 in the database.
    nickname_initials = models.CharField(_("nickname initials"), max_length=30, blank=True, editable=False)
    avatar = models.ImageField(_("profile photo"), upload_to=avatar_upload_to, blank=True)
    bio = models.CharField(_("short bio"), max_length=300, blank=True)

    credentials_version = models.PositiveIntegerField(
        _("credentials version"),
        default=0,
        editable=False,
        help_text=_(
            "Raised whenever the member's credentials change (password changed, reset or wiped, a "
            "social account connected, a ban, leaving): sessions, tokens and sockets made under an "
            "earlier version stop working (accounts.services.member_credentials_raise)."
        ),
    )

    objects = MemberManager()

    # Set by set_password() and set_unusable_password(); the next save() raises the version.
    password_replaced = False

    # Indexed explicitly by the search app when a searchable field changes.
    search_auto_update = False
    search_fields = [
        index.AutocompleteField("search_document"),
        index.FilterField("is_active"),
        index.FilterField("date_joined"),
    ]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("community:profile", args=[self.username])

    def search_document(self) -> str:
        from search.korean import index_document

        return index_document(priority=(self.username, self.nickname))

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.filter(is_active=True)

    @property
    def display_name(self) -> str:
        if self.is_deleted:
            return str(_("Former member"))
        return self.nickname or self.username

    @property
    def is_deleted(self) -> bool:
        """Left the site (privacy.services.member_delete): an anonymous row kept as kept content's author."""
        return not self.is_active and self.username.startswith(DELETED_USERNAME_PREFIX)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_replaced = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self.password_replaced = True

    def get_session_auth_hash(self):
        """Django's hash of the password, with the credentials version from its first raise on
        (sessions made before there was a version stay valid until then)."""
        if not self.credentials_version:
            return super().get_session_auth_hash()
        return self._credentials_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        if not self.credentials_version:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._credentials_hash(secret=secret)

    def _credentials_hash(self, *, secret) -> str:
        value = f"{self.password}:{self.credentials_version}"
        return salted_hmac(CREDENTIALS_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()

    def save(self, *args, **kwargs):
        """A member whose password was set, changed or wiped (by any door: the site, either admin,
        ``manage.py changepassword``) gets a new credentials version in the same transaction.
        A new member has no credentials to end yet."""
        self.username = self.username.lower()
        self.nickname_initials = initials(self.nickname)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "nickname" in update_fields:
            kwargs["update_fields"] = {*update_fields, "nickname_initials"}
        replaced = self.password_replaced and self.pk is not None
        if not replaced:
            super().save(*args, **kwargs)
            self.password_replaced = False
            return
        from .services import member_credentials_raise

        with transaction.atomic():
            super().save(*args, **kwargs)
            member_credentials_raise(member=self)
        self.password_replaced = False

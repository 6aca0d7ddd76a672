import secrets
from datetime import timedelta
from http import HTTPMethod

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .storage import private_storage

EXPORT_LIFETIME = timedelta(days=7)
USERNAME_QUARANTINE = timedelta(days=30)


class LegalDocument(models.TextChoices):
    TERMS = "terms", _("Terms of service")
    PRIVACY = "privacy", _("Privacy notice")
    MARKETING = "marketing", _("News and event e-mails")


class LegalPage(Page):
    """A staff-edited legal text. Raising the version asks every member to agree again at next login."""

    document = models.CharField(_("document"), max_length=20, choices=LegalDocument.choices)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raise it when members must agree to the text again.")
    )
    required = models.BooleanField(
        _("agreement required"), default=True, help_text=_("Members cannot use the site without agreeing.")
    )
    summary = models.CharField(_("summary"), max_length=300, help_text=_("Shown next to the checkbox."))
    effective_date = models.DateField(_("effective from"), default=timezone.localdate)
    change_summary = models.TextField(
        _("what changed"),
        blank=True,
        help_text=_(
            "Shown to members who are asked to agree again: what is different from the last version."
        ),
    )
    body = RichTextField(_("text"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("document"),
        FieldPanel("version"),
        FieldPanel("required"),
        FieldPanel("summary"),
        FieldPanel("effective_date"),
        FieldPanel("change_summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "privacy/legal_page.html"
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]  # no forms: POST answers 405

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")


class Consent(models.Model):
    """A member's agreement to one version of a legal document."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        db_index=False,  # consent_once_per_version leads with it
    )
    document = models.CharField(_("document"), max_length=20, choices=LegalDocument.choices)
    version = models.PositiveIntegerField(_("version"))
    required = models.BooleanField(_("required"))
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-agreed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "document", "version"], name="consent_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"


class RetiredUsername(models.Model):
    """A deleted member's handle, kept only as a keyed digest until it may be chosen again."""

    digest = models.CharField(max_length=64, unique=True)
    available_at = models.DateTimeField()

    class Meta:
        verbose_name = _("retired username")
        verbose_name_plural = _("retired usernames")

    def __str__(self) -> str:
        return self.digest[:12]


def export_upload_to(instance: "DataExport", filename: str) -> str:
    return f"exports/{secrets.token_hex(16)}/{filename}"


class DataExport(models.Model):
    """A ZIP of everything a member has here, built in the background and kept for a week."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(storage=private_storage, upload_to=export_upload_to, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )

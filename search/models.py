from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexVersion(models.Model):
    """The analysis version a search index's stored terms were computed with (search/setup.py)."""

    name = models.CharField(_("index"), max_length=150, unique=True)
    analysis_version = models.CharField(_("analysis version"), max_length=60)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("search index version")
        verbose_name_plural = _("search index versions")

    def __str__(self) -> str:
        return f"{self.name} ({self.analysis_version})"

from http import HTTPMethod

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from community.selectors import home_feed
from worldcup.selectors import current_pet_of_the_month


class HomePage(Page):
    """The site's root page: a staff-edited welcome above the member sections."""

    headline = models.CharField(_("headline"), max_length=120, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]  # no forms: POST answers 405

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(home_feed(request=request, feed=request.GET.get("feed", "")))
        context["pet_of_the_month"] = current_pet_of_the_month()
        return context

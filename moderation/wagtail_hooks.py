"""The review queue, the audit log and the dashboard panel in the Wagtail admin.

Community moderators (``accounts.roles``, not superusers) may view and change cases and view
the audit log: the change permission is what lets them act.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from core.admin_viewsets import ServedViewsOnly

from . import registry, selectors, services
from .models import Action, ActionKind, Case, CaseStatus, Report, ReportReason

PREVIEW_LENGTH = 120
# Apps above moderation add what a moderator needs around a reported thing to its review page
# (chat: the messages before and after a reported message) with this Wagtail hook: each
# function takes the reported thing and returns a ``Component``, or None when it is not theirs.
CASE_CONTEXT_HOOK = "moderation_case_context"


def preview(case: Case, length: int | None = PREVIEW_LENGTH) -> str:
    entry = registry.for_model(case.content_type.model_class())
    target = case.target
    if entry is None or target is None:
        return str(_("(gone)"))
    text = " ".join(entry.text(target).split())
    return text if length is None or len(text) <= length else text[: length - 1] + "…"


def preview_photos(case: Case) -> list[tuple[str, str]]:
    """The reported thing's photos as (thumbnail URL, alt text), for moderators to see them."""
    entry = registry.for_model(case.content_type.model_class())
    target = case.target
    return entry.photos(target) if entry is not None and target is not None else []


def context_panels(target) -> list[Component]:
    if target is None:
        return []
    return [panel for hook in hooks.get_hooks(CASE_CONTEXT_HOOK) if (panel := hook(target)) is not None]


def with_targets(cases):
    """Cases with their reported things and what their previews show, fetched once per kind."""
    return cases.prefetch_related(
        GenericPrefetch(
            "target",
            [entry.model._default_manager.prefetch_related(*entry.prefetch) for entry in registry.entries()],
        )
    )


class PreviewColumn(TitleColumn):
    """The reported text, linked to the review page, with the photos under it."""

    cell_template_name = "moderation/admin/preview_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["photos"] = preview_photos(instance)
        return context


class ActionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Action"),
        choices=[(kind.value, kind.label) for kind in ActionKind if kind != ActionKind.REOPEN],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (shown to the member)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    until = forms.DateTimeField(
        label=_("Suspended until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


def reportable_kinds() -> list[tuple[str, str]]:
    """What can be reported (posts, comments, walks…), by the names moderators know."""
    keys = registry.keys()  # the registry module's keys, not a dict's
    return [(key, registry.get(key).label) for key in keys]


def kind_label(case) -> str:
    entry = registry.for_model(case.content_type.model_class())
    return entry.label if entry else ""


class CaseFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=reportable_kinds, method="of_kind")
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=ReportReason.choices, method="with_reason"
    )

    class Meta:
        model = Case
        fields = ["status"]

    def of_kind(self, queryset, name, value):
        return queryset.filter(content_type=ContentType.objects.get_for_model(registry.get(value).model))

    def with_reason(self, queryset, name, value):
        return queryset.filter(Exists(Report.objects.filter(case=OuterRef("pk"), reason=value)))


class CaseIndexView(IndexView):
    """Open cases unless a status is chosen; most reported first, with their previews."""

    def get_base_queryset(self):
        cases = with_targets(super().get_base_queryset().select_related("content_type", "member"))
        if not self.request.GET.get("status"):
            cases = cases.filter(status=CaseStatus.OPEN)
        return cases


class CaseReviewView(WagtailAdminTemplateMixin, TemplateView):
    """One case: the content, the reports, what was done so far, and the actions."""

    template_name = "moderation/admin/case_review.html"
    header_icon = "warning"
    page_title = _("Review a case")

    def dispatch(self, request, pk):
        if not request.user.has_perm(services.MODERATE_PERMISSION):
            raise PermissionDenied
        self.case = get_object_or_404(Case.objects.select_related("content_type", "member"), pk=pk)
        return super().dispatch(request, pk)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("moderation_case:index"), "label": _("Review queue")},
            {"url": "", "label": str(self.case)},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = registry.for_model(self.case.content_type.model_class())
        target = self.case.target
        context.update(
            case=self.case,
            preview=preview(self.case, length=None),
            photos=preview_photos(self.case),
            target_url=entry.url(target) if entry and target is not None else None,
            context_panels=context_panels(target),
            reports=self.case.reports.select_related("reporter"),
            actions=self.case.actions.select_related("moderator", "member", "appeal"),
            form=form or ActionForm(),
        )
        return context

    def post(self, request, pk):
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                services.case_act(
                    case_id=self.case.pk,
                    moderator=request.user,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    until=form.cleaned_data["until"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Done: the case is closed and the action is in the audit log."))
                return redirect("moderation_case:index")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CaseViewSet(ServedViewsOnly, ModelViewSet):
    model = Case
    served_views = ("index", "index_results", "edit")
    icon = "warning"
    menu_label = _("Review queue")
    url_prefix = "moderation/cases"
    name = "moderation_case"
    index_view_class = CaseIndexView
    copy_view_enabled = False
    filterset_class = CaseFilterSet
    list_display = [
        PreviewColumn(
            "preview", label=_("Reported content"), accessor=preview, url_name="moderation_case:edit"
        ),
        Column("content_type", label=_("Kind"), accessor=kind_label),
        Column("member", label=_("Member")),
        Column("report_count", label=_("Reports")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("opened_at", label=_("Opened")),
    ]

    @property
    def edit_view(self):
        return CaseReviewView.as_view()

    def get_urlpatterns(self):
        """Listing and reviewing only: cases come from reports, never from the admin."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<id:pk>/", self.edit_view, name="edit"),
        ]


class ActionViewSet(ServedViewsOnly, ModelViewSet):
    model = Action
    icon = "history"
    menu_label = _("Audit log")
    url_prefix = "moderation/audit-log"
    name = "moderation_action"
    copy_view_enabled = False
    list_filter = ["kind", "moderator"]
    list_display = [
        Column("created_at", label=_("When")),
        Column("kind", label=_("Action"), accessor="get_kind_display"),
        Column("moderator", label=_("Moderator")),
        Column("member", label=_("Member concerned")),
        Column("reason", label=_("Reason")),
        Column("until", label=_("Until")),
        Column("case", label=_("Case")),
    ]

    def get_urlpatterns(self):
        """The audit log is read-only."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class ModerationGroup(ModelViewSetGroup):
    menu_label = _("Moderation")
    menu_icon = "warning"
    menu_order = 150
    items = (CaseViewSet, ActionViewSet)


@hooks.register("register_admin_viewset")
def register_moderation():
    return ModerationGroup()


class ModerationPanel(Component):
    """The admin home's numbers for today: open cases, new members, posts."""

    name = "moderation"
    order = 50
    template_name = "moderation/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {"counts": selectors.dashboard_counts(), "queue_url": reverse("moderation_case:index")}


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    if request.user.has_perm("moderation.view_case"):
        panels.insert(0, ModerationPanel())

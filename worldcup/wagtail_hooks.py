"""World Cup entries in the Wagtail admin, where moderators withdraw them.

Community moderators (``accounts.roles``) have the view and change permissions on entries; the
change permission is what lets someone withdraw. A withdrawn entry leaves new games but keeps
its past results.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from core.admin_viewsets import ServedViewsOnly

from . import services
from .forms import WithdrawForm
from .models import Entry

WITHDRAW_PERMISSION = "worldcup.change_entry"


class EntryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "member", "withdrawn_by")


class EntryWithdrawView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "worldcup/admin/entry_withdraw.html"
    header_icon = "crosshairs"
    page_title = _("Withdraw an entry")

    def dispatch(self, request, pk):
        if not request.user.has_perm(WITHDRAW_PERMISSION):
            raise PermissionDenied
        self.entry = get_object_or_404(Entry.objects.select_related("event", "member", "withdrawn_by"), pk=pk)
        return super().dispatch(request, pk)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("worldcup_entry:index"), "label": _("World Cup entries")},
            {"url": "", "label": str(self.entry)},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(entry=self.entry, form=form or WithdrawForm())
        return context

    def post(self, request, pk):
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.entry_withdraw(
                    entry_id=self.entry.pk, moderator=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for field, problems in (
                    error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
                ).items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("The entry was withdrawn. Its past results stay."))
                return redirect("worldcup_entry:index")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class EntryViewSet(ServedViewsOnly, ModelViewSet):
    model = Entry
    served_views = ("index", "index_results", "edit")
    icon = "crosshairs"
    menu_label = _("World Cup entries")
    menu_order = 160
    add_to_admin_menu = True
    url_prefix = "worldcup/entries"
    name = "worldcup_entry"
    index_view_class = EntryIndexView
    copy_view_enabled = False
    form_fields = ["withdrawn_reason"]  # unused: the edit view is the withdraw form
    list_filter = ["event"]
    list_display = [
        TitleColumn("pet_name", label=_("Pet"), url_name="worldcup_entry:edit"),
        Column("member", label=_("Member")),
        Column("event", label=_("Event")),
        Column("entered_at", label=_("Entered")),
        Column("withdrawn_at", label=_("Withdrawn")),
        Column("withdrawn_reason", label=_("Reason for withdrawal")),
    ]

    @property
    def edit_view(self):
        return EntryWithdrawView.as_view()

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name in {"index", "index_results", "edit"}
        ]


@hooks.register("register_admin_viewset")
def register_entries():
    return EntryViewSet()

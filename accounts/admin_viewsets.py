"""Members in the Wagtail admin: Wagtail's own user screens, customised.

Superusers manage accounts there (e-mail included); deleting a member there, one or several at
once, erases them as leaving does (``privacy.services.member_delete``: each app's personal data
erased, the account anonymised, posts kept under a former member's name), never a bare row
delete that would skip the erasure. Community moderators (``accounts.roles``)
have only the view permission: they find members by username or nickname, filter them and open a
member's page, and never see an e-mail address (no column, no field, no search on it). The
screens are in the main menu, not under Settings, since moderators have no settings.
"""

import django_filters
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import BooleanColumn, BulkActionsCheckboxColumn, Column, DateColumn
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.users import DeleteView, IndexView, UserFilterSet, UserViewSet

from core.admin_viewsets import ReadableInspectView
from privacy.services import member_delete

from .models import User

PROFILE_FIELDS = ("nickname", "bio")
SEARCH_FIELDS = ("username", "nickname")
# Only superusers may search by e-mail: a match would tell moderators the address.
SUPERUSER_SEARCH_FIELDS = (*SEARCH_FIELDS, "email")


class MemberFilterSet(UserFilterSet):
    date_joined = django_filters.DateFromToRangeFilter(label=_("Joined"), widget=DateRangePickerWidget)

    class Meta:
        model = User
        fields = []


class MemberIndexView(IndexView):
    """Members by the name others see, with when they joined; searched in the database, so
    inactive (banned, departed) members are found too."""

    search_backend_name = None
    page_title = _("Members")

    @cached_property
    def search_fields(self):
        return list(SUPERUSER_SEARCH_FIELDS if self.request.user.is_superuser else SEARCH_FIELDS)

    @cached_property
    def columns(self):
        columns = super().columns
        # Wagtail's title column names members by first and last name, which ours leave empty.
        title = next(column for column in columns if column.name == "name")
        title.accessor = "display_name"
        joined = DateColumn("date_joined", label=_("Joined"), sort_key="date_joined", width="15%")
        # Wagtail's yes/no icons are titled True and False: the words say it in Korean.
        columns = [
            Column(
                "is_active",
                label=column.label,
                accessor=lambda member: _("Active") if member.is_active else _("Inactive"),
                sort_key="is_active",
                width="10%",
            )
            if isinstance(column, BooleanColumn)
            else column
            for column in columns
        ]
        if self.request.user.is_superuser:
            columns = [*columns, Column("email", label=_("email address"), sort_key="email")]
        if not self.user_has_permission("change"):
            # Bulk actions (delete, deactivate, change role) are for those who may change members.
            columns = [column for column in columns if not isinstance(column, BulkActionsCheckboxColumn)]
        return [*columns, joined]


class MemberFormMixin(forms.Form):
    """Our members may have no e-mail address (social logins) and never use first and last
    names: none of them is required."""

    email = forms.EmailField(required=False, label=_("email address"))
    first_name = forms.CharField(required=False, max_length=150, label=_("first name"))
    last_name = forms.CharField(required=False, max_length=150, label=_("last name"))


class MemberEditForm(MemberFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class MemberCreationForm(MemberFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class MemberDeleteView(DeleteView):
    success_message = _(
        "The member was erased: their personal data is gone and their posts stay under a former member's name."
    )

    def delete_action(self):
        member_delete(member=self.object, delete_content=False)


class MemberDeleteBulkAction(DeleteBulkAction):
    """Wagtail's "delete selected users", erasing each member as leaving does."""

    @classmethod
    def execute_action(cls, objects, **kwargs):
        for member in objects:
            member_delete(member=member, delete_content=False)
        return len(objects), 0


class MemberViewSet(UserViewSet):
    menu_label = _("Members")
    menu_order = 170
    add_to_settings_menu = False
    add_to_admin_menu = True
    index_view_class = MemberIndexView
    delete_view_class = MemberDeleteView
    filterset_class = MemberFilterSet
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = ReadableInspectView
    inspect_view_fields = ["username", "nickname", "bio", "is_active", "date_joined", "last_login", "groups"]

    def get_form_class(self, for_update=False):
        return MemberEditForm if for_update else MemberCreationForm

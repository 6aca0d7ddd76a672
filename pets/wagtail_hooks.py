"""Pets in the Wagtail admin: staff find a pet (search, filters) and open it to read it.

Community moderators (``accounts.roles``) have the view permission. Pets are members' own:
nobody edits them here.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect

from core.admin_viewsets import ListAndInspectOnly

from .models import Pet, PhotoStatus, Species


class PetFilterSet(WagtailFilterSet):
    species = django_filters.ChoiceFilter(label=_("species"), choices=Species.choices)
    photo_status = django_filters.ChoiceFilter(label=_("photo check"), choices=PhotoStatus.choices)
    deleted = django_filters.BooleanFilter(
        label=_("Deleted"),
        field_name="deleted_at",
        lookup_expr="isnull",
        exclude=True,
        widget=BooleanRadioSelect,
    )

    class Meta:
        model = Pet
        fields = []


class PetIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("owner")


class PetViewSet(ListAndInspectOnly, ModelViewSet):
    model = Pet
    icon = "group"
    menu_label = _("Pets")
    menu_order = 190
    add_to_admin_menu = True
    url_prefix = "pets"
    name = "pets_pet"
    index_view_class = PetIndexView
    filterset_class = PetFilterSet
    search_backend_name = None
    search_fields = ["name", "breed", "owner__username", "owner__nickname"]
    ordering = ["-created_at", "-id"]
    list_display = [
        TitleColumn("name", label=_("name"), url_name="pets_pet:inspect"),
        Column("species", label=_("species"), accessor="get_species_display"),
        Column("breed", label=_("breed")),
        Column("owner", label=_("owner")),
        Column("photo_status", label=_("photo check"), accessor="get_photo_status_display"),
        DateColumn("created_at", label=_("created"), sort_key="created_at"),
        DateColumn("deleted_at", label=_("deleted")),
    ]
    inspect_view_fields = [
        "name",
        "owner",
        "species",
        "breed",
        "sex",
        "neutered",
        "birth_date",
        "size",
        "intro",
        "photo_status",
        "verdict",
        "created_at",
        "updated_at",
        "deleted_at",
    ]


@hooks.register("register_admin_viewset")
def register_pets():
    return PetViewSet()

"""The only parameters walk lists accept (pages and API alike).

Each value goes through a form field (dates, choices, a board id, short text) before any
QuerySet method sees it; an invalid value is a form error (the page) or a 400 (the API).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import geo
from .models import AREA_MAX_LENGTH, DogSize, HostGender, PreferredGender, TimeSlot, Walk
from .selectors import live_boards, upcoming

MAX_RANGE_DAYS = 366
OPEN_ONLY = "true"
MAX_ID_DIGITS = 18


class BoardChoiceField(forms.ModelChoiceField):
    """A board id; one longer than any database id is an invalid choice, not a database error."""

    def to_python(self, value):
        if isinstance(value, str) and value.isdigit() and len(value) > MAX_ID_DIGITS:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoardChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoardChoiceField


class WalkFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        elif first and last and (last - first).days > MAX_RANGE_DAYS:
            self.add_error("date_to", _("Choose at most a year."))
        if (cleaned.get("near_lat") is None) != (cleaned.get("near_lng") is None):
            self.add_error("near_lng", _("Give both the latitude and the longitude, or neither."))
        return cleaned


class WalkFilter(django_filters.FilterSet):
    """Filters on one board's walks. With no dates, lists show walks from today on."""

    date_from = django_filters.DateFilter(
        label=pgettext_lazy("walk dates", "From"),
        method="filter_dates",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=pgettext_lazy("walk dates", "Until"),
        method="filter_dates",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    area = django_filters.CharFilter(
        label=_("Area"), field_name="area", lookup_expr="icontains", max_length=AREA_MAX_LENGTH
    )
    time_slot = django_filters.ChoiceFilter(
        label=_("Time of day"), choices=TimeSlot.choices, method="filter_time_slot", empty_label=_("Any time")
    )
    size = django_filters.MultipleChoiceFilter(
        label=_("Dog size"),
        choices=DogSize.choices,
        method="filter_sizes",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Walks that welcome every size you choose."),
    )
    gender = django_filters.ChoiceFilter(
        label=_("Open to"),
        choices=[(PreferredGender.FEMALE, _("Women")), (PreferredGender.MALE, _("Men"))],
        method="filter_gender",
        empty_label=_("Anyone"),
        help_text=_("Walks whose host welcomes this gender or anyone."),
    )
    host_gender = django_filters.ChoiceFilter(
        label=_("Host"),
        choices=[(HostGender.FEMALE, _("Female host")), (HostGender.MALE, _("Male host"))],
        empty_label=_("Any host"),
    )
    open = django_filters.ChoiceFilter(
        label=_("Open walks only"),
        choices=[(OPEN_ONLY, _("Open walks only"))],
        method="filter_open",
        empty_label=_("All walks"),
        help_text=_("Not started, not full, and not closed by the host."),
    )

    # Walks near a point the member chooses (typed, or from the map); the device location is never
    # asked for. Applied together in filter_queryset, nearest first (walks.geo).
    near_lat = django_filters.NumberFilter(
        label=_("Near latitude"),
        method="filter_near",
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    near_lng = django_filters.NumberFilter(
        label=_("Near longitude"),
        method="filter_near",
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Walks around this point, nearest first."),
    )
    radius = django_filters.NumberFilter(
        label=_("Within (km)"),
        method="filter_near",
        min_value=1,
        max_value=geo.MAX_RADIUS_KM,
        widget=forms.NumberInput(attrs={"step": "1", "placeholder": str(geo.DEFAULT_RADIUS_KM)}),
    )

    class Meta:
        model = Walk
        form = WalkFilterForm
        fields = [
            "date_from",
            "date_to",
            "area",
            "time_slot",
            "size",
            "gender",
            "host_gender",
            "open",
            "near_lat",
            "near_lng",
            "radius",
        ]

    @property
    def active_count(self) -> int:
        """How many filters the visitor set: the closed filter sheet says so."""
        return sum(1 for name in self.filters if any(value.strip() for value in self.data.getlist(name)))

    def filter_dates(self, queryset, name, value):
        return queryset  # Both dates are applied together in filter_queryset.

    def filter_time_slot(self, queryset, name, value: str):
        return queryset.in_time_slot(value)

    def filter_sizes(self, queryset, name, value: list[str]):
        return queryset.welcoming_sizes(value) if value else queryset

    def filter_gender(self, queryset, name, value: str):
        return queryset.welcoming_gender(value)

    def filter_open(self, queryset, name, value: str):
        return queryset.open() if value == OPEN_ONLY else queryset

    def filter_near(self, queryset, name, value):
        return queryset  # The point and radius are applied together in filter_queryset.

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        first, last = data.get("date_from"), data.get("date_to")
        if first is None and last is None:
            queryset = upcoming(queryset)
        else:
            queryset = queryset.starting_between(first, last)
        if data.get("near_lat") is not None and data.get("near_lng") is not None:
            queryset = geo.near(
                queryset,
                latitude=float(data["near_lat"]),
                longitude=float(data["near_lng"]),
                radius_km=float(data.get("radius") or geo.DEFAULT_RADIUS_KM),
            )
        return queryset


class AllWalksFilter(WalkFilter):
    """Across boards (the walk index and the API): the board is a filter too."""

    board = BoardChoiceFilter(
        label=_("Region"), queryset=live_boards(), field_name="board", empty_label=_("All regions")
    )

    class Meta(WalkFilter.Meta):
        fields = ["board", *WalkFilter.Meta.fields]

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if boards is not None:  # before the form is built from the filters
            self.filters["board"].queryset = boards

from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField

from pets.selectors import owned_pets

from .models import (
    AREA_MAX_LENGTH,
    DESCRIPTION_HTML_MAX_LENGTH,
    MAX_CAPACITY,
    MIN_CAPACITY,
    PLACE_MAX_LENGTH,
    SEOUL,
    TITLE_MAX_LENGTH,
    DogSize,
    HostGender,
    PreferredGender,
    Walk,
)
from .rich_text import EDITOR_EXTENSIONS
from .services import WalkInput


class WalkForm(forms.Form):
    """A walk as the host writes it: a day and two clock times in Seoul, the rest as is.

    The description comes from the prose editor as HTML; the service cleans it with nh3.
    """

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = ProseEditorFormField(
        label=_("Description"),
        extensions=EDITOR_EXTENSIONS,
        max_length=DESCRIPTION_HTML_MAX_LENGTH,
        help_text=_("Pace, route, what to bring. Bold, italics, lists and links work."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        help_text=_("An end before the start means the next day."),
    )
    area = forms.CharField(
        label=_("Area"),
        max_length=AREA_MAX_LENGTH,
        help_text=_("The neighbourhood, e.g. 역삼동 or 양재천 근처. Everyone sees it."),
    )
    meeting_place = forms.CharField(
        label=_("Exact meeting place"),
        max_length=PLACE_MAX_LENGTH,
        help_text=_("Only you and the members who join see it."),
    )
    # Filled by clicking the map (static/js/walk-map.js) or typed: the keyboard's way, and the only
    # one when no map tiles are configured.
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Optional. Members who join see this point; others only a spot within about 500 m."),
    )
    dog_sizes = forms.MultipleChoiceField(
        label=_("Dog sizes welcome"), choices=DogSize.choices, widget=forms.CheckboxSelectMultiple
    )
    host_gender = forms.ChoiceField(label=_("Your gender"), choices=HostGender.choices)
    preferred_gender = forms.ChoiceField(label=_("Who may join"), choices=PreferredGender.choices)
    capacity = forms.IntegerField(
        label=_("How many people, you included"),
        min_value=MIN_CAPACITY,
        max_value=MAX_CAPACITY,
        initial=4,
    )

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pets"] = forms.TypedMultipleChoiceField(
            label=_("Your pets coming along"),
            choices=[(pet.pk, pet.name) for pet in owned_pets(owner=host)],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    @classmethod
    def initial_for(cls, walk: Walk) -> dict:
        start, end = walk.start_at.astimezone(SEOUL), walk.end_at.astimezone(SEOUL)
        return {
            "title": walk.title,
            "description": walk.description_html,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "area": walk.area,
            "meeting_place": walk.meeting_place,
            "latitude": walk.latitude,
            "longitude": walk.longitude,
            "dog_sizes": walk.dog_sizes,
            "host_gender": walk.host_gender,
            "preferred_gender": walk.preferred_gender,
            "capacity": walk.capacity,
            "pets": list(walk.pets.not_deleted().values_list("pk", flat=True)),
        }

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            cleaned["start_at"] = datetime.combine(day, start, tzinfo=SEOUL)
            end_day = day if end > start else day + timedelta(days=1)
            cleaned["end_at"] = datetime.combine(end_day, end, tzinfo=SEOUL)
        return cleaned

    def to_input(self) -> WalkInput:
        data = self.cleaned_data
        return WalkInput(
            title=data["title"],
            description_html=data["description"],
            start_at=data["start_at"],
            end_at=data["end_at"],
            meeting_place=data["meeting_place"],
            area=data["area"],
            dog_sizes=tuple(data["dog_sizes"]),
            host_gender=data["host_gender"],
            preferred_gender=data["preferred_gender"],
            capacity=data["capacity"],
            pet_ids=tuple(data.get("pets") or ()),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )

    # Service errors name model fields; these are the form fields that show them.
    SERVICE_FIELDS = {"start_at": "start_time", "end_at": "end_time", "description_html": "description"}

    def add_service_errors(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, problems in error.message_dict.items():
            target = self.SERVICE_FIELDS.get(field, field)
            self.add_error(target if target in self.fields else None, problems)

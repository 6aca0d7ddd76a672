import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Pet, Species


class PetFilter(django_filters.FilterSet):
    """The only parameters the pet list accepts."""

    owner = django_filters.CharFilter(
        field_name="owner__username", lookup_expr="iexact", max_length=20, label=_("owner's username")
    )
    species = django_filters.ChoiceFilter(choices=Species.choices, label=_("species"))

    class Meta:
        model = Pet
        fields = ["owner", "species"]

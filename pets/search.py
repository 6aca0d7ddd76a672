"""Pets in search (search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from search.registry import SearchType, register

from .models import Pet
from .selectors import pet_list

register(
    SearchType(
        key="pets",
        label=_("Pets"),
        template="search/includes/pet_result.html",
        indexed=lambda: Pet.objects.filter(deleted_at__isnull=True).order_by("-created_at"),
        visible=lambda viewer: pet_list(viewer=viewer),
        recency_field="created_at",
        load=lambda viewer, ids: pet_list(viewer=viewer).filter(pk__in=ids),
        serializer="pets.serializers.PetOutputSerializer",
        watched_fields=frozenset({"name", "breed", "intro", "species", "deleted_at", "created_at"}),
    )
)

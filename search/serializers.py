from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .registry import search_types


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text=_("Words, 초성, #hashtags; every term must match."))
    type = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    page = serializers.IntegerField(min_value=1, max_value=50, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=50, required=False, default=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The types apps registered (search/registry.py), known once every app is ready.
        self.fields["type"].choices = list(search_types())


class SearchSectionSerializer(serializers.Serializer):
    type = serializers.CharField(source="search_type.key")
    total = serializers.IntegerField(help_text=_("Matches counted, up to a cap (see total_capped)."))
    total_capped = serializers.BooleanField(
        help_text=_("True when there are more matches than `total`: counting stops at a cap, as engines do.")
    )
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = serializers.SerializerMethodField()

    def get_results(self, section) -> list[dict]:
        serializer = import_string(section.search_type.serializer)
        return serializer(section.results, many=True, context=self.context).data


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    sections = SearchSectionSerializer(many=True)
    corrections = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "When nothing was found: queries one letter away that use known words (이것을 찾으셨나요?)."
        ),
    )


class ComposeQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=50,
        trim_whitespace=False,
        help_text=_("The @handle or #hashtag being typed, with its sign."),
    )


class ComposeSuggestionSerializer(serializers.Serializer):
    insert = serializers.CharField(help_text=_("What replaces the typed word: @handle or #hashtag."))
    label = serializers.CharField()
    detail = serializers.CharField()
    followed = serializers.BooleanField(help_text=_("A member the caller follows (listed first)."))


class ComposeResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    suggestions = ComposeSuggestionSerializer(many=True)

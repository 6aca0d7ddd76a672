import django_filters
from django.utils.translation import gettext_lazy as _

from korean.hashtags import normalize_hashtag

from .models import Post


class PostFilter(django_filters.FilterSet):
    """The only parameters the post list accepts."""

    author = django_filters.CharFilter(
        field_name="author__username", lookup_expr="iexact", max_length=20, label=_("author's username")
    )
    hashtag = django_filters.CharFilter(method="filter_hashtag", max_length=50, label=_("hashtag"))

    class Meta:
        model = Post
        fields = ["author", "hashtag"]

    def filter_hashtag(self, queryset, name, value):
        return queryset.filter(hashtags__name=normalize_hashtag(value))

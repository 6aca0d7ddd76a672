from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import ratelimit

from . import selectors
from .serializers import (
    ComposeQuerySerializer,
    ComposeResponseSerializer,
    SearchQuerySerializer,
    SearchResponseSerializer,
)


class SearchApi(APIView):
    """Searches everything the caller may see (posts, members, pets, walks, events, entries);
    `type` narrows to one kind."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[SearchQuerySerializer], responses={200: SearchResponseSerializer})
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = query.validated_data.get("type")
        outcome = selectors.site_search(
            viewer=request.user,
            raw_query=query.validated_data["q"],
            types=[chosen] if chosen else None,
            page=query.validated_data["page"],
            page_size=query.validated_data["page_size"],
        )
        return Response(
            SearchResponseSerializer(
                {
                    "query": query.validated_data["q"],
                    "sections": outcome.pages,
                    "corrections": outcome.corrections,
                },
                context={"request": request},
            ).data
        )


class ComposeSuggestApi(APIView):
    """Completions for the @mention or #hashtag a member is typing in a post or comment: members
    they follow first, hashtags by use. Limited per member (``RATE_LIMITS["compose_suggest"]``)."""

    @extend_schema(
        operation_id="compose_suggestions",
        parameters=[ComposeQuerySerializer],
        responses={200: ComposeResponseSerializer},
    )
    def get(self, request):
        query = ComposeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        ratelimit.hit("compose_suggest", request.user.pk)
        suggestions = selectors.compose_suggestions(prefix=query.validated_data["q"], viewer=request.user)
        return Response(
            ComposeResponseSerializer({"query": query.validated_data["q"], "suggestions": suggestions}).data
        )

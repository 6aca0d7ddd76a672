"""The World Cup API: events, entries and leaderboards are public; entering and playing need a
member (JWT or the site session), who is always the request's own user. A pick can only
decide the current match of the member's own stored game."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core.edge import FormParser, JSONParser, MultiPartParser

from . import selectors, services
from .serializers import (
    EntryCreateInputSerializer,
    EntryOutputSerializer,
    EventOutputSerializer,
    GameOutputSerializer,
    LeaderboardOutputSerializer,
    PickInputSerializer,
)

REFUSED = OpenApiResponse(description="Refused, with the reason (e.g. entries are closed, a forged pick).")


def _game_response(request, game, *, status_code=status.HTTP_200_OK) -> Response:
    game = selectors.own_game(player=request.user, game_id=game.pk)
    context = {"request": request, "current_match": selectors.current_match(game=game)}
    return Response(GameOutputSerializer(game, context=context).data, status=status_code)


class EventListApi(APIView):
    """Published events, the latest first."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="worldcup_events_list", responses={200: EventOutputSerializer(many=True)})
    def get(self, request):
        events = selectors.live_events().order_by("-voting_opens_at")[:24]
        return Response(EventOutputSerializer(events, many=True).data)


class EntryListApi(GenericAPIView):
    """An event's entries (not withdrawn), oldest first; and entering one of your pets."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = EntryOutputSerializer
    pagination_class = PageNumberPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        event = get_object_or_404(selectors.live_events(), pk=self.kwargs["pk"])
        return selectors.active_entries(event=event)

    @extend_schema(operation_id="worldcup_entries_list")
    def get(self, request, pk: int):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            EntryOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        operation_id="worldcup_entries_create",
        request=EntryCreateInputSerializer,
        responses={201: EntryOutputSerializer, 400: REFUSED},
    )
    def post(self, request, pk: int):
        data = EntryCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_create(
            event_id=pk,
            member=request.user,
            pet_id=data.validated_data["pet"],
            photo=data.validated_data.get("photo"),
        )
        return Response(
            EntryOutputSerializer(entry, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class GameStartApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="worldcup_games_start",
        request=None,
        responses={200: GameOutputSerializer, 400: REFUSED},
        description="Starts a game in this event (the server draws and stores the bracket), or returns "
        "the game you have in play to resume it.",
    )
    def post(self, request, pk: int):
        game = services.game_start(event_id=pk, player=request.user)
        return _game_response(request, game)


class GameDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="worldcup_games_retrieve",
        responses={200: GameOutputSerializer, 404: OpenApiResponse(description="Not your game.")},
    )
    def get(self, request, pk: int):
        return _game_response(request, selectors.own_game(player=request.user, game_id=pk))


class GamePickApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="worldcup_games_pick",
        request=PickInputSerializer,
        responses={
            200: GameOutputSerializer,
            400: REFUSED,
            404: OpenApiResponse(description="Not your game."),
        },
        description="Picks the winner of the game's current match. Any other match (decided, of "
        "another round or another game) or an entry not in it is refused and changes nothing.",
    )
    def post(self, request, pk: int):
        data = PickInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        game = services.game_pick(
            game_id=pk,
            player=request.user,
            match_id=data.validated_data["match"],
            winner_id=data.validated_data["winner"],
        )
        return _game_response(request, game)


class LeaderboardApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="worldcup_leaderboard", responses={200: LeaderboardOutputSerializer})
    def get(self, request, pk: int):
        event = get_object_or_404(selectors.live_events(), pk=pk)
        standings, games = selectors.leaderboard(event=event)
        data = {"games": games, "champion": selectors.champion_among(standings), "standings": standings}
        return Response(LeaderboardOutputSerializer(data, context={"request": request}).data)

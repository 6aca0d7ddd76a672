"""The chat API: everything the chat pages do, for apps (JWT) and the site's own scripts (session).

Live messages come over the WebSocket ``/ws/chat/<room_id>/`` (see ``chat/consumers.py`` for the
frames and ``chat/middleware.py`` for signing in there with the access token); sending over
HTTP is the fallback when the socket is down, with the same client-id rule and rate limit.
"""

import math

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .models import Room
from .pagination import message_page
from .serializers import (
    ChatDirectRoomInputSerializer,
    ChatMarkReadInputSerializer,
    ChatMarkReadOutputSerializer,
    ChatMessageCreateInputSerializer,
    ChatMessageOutputSerializer,
    ChatMessagePageSerializer,
    ChatPreferenceInputSerializer,
    ChatPreferenceOutputSerializer,
    ChatRoomOutputSerializer,
    ChatUnreadOutputSerializer,
    message_data,
)

User = get_user_model()


class ChatRateLimitedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy("Always “rate_limited”."))
    detail = serializers.CharField()
    retry_after = serializers.FloatField(help_text=gettext_lazy("Seconds until the next message may go."))


def _summary(*, member, room_id: int):
    summaries = selectors.room_summaries(
        member=member, rooms=selectors.member_rooms(member=member).filter(pk=room_id)
    )
    if not summaries:
        raise NotFound
    return summaries[0]


def _member_room(*, member, room_id: int) -> None:
    if not selectors.is_member(room_id=room_id, member=member):
        raise NotFound


class RoomListApi(GenericAPIView):
    """My chat rooms, the most recent conversation first, with unread counts."""

    serializer_class = ChatRoomOutputSerializer
    queryset = Room.objects.none()  # for the schema; the rooms come from the selector

    @extend_schema(operation_id="chat_rooms_list", responses={200: ChatRoomOutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(selectors.member_rooms(member=request.user))
        summaries = selectors.room_summaries(member=request.user, rooms=page)
        return self.get_paginated_response(ChatRoomOutputSerializer(summaries, many=True).data)


class RoomDetailApi(APIView):
    @extend_schema(responses={200: ChatRoomOutputSerializer})
    def get(self, request, pk: int):
        return Response(ChatRoomOutputSerializer(_summary(member=request.user, room_id=pk)).data)


class WalkRoomApi(APIView):
    """A walk's group room, for its host and members (404 for anyone else)."""

    @extend_schema(responses={200: ChatRoomOutputSerializer})
    def get(self, request, walk_id: int):
        room_id = selectors.walk_room_id(walk_id=walk_id, member=request.user)
        if room_id is None:
            raise NotFound
        return Response(ChatRoomOutputSerializer(_summary(member=request.user, room_id=room_id)).data)


class DirectRoomApi(APIView):
    """Opens (or starts) a 1:1 room. Starting one is refused (403) when the other member's
    preference does not let you send them direct messages."""

    @extend_schema(
        request=ChatDirectRoomInputSerializer,
        responses={
            200: ChatRoomOutputSerializer,
            201: ChatRoomOutputSerializer,
            403: OpenApiResponse(description="Refused"),
        },
    )
    def post(self, request):
        data = ChatDirectRoomInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        other = get_object_or_404(User, username__iexact=data.validated_data["username"], is_active=True)
        existed = selectors.direct_room(member=request.user, other=other) is not None
        room = services.direct_room_get_or_create(member=request.user, other=other)
        return Response(
            ChatRoomOutputSerializer(_summary(member=request.user, room_id=room.pk)).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


HISTORY_PARAMETERS = [
    OpenApiParameter("before", int, description="Messages older than this message id (default: the latest)."),
    OpenApiParameter(
        "after", int, description="Messages newer than this message id (catching up after a reconnect)."
    ),
    OpenApiParameter("limit", int, description="Page size, at most 100 (default 50)."),
]


class MessageListApi(APIView):
    """A room's messages (keyset pages by message id) and sending over HTTP."""

    @extend_schema(parameters=HISTORY_PARAMETERS, responses={200: ChatMessagePageSerializer})
    def get(self, request, pk: int):
        _member_room(member=request.user, room_id=pk)
        try:
            page = message_page(room_id=pk, params=request.query_params, base_url=request.path)
        except ValueError as error:
            raise ApiValidationError({str(error): [_("Give a whole number of 0 or more.")]}) from error
        return Response(
            {
                "results": [message_data(message) for message in page.messages],
                "has_more": page.has_more,
                "older": page.older,
                "newer": page.newer,
            }
        )

    @extend_schema(
        request=ChatMessageCreateInputSerializer,
        responses={
            201: ChatMessageOutputSerializer,
            200: OpenApiResponse(ChatMessageOutputSerializer, description="Sent before with this client id."),
            429: OpenApiResponse(ChatRateLimitedSerializer, description="Too fast; see Retry-After."),
        },
    )
    def post(self, request, pk: int):
        data = ChatMessageCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = services.message_send(
                room_id=pk,
                sender=request.user,
                client_id=data.validated_data["client_id"],
                text=data.validated_data["text"],
            )
        except services.RateLimited as limited:
            return Response(
                {
                    "code": "rate_limited",
                    "detail": _("You are sending messages too fast. Try again in a moment."),
                    "retry_after": limited.retry_after,
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(math.ceil(limited.retry_after))},
            )
        return Response(
            result.message_data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class MessageDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.message_delete(message_id=pk, member=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MarkReadApi(APIView):
    @extend_schema(request=ChatMarkReadInputSerializer, responses={200: ChatMarkReadOutputSerializer})
    def post(self, request, pk: int):
        data = ChatMarkReadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marker = services.room_mark_read(
            room_id=pk, member=request.user, message_id=data.validated_data.get("message_id")
        )
        return Response(
            ChatMarkReadOutputSerializer(
                {"last_read_id": marker, "unread_total": selectors.unread_total(member=request.user)}
            ).data
        )


class UnreadApi(APIView):
    """Unread messages across my rooms (the number on the chat link)."""

    @extend_schema(responses={200: ChatUnreadOutputSerializer})
    def get(self, request):
        return Response(
            ChatUnreadOutputSerializer({"unread_total": selectors.unread_total(member=request.user)}).data
        )


class ChatPreferenceApi(APIView):
    """Who may send me direct messages: ``everyone``, ``following`` (people I follow) or ``nobody``."""

    @extend_schema(responses={200: ChatPreferenceOutputSerializer})
    def get(self, request):
        choice = selectors.direct_messages_choice(member=request.user)
        return Response(ChatPreferenceOutputSerializer({"direct_messages": choice}).data)

    @extend_schema(request=ChatPreferenceInputSerializer, responses={200: ChatPreferenceOutputSerializer})
    def put(self, request):
        data = ChatPreferenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.chat_preference_set(
            member=request.user, direct_messages=data.validated_data["direct_messages"]
        )
        return Response(ChatPreferenceOutputSerializer(preference).data)

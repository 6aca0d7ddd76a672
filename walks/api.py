"""The walks API: what the board pages do, for apps. Lists and details are public; the rest
needs a member (JWT or the site session), who is always the request's own user."""

import dataclasses

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagination import CursorPage

from . import selectors, services
from .filters import AllWalksFilter
from .serializers import (
    WalkBoardSerializer,
    WalkCreateInputSerializer,
    WalkDetailOutputSerializer,
    WalkOutputSerializer,
    WalkUpdateInputSerializer,
)

REFUSED = OpenApiResponse(description="Refused, with the reason (e.g. the walk is full or has started).")
NOT_HOST = OpenApiResponse(description="Only the host may do this.")
# Fields a PATCH may change as they are (dog sizes and pets are converted).
UPDATABLE = (
    "title",
    "description_html",
    "start_at",
    "end_at",
    "meeting_place",
    "area",
    "host_gender",
    "preferred_gender",
    "capacity",
    "latitude",
    "longitude",
)


def _detail(request, walk_id: int):
    walk = selectors.walk_detail(viewer=request.user, walk_id=walk_id)
    return Response(WalkDetailOutputSerializer(walk, context={"request": request}).data)


def _walk_input(data: dict) -> services.WalkInput:
    return services.WalkInput(
        title=data["title"],
        description_html=data["description_html"],
        start_at=data["start_at"],
        end_at=data["end_at"],
        meeting_place=data["meeting_place"],
        area=data["area"],
        dog_sizes=tuple(sorted(data["dog_sizes"])),
        host_gender=data["host_gender"],
        preferred_gender=data["preferred_gender"],
        capacity=data["capacity"],
        pet_ids=tuple(data.get("pets", ())),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )


class WalkBoardListApi(APIView):
    """The live boards, in their admin order."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="walk_boards_list", responses={200: WalkBoardSerializer(many=True)})
    def get(self, request):
        return Response(WalkBoardSerializer(selectors.live_boards(), many=True).data)


class WalkListApi(GenericAPIView):
    """Walks on every board, soonest first (from today on unless dates are given); and posting one."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = WalkOutputSerializer
    pagination_class = CursorPage
    filterset_class = AllWalksFilter

    def get_queryset(self):
        return selectors.walk_list(viewer=self.request.user)

    @extend_schema(operation_id="walks_list", responses={200: WalkOutputSerializer(many=True), 400: REFUSED})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            WalkOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        request=WalkCreateInputSerializer, responses={201: WalkDetailOutputSerializer, 400: REFUSED}
    )
    def post(self, request):
        data = WalkCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        walk = services.walk_create(
            host=request.user, board_id=data.validated_data["board"], data=_walk_input(data.validated_data)
        )
        response = _detail(request, walk.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class WalkDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(operation_id="walks_retrieve", responses={200: WalkDetailOutputSerializer})
    def get(self, request, pk: int):
        return _detail(request, pk)

    @extend_schema(
        request=WalkUpdateInputSerializer,
        responses={200: WalkDetailOutputSerializer, 400: REFUSED, 403: NOT_HOST},
    )
    def patch(self, request, pk: int):
        data = WalkUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = data.validated_data
        changes = {field: sent[field] for field in UPDATABLE if field in sent}
        if "dog_sizes" in sent:
            changes["dog_sizes"] = tuple(sorted(sent["dog_sizes"]))
        if "pets" in sent:
            changes["pet_ids"] = tuple(sent["pets"])
        walk = selectors.walk_detail(viewer=request.user, walk_id=pk)
        data = dataclasses.replace(services.walk_input_from(walk), **changes)
        services.walk_update(walk_id=pk, member=request.user, data=data)
        return _detail(request, pk)

    @extend_schema(responses={204: None, 403: NOT_HOST})
    def delete(self, request, pk: int):
        services.walk_delete(walk_id=pk, member=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WalkJoinApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="walks_join",
        request=None,
        responses={200: WalkDetailOutputSerializer, 400: REFUSED},
        description="Join a walk. Refused (400, with the reason) when it is full, has started, or is closed.",
    )
    def post(self, request, pk: int):
        services.walk_join(walk_id=pk, member=request.user)
        return _detail(request, pk)


class WalkLeaveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="walks_leave",
        request=None,
        responses={200: WalkDetailOutputSerializer, 400: REFUSED},
        description="Leave a walk you joined, before it starts.",
    )
    def post(self, request, pk: int):
        services.walk_leave(walk_id=pk, member=request.user)
        return _detail(request, pk)


class WalkCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="walks_cancel",
        request=None,
        responses={200: WalkDetailOutputSerializer, 400: REFUSED, 403: NOT_HOST},
        description="The host cancels the walk; its members are notified.",
    )
    def post(self, request, pk: int):
        services.walk_cancel(walk_id=pk, member=request.user)
        return _detail(request, pk)


class WalkCloseApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="walks_close",
        request=None,
        responses={200: WalkDetailOutputSerializer, 400: REFUSED, 403: NOT_HOST},
        description="The host stops taking members; those who joined stay.",
    )
    def post(self, request, pk: int):
        services.walk_close(walk_id=pk, member=request.user)
        return _detail(request, pk)


class WalkReopenApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="walks_reopen",
        request=None,
        responses={200: WalkDetailOutputSerializer, 400: REFUSED, 403: NOT_HOST},
        description="The host takes members again (before the walk starts).",
    )
    def post(self, request, pk: int):
        services.walk_reopen(walk_id=pk, member=request.user)
        return _detail(request, pk)


class WalkParticipantApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="walks_participants_remove",
        responses={
            200: WalkDetailOutputSerializer,
            403: NOT_HOST,
            404: OpenApiResponse(description="No such member."),
        },
        description="The host removes a member, who is notified and cannot join this walk again.",
    )
    def delete(self, request, pk: int, member_id: int):
        services.walk_remove_participant(walk_id=pk, host=request.user, member_id=member_id)
        return _detail(request, pk)

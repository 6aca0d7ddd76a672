from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .serializers import (
    AppealInputSerializer,
    NoticeOutputSerializer,
    RelationStateSerializer,
    ReportCreateInputSerializer,
    ReportOutputSerializer,
)

User = get_user_model()


class ReportCreateApi(APIView):
    """Reports a post, comment, walk, chat message or member to the moderators."""

    @extend_schema(request=ReportCreateInputSerializer, responses={201: ReportOutputSerializer})
    def post(self, request):
        data = ReportCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_create(reporter=request.user, **data.validated_data)
        output = ReportOutputSerializer({**data.validated_data, "received": True})
        return Response(output.data, status=status.HTTP_201_CREATED)


class _RelationApi(APIView):
    add = remove = None

    def _other(self, username: str):
        return get_object_or_404(User, username__iexact=username, is_active=True)

    @extend_schema(request=None, responses={200: RelationStateSerializer})
    def post(self, request, username: str):
        type(self).add(member=request.user, other=self._other(username))
        return Response(RelationStateSerializer({"active": True}).data)

    @extend_schema(request=None, responses={200: RelationStateSerializer})
    def delete(self, request, username: str):
        type(self).remove(member=request.user, other=self._other(username))
        return Response(RelationStateSerializer({"active": False}).data)


class BlockApi(_RelationApi):
    """Blocks (POST) or unblocks (DELETE) a member."""

    add = services.block_add
    remove = services.block_remove


class MuteApi(_RelationApi):
    """Mutes (POST) or unmutes (DELETE) a member."""

    add = services.mute_add
    remove = services.mute_remove


class NoticeListApi(APIView):
    """What moderators decided about me, with the reasons."""

    @extend_schema(responses={200: NoticeOutputSerializer(many=True)})
    def get(self, request):
        return Response(NoticeOutputSerializer(selectors.member_notices(member=request.user), many=True).data)


class AppealApi(APIView):
    @extend_schema(request=AppealInputSerializer, responses={201: None})
    def post(self, request, pk: int):
        data = AppealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.appeal_create(member=request.user, action_id=pk, text=data.validated_data["text"])
        return Response(status=status.HTTP_201_CREATED)

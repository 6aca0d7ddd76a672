from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import push, services
from .models import PushSubscription
from .serializers import (
    PushStatusSerializer,
    PushSubscriptionInputSerializer,
    PushSubscriptionOutputSerializer,
    PushSubscriptionRenameSerializer,
)


class PushSubscriptionListApi(APIView):
    """The member's devices that get push notifications; POST adds this browser's subscription."""

    @extend_schema(responses={200: PushStatusSerializer})
    def get(self, request):
        data = {
            "enabled": push.enabled(),
            "public_key": settings.WEB_PUSH_VAPID_PUBLIC_KEY if push.enabled() else "",
            "devices": PushSubscription.objects.filter(member=request.user),
        }
        return Response(PushStatusSerializer(data).data)

    @extend_schema(request=PushSubscriptionInputSerializer, responses={201: PushSubscriptionOutputSerializer})
    def post(self, request):
        data = PushSubscriptionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = services.push_subscription_save(
            member=request.user,
            endpoint=data.validated_data["endpoint"],
            p256dh=data.validated_data["keys"]["p256dh"],
            auth=data.validated_data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(PushSubscriptionOutputSerializer(subscription).data, status=status.HTTP_201_CREATED)


class PushSubscriptionDetailApi(APIView):
    def _mine(self, request, pk: int) -> PushSubscription:
        return get_object_or_404(PushSubscription, pk=pk, member=request.user)

    @extend_schema(
        request=PushSubscriptionRenameSerializer, responses={200: PushSubscriptionOutputSerializer}
    )
    def patch(self, request, pk: int):
        subscription = self._mine(request, pk)
        data = PushSubscriptionRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = services.push_subscription_rename(
            member=request.user, subscription_id=subscription.pk, name=data.validated_data["name"]
        )
        return Response(PushSubscriptionOutputSerializer(subscription).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        services.push_subscription_remove(member=request.user, subscription_id=self._mine(request, pk).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

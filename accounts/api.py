from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core import login_limits

from .selectors import Availability, username_availability
from .serializers import (
    AvailabilityOutputSerializer,
    AvailabilityQuerySerializer,
    LogoutInputSerializer,
    MemberSerializer,
    TokenObtainInputSerializer,
)
from .tokens import TokenRefreshSerializer


class UsernameAvailabilityApi(APIView):
    """Tells a visitor choosing a handle whether it is free, taken or not allowed.

    There is deliberately no such check for e-mail addresses: it would reveal who is
    a member.
    """

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[OpenApiParameter("username", str, required=True)],
        responses={200: AvailabilityOutputSerializer},
    )
    def get(self, request):
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = username_availability(username=query.validated_data["username"])
        output = AvailabilityOutputSerializer(
            {
                "username": result.username,
                "status": result.status.value,
                "available": result.status is Availability.AVAILABLE,
                "reasons": result.reasons,
                "message": result.message,
            }
        )
        return Response(output.data)


class LogoutApi(APIView):
    """Ends an API session: the caller's refresh token can no longer be used."""

    @extend_schema(request=LogoutInputSerializer, responses={205: None})
    def post(self, request):
        serializer = LogoutInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        serializer.validated_data["refresh"].blacklist()
        return Response(status=status.HTTP_205_RESET_CONTENT)


class CurrentMemberApi(APIView):
    @extend_schema(responses={200: MemberSerializer})
    def get(self, request):
        return Response(MemberSerializer(request.user).data)


class TokenObtainApi(TokenObtainPairView):
    """A token pair for a handle or e-mail and password; wrong passwords are limited as on the
    login page (core/login_limits.py: 429 once a limit is used up). Members who have not
    confirmed their e-mail address get 403 ``email_unconfirmed`` instead."""

    serializer_class = TokenObtainInputSerializer

    def post(self, request, *args, **kwargs):
        limits = login_limits.for_login(
            request, str(request.data.get("username") or request.data.get("email") or "")
        )
        login_limits.check(limits)
        try:
            return super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            login_limits.count_failure(limits)
            raise


class TokenRefreshApi(TokenRefreshView):
    """A new access token and a rotated refresh token for a valid refresh token. A refresh token
    used once already, or made before the member's password, Kakao connection or account last
    changed, gets 401."""

    serializer_class = TokenRefreshSerializer

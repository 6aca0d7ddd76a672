"""API tokens carry the member's credentials version; a token made under an earlier one is refused.

Every access and refresh token has the claim ``cv`` (``User.credentials_version`` when the pair
was made; rotation and the access tokens made from a refresh token copy it). The API's
authentication, the token refresh endpoint and the chat socket's authentication check it against
the member's row: once the version is raised (``accounts.services.member_credentials_raise``)
every token made before answers 401. A token without the claim counts as version 0, the version
every member has until their credentials first change.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import (
    SimpleJWTScheme,
    TokenObtainPairSerializerExtension,
    TokenRefreshSerializerExtension,
)
from rest_framework import exceptions
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from core.replica import primary_reads
from privacy.consent import ConsentRequired, has_consented

CREDENTIALS_CLAIM = "cv"


class CredentialsEnded(exceptions.AuthenticationFailed):
    default_detail = _("Your sign-in has ended (your password or account changed). Sign in again.")
    default_code = "credentials_changed"


def check_credentials(token, user) -> None:
    """Raises ``CredentialsEnded`` unless ``token`` was made under the member's current version."""
    if token.get(CREDENTIALS_CLAIM, 0) != user.credentials_version:
        raise CredentialsEnded(
            {"detail": CredentialsEnded.default_detail, "code": CredentialsEnded.default_code}
        )


class MemberRefreshToken(RefreshToken):
    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[CREDENTIALS_CLAIM] = user.credentials_version
        return token


# Named as simplejwt's serializers, so that the API schema's components keep their names.


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    token_class = MemberRefreshToken


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    # A refresh token made under an earlier credentials version, or whose member is gone, gets 401.

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        user = (
            get_user_model()
            .objects.filter(**{api_settings.USER_ID_FIELD: refresh.get(api_settings.USER_ID_CLAIM)})
            .first()
        )
        if user is None:
            raise exceptions.AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            )
        check_credentials(refresh, user)
        return super().validate(attrs)


class TokenObtainPairSchema(TokenObtainPairSerializerExtension):
    """The schema drf-spectacular gives simplejwt's serializer, for ours."""

    target_class = TokenObtainPairSerializer


class TokenRefreshSchema(TokenRefreshSerializerExtension):
    target_class = TokenRefreshSerializer


class CredentialsJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, refusing tokens made under an earlier credentials version."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        check_credentials(validated_token, user)
        return user


class ConsentCheckingJWTAuthentication(CredentialsJWTAuthentication):
    """The API's authentication: also refuses members who must first agree to new terms
    (privacy/consent.py), except on views marked ``consent_exempt`` (the consent endpoint)."""

    def authenticate(self, request):
        # Authentication reads the primary, also on pages that read the replica.
        with primary_reads():
            result = super().authenticate(request)
            if result is None:
                return None
            view = request.parser_context.get("view") if request.parser_context else None
            consented = getattr(view, "consent_exempt", False) or has_consented(result[0])
        if not consented:
            raise ConsentRequired(
                {"detail": ConsentRequired.default_detail, "code": ConsentRequired.default_code}
            )
        return result


class ConsentCheckingJWTScheme(SimpleJWTScheme):
    """The OpenAPI description of the consent-checking JWT authentication: plain JWT bearer auth."""

    target_class = ConsentCheckingJWTAuthentication

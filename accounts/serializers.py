from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from .selectors import Availability
from .tokens import TokenObtainPairSerializer


# A member as every list shows them (posts, pets, walks, World Cup entries, search). No docstring:
# it would become the schema's description of the component.
class MemberSummarySerializer(serializers.Serializer):
    username = serializers.CharField()
    nickname = serializers.CharField()
    display_name = serializers.CharField()
    avatar_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_avatar_url(self, member):
        return member.avatar.url if member.avatar else None


class AvailabilityQuerySerializer(serializers.Serializer):
    username = serializers.CharField(max_length=100, trim_whitespace=False, allow_blank=True)


class AvailabilityOutputSerializer(serializers.Serializer):
    username = serializers.CharField(help_text=_("The handle as it would be stored (normalized)."))
    status = serializers.ChoiceField(choices=[(a.value, a.value) for a in Availability])
    available = serializers.BooleanField()
    message = serializers.CharField(help_text=_("A sentence to show beside the field."))
    reasons = serializers.ListField(child=serializers.CharField())


class LogoutInputSerializer(serializers.Serializer):
    refresh = serializers.CharField()

    def validate_refresh(self, value: str) -> RefreshToken:
        try:
            token = RefreshToken(value)
        except TokenError as error:
            raise serializers.ValidationError(_("This refresh token is invalid or expired.")) from error
        user = self.context["request"].user
        if str(token.get(jwt_settings.USER_ID_CLAIM)) != str(getattr(user, jwt_settings.USER_ID_FIELD)):
            raise serializers.ValidationError(_("This refresh token belongs to another session."))
        return token


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    nickname = serializers.CharField()
    display_name = serializers.CharField()
    bio = serializers.CharField()


class EmailUnconfirmed(exceptions.PermissionDenied):
    default_detail = _(
        "Confirm your e-mail address first: log in on the website and enter the code we e-mail you."
    )
    default_code = "email_unconfirmed"


class TokenObtainInputSerializer(TokenObtainPairSerializer):
    """A token pair only for members who confirmed their e-mail address: the website asks for the
    code at their next login, and an app cannot skip that step (403 ``email_unconfirmed``)."""

    @classmethod
    def get_token(cls, user):
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            raise EmailUnconfirmed(
                {"detail": EmailUnconfirmed.default_detail, "code": EmailUnconfirmed.default_code}
            )
        return super().get_token(user)

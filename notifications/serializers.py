from rest_framework import serializers

from .models import PushSubscription


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionInputSerializer(serializers.Serializer):
    """What the browser's ``PushSubscription.toJSON()`` gives."""

    endpoint = serializers.URLField(max_length=1000)
    keys = PushKeysSerializer()


class PushSubscriptionRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)


class PushSubscriptionOutputSerializer(serializers.ModelSerializer):
    browser = serializers.CharField(source="user_agent")

    class Meta:
        model = PushSubscription
        fields = ["id", "name", "browser", "created_at", "last_sent_at"]


class PushStatusSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    public_key = serializers.CharField(allow_blank=True)
    devices = PushSubscriptionOutputSerializer(many=True)

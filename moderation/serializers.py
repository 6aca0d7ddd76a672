from rest_framework import serializers

from . import registry
from .models import APPEAL_TEXT_MAX_LENGTH, REPORT_TEXT_MAX_LENGTH, Action, ReportReason


class ReportCreateInputSerializer(serializers.Serializer):
    target_type = serializers.CharField(
        max_length=40, help_text="post, comment, walk, chat_message, member, …"
    )
    object_id = serializers.IntegerField(min_value=1)
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    text = serializers.CharField(
        max_length=REPORT_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )

    def validate_target_type(self, value: str) -> str:
        if registry.get(value) is None:
            raise serializers.ValidationError(f"Choose one of: {', '.join(registry.keys())}.")
        return value


class ReportOutputSerializer(serializers.Serializer):
    target_type = serializers.CharField()
    object_id = serializers.IntegerField()
    reason = serializers.CharField()
    received = serializers.BooleanField()


class RelationStateSerializer(serializers.Serializer):
    active = serializers.BooleanField()


class AppealInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=APPEAL_TEXT_MAX_LENGTH)


class NoticeOutputSerializer(serializers.ModelSerializer):
    appealed = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "kind", "reason", "until", "created_at", "appealed"]

    def get_appealed(self, action: Action) -> bool:
        return hasattr(action, "appeal")

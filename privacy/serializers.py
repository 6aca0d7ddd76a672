from rest_framework import serializers

from .models import LegalDocument


class LegalDocumentOutputSerializer(serializers.Serializer):
    document = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    required = serializers.BooleanField()
    summary = serializers.CharField()
    url = serializers.CharField()
    agreed = serializers.BooleanField()


class ConsentStatusOutputSerializer(serializers.Serializer):
    consent_required = serializers.BooleanField()
    documents = LegalDocumentOutputSerializer(many=True)


class ConsentInputSerializer(serializers.Serializer):
    agreed = serializers.ListField(
        child=serializers.ChoiceField(choices=LegalDocument.choices), allow_empty=True
    )

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .consent import SESSION_KEY
from .selectors import current_documents, missing_documents
from .serializers import ConsentInputSerializer, ConsentStatusOutputSerializer


def _status(member) -> dict:
    missing = {page.document for page in missing_documents(member=member)}
    agreed = services.agreed_versions(member=member)
    return {
        "consent_required": bool(missing),
        "documents": [
            {
                "document": page.document,
                "title": page.title,
                "version": page.version,
                "required": page.required,
                "summary": page.summary,
                "url": page.full_url or page.url,
                "agreed": (page.document, page.version) in agreed,
            }
            for page in current_documents()
        ],
    }


class ConsentApi(APIView):
    """The current terms and what the member agreed to. Reachable while consent is required."""

    consent_exempt = True

    @extend_schema(responses={200: ConsentStatusOutputSerializer})
    def get(self, request):
        return Response(ConsentStatusOutputSerializer(_status(request.user)).data)

    @extend_schema(request=ConsentInputSerializer, responses={200: ConsentStatusOutputSerializer})
    def post(self, request):
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.consent_record(member=request.user, agreed=serializer.validated_data["agreed"])
        if hasattr(request, "session"):
            request.session.pop(SESSION_KEY, None)
        return Response(ConsentStatusOutputSerializer(_status(request.user)).data)

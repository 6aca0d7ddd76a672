from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core import ratelimit
from core.edge import FormParser, JSONParser, MultiPartParser
from core.pagination import CursorPage

from . import selectors, services
from .filters import PetFilter
from .registry import tagged_posts
from .serializers import (
    PetCreateInputSerializer,
    PetOutputSerializer,
    PetUpdateInputSerializer,
    PhotoCheckSerializer,
)

PARSERS = [MultiPartParser, FormParser, JSONParser]


class PetListApi(GenericAPIView):
    """Pets, newest first, optionally one member's or one species'; and adding a pet."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = PetOutputSerializer
    pagination_class = CursorPage
    filterset_class = PetFilter
    parser_classes = PARSERS

    def get_queryset(self):
        return selectors.pet_list(viewer=self.request.user)

    @extend_schema(operation_id="pets_list", responses={200: PetOutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            PetOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=PetCreateInputSerializer, responses={201: PetOutputSerializer})
    def post(self, request):
        data = PetCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("photo"):
            ratelimit.hit("upload", request.user.pk)
        pet = services.pet_create(owner=request.user, **data.validated_data)
        pet = selectors.pet_detail(viewer=request.user, pet_id=pet.pk)
        return Response(
            PetOutputSerializer(pet, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PetDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = PARSERS

    def _output(self, request, pk: int):
        pet = selectors.pet_detail(viewer=request.user, pet_id=pk)
        return Response(PetOutputSerializer(pet, context={"request": request}).data)

    @extend_schema(responses={200: PetOutputSerializer})
    def get(self, request, pk: int):
        return self._output(request, pk)

    @extend_schema(request=PetUpdateInputSerializer, responses={200: PetOutputSerializer})
    def patch(self, request, pk: int):
        data = PetUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("photo"):
            ratelimit.hit("upload", request.user.pk)
        services.pet_update(pet_id=pk, member=request.user, **data.validated_data)
        return self._output(request, pk)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.pet_delete(pet_id=pk, member=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PetPostsApi(GenericAPIView):
    """Posts that tag this pet, newest first."""

    pagination_class = CursorPage

    def get_serializer_class(self):
        return tagged_posts().serializer

    def get(self, request, pk: int):
        pet = selectors.pet_detail(viewer=request.user, pet_id=pk)
        page = self.paginate_queryset(selectors.pet_posts(viewer=request.user, pet=pet))
        return self.get_paginated_response(self.get_serializer_class()(page, many=True).data)


class PetVerdictApi(APIView):
    """The photo check of the member's own pet (poll it until ``status`` is no longer "pending")."""

    @extend_schema(responses={200: PhotoCheckSerializer})
    def get(self, request, pk: int):
        return Response(PhotoCheckSerializer(selectors.own_pet(member=request.user, pet_id=pk)).data)

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.edge import FormParser, JSONParser, MultiPartParser
from core.pagination import CursorPage
from notifications import selectors as notification_selectors
from notifications.models import Notification

from . import limits, selectors, services
from .filters import PostFilter
from .models import Post
from .serializers import (
    CommentCreateInputSerializer,
    CommentOutputSerializer,
    CommentThreadSerializer,
    CommentUpdateInputSerializer,
    DraftInputSerializer,
    DraftSerializer,
    FollowStateSerializer,
    LikeStateSerializer,
    MarkReadOutputSerializer,
    MemberProfileSerializer,
    NotificationMarkReadInputSerializer,
    NotificationOutputSerializer,
    PostCreateInputSerializer,
    PostOutputSerializer,
    PostUpdateInputSerializer,
)

User = get_user_model()


class PostListApi(GenericAPIView):
    """Latest visible posts, optionally by one author or hashtag; and posting."""

    serializer_class = PostOutputSerializer
    pagination_class = CursorPage
    filterset_class = PostFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return selectors.feed_posts(viewer=self.request.user, feed=selectors.Feed.LATEST)

    @extend_schema(operation_id="posts_list", responses={200: PostOutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PostOutputSerializer(page, many=True).data)

    @extend_schema(request=PostCreateInputSerializer, responses={201: PostOutputSerializer})
    def post(self, request):
        data = PostCreateInputSerializer(
            data={
                "text": request.data.get("text", ""),
                "photos": request.FILES.getlist("photos"),
                "alt_texts": request.data.getlist("alt_texts")
                if hasattr(request.data, "getlist")
                else request.data.get("alt_texts", []),
                "pets": request.data.getlist("pets")
                if hasattr(request.data, "getlist")
                else request.data.get("pets", []),
            }
        )
        data.is_valid(raise_exception=True)
        limits.hit_post(member=request.user, photo_count=len(data.validated_data["photos"]))
        photos = [
            services.PhotoUpload(file=file, alt_text=alt)
            for file, alt in zip(data.validated_data["photos"], data.validated_data["alt_texts"], strict=True)
        ]
        post = services.post_create(
            author=request.user,
            text=data.validated_data["text"],
            photos=photos,
            pets=data.validated_data["pets"],
        )
        post = selectors.post_detail(viewer=request.user, post_id=post.pk)
        return Response(PostOutputSerializer(post).data, status=status.HTTP_201_CREATED)


class PostDetailApi(APIView):
    @extend_schema(responses={200: PostOutputSerializer})
    def get(self, request, pk: int):
        return Response(PostOutputSerializer(selectors.post_detail(viewer=request.user, post_id=pk)).data)

    @extend_schema(request=PostUpdateInputSerializer, responses={200: PostOutputSerializer})
    def patch(self, request, pk: int):
        data = PostUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_update(post_id=pk, member=request.user, text=data.validated_data["text"])
        return Response(PostOutputSerializer(selectors.post_detail(viewer=request.user, post_id=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.post_delete(post_id=pk, member=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FeedApi(GenericAPIView):
    """The three home feeds: posts by people I follow, the latest, and this week's most liked."""

    serializer_class = PostOutputSerializer
    queryset = Post.objects.none()  # for the schema; the posts come from the selector
    pagination_class = CursorPage  # each feed pages in its own order (the selector's)

    @extend_schema(
        parameters=[OpenApiParameter("feed", str, OpenApiParameter.PATH, enum=list(selectors.Feed.ALL))],
        responses={200: PostOutputSerializer(many=True)},
    )
    def get(self, request, feed: str):
        if feed not in selectors.Feed.ALL:
            raise NotFound
        page = self.paginate_queryset(selectors.feed_posts(viewer=request.user, feed=feed))
        return self.get_paginated_response(PostOutputSerializer(page, many=True).data)


class LikeApi(APIView):
    @extend_schema(request=None, responses={200: LikeStateSerializer})
    def post(self, request, pk: int):
        post = services.like_add(post_id=pk, member=request.user)
        return Response(LikeStateSerializer({"liked": True, "like_count": post.like_count}).data)

    @extend_schema(request=None, responses={200: LikeStateSerializer})
    def delete(self, request, pk: int):
        post = services.like_remove(post_id=pk, member=request.user)
        return Response(LikeStateSerializer({"liked": False, "like_count": post.like_count}).data)


class CommentListApi(APIView):
    @extend_schema(responses={200: CommentThreadSerializer(many=True)})
    def get(self, request, pk: int):
        post = selectors.post_detail(viewer=request.user, post_id=pk)
        comments = selectors.post_comments(viewer=request.user, post=post)
        return Response(CommentThreadSerializer(comments, many=True).data)

    @extend_schema(request=CommentCreateInputSerializer, responses={201: CommentOutputSerializer})
    def post(self, request, pk: int):
        data = CommentCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        limits.hit_comment(member=request.user)
        comment = services.comment_create(
            post_id=pk,
            author=request.user,
            text=data.validated_data["text"],
            parent_id=data.validated_data["parent"],
        )
        return Response(CommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailApi(APIView):
    @extend_schema(request=CommentUpdateInputSerializer, responses={200: CommentOutputSerializer})
    def patch(self, request, pk: int):
        data = CommentUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_update(
            comment_id=pk, member=request.user, text=data.validated_data["text"]
        )
        return Response(CommentOutputSerializer(comment).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.comment_delete(comment_id=pk, member=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberProfileApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: MemberProfileSerializer})
    def get(self, request, username: str):
        return Response(
            MemberProfileSerializer(selectors.member_profile(viewer=request.user, username=username)).data
        )


class MemberPostsApi(GenericAPIView):
    serializer_class = PostOutputSerializer
    pagination_class = CursorPage

    def get(self, request, username: str):
        member = get_object_or_404(User, username__iexact=username, is_active=True)
        page = self.paginate_queryset(selectors.member_posts(viewer=request.user, member=member))
        return self.get_paginated_response(PostOutputSerializer(page, many=True).data)


class FollowApi(APIView):
    def _member(self, username: str):
        return get_object_or_404(User, username__iexact=username, is_active=True)

    @extend_schema(request=None, responses={200: FollowStateSerializer})
    def post(self, request, username: str):
        services.follow_add(follower=request.user, following=self._member(username))
        return Response(FollowStateSerializer({"following": True}).data)

    @extend_schema(request=None, responses={200: FollowStateSerializer})
    def delete(self, request, username: str):
        services.follow_remove(follower=request.user, following=self._member(username))
        return Response(FollowStateSerializer({"following": False}).data)


class NotificationListApi(GenericAPIView):
    serializer_class = NotificationOutputSerializer
    pagination_class = CursorPage.sized(page_size=30, max_page_size=100)
    queryset = Notification.objects.none()  # for the schema; the rows come from the selector

    @extend_schema(responses={200: NotificationOutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(notification_selectors.notification_list(member=request.user))
        return self.get_paginated_response(NotificationOutputSerializer(page, many=True).data)


class NotificationMarkReadApi(APIView):
    @extend_schema(request=NotificationMarkReadInputSerializer, responses={200: MarkReadOutputSerializer})
    def post(self, request):
        data = NotificationMarkReadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(member=request.user, ids=data.validated_data["ids"])
        return Response(MarkReadOutputSerializer({"marked": marked}).data)


def _draft_state(draft) -> dict:
    return {"text": draft.text if draft else "", "updated_at": draft.updated_at if draft else None}


class DraftApi(APIView):
    """The member's unfinished post, kept as they type in the post form."""

    @extend_schema(operation_id="post_draft_retrieve", responses={200: DraftSerializer})
    def get(self, request):
        return Response(DraftSerializer(_draft_state(selectors.post_draft(member=request.user))).data)

    @extend_schema(
        operation_id="post_draft_save", request=DraftInputSerializer, responses={200: DraftSerializer}
    )
    def put(self, request):
        data = DraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.draft_save(member=request.user, text=data.validated_data["text"])
        return Response(DraftSerializer(_draft_state(draft)).data)

    @extend_schema(operation_id="post_draft_discard", request=None, responses={204: None})
    def delete(self, request):
        services.draft_discard(member=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

from django.urls import path

from . import api

urlpatterns = [
    path("posts/", api.PostListApi.as_view(), name="api-posts"),
    path("posts/<id:pk>/", api.PostDetailApi.as_view(), name="api-post-detail"),
    path("posts/<id:pk>/like/", api.LikeApi.as_view(), name="api-post-like"),
    path("posts/<id:pk>/comments/", api.CommentListApi.as_view(), name="api-post-comments"),
    path("comments/<id:pk>/", api.CommentDetailApi.as_view(), name="api-comment-detail"),
    path("drafts/post/", api.DraftApi.as_view(), name="api-post-draft"),
    path("feed/<str:feed>/", api.FeedApi.as_view(), name="api-feed"),
    path("members/<str:username>/", api.MemberProfileApi.as_view(), name="api-member"),
    path("members/<str:username>/posts/", api.MemberPostsApi.as_view(), name="api-member-posts"),
    path("members/<str:username>/follow/", api.FollowApi.as_view(), name="api-member-follow"),
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
    path(
        "notifications/mark-read/", api.NotificationMarkReadApi.as_view(), name="api-notifications-mark-read"
    ),
]

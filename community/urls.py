from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:pk>/like/", views.like_toggle, name="like"),
    path("posts/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("members/<str:username>/", views.profile, name="profile"),
    path("members/<str:username>/follow/", views.follow_toggle, name="follow"),
    path("tags/<str:name>/", views.hashtag, name="hashtag"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]

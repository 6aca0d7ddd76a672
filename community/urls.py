from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<id:pk>/", views.post_detail, name="post_detail"),
    path("posts/<id:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<id:pk>/delete/", views.post_delete, name="post_delete"),
    path("posts/<id:pk>/like/", views.like_toggle, name="like"),
    path("posts/<id:pk>/comments/", views.comment_create, name="comment_create"),
    path("comments/<id:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("members/<str:username>/", views.profile, name="profile"),
    path("members/<str:username>/follow/", views.follow_toggle, name="follow"),
    path("members/<str:username>/followers/", views.followers, name="followers"),
    path("members/<str:username>/following/", views.following, name="following"),
    path("tags/<str:name>/", views.hashtag, name="hashtag"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:target_type>/<id:object_id>/", views.report, name="report"),
    path("members/<str:username>/block/", views.block_toggle, name="block"),
    path("members/<str:username>/mute/", views.mute_toggle, name="mute"),
    path("moderation/notices/", views.notices, name="notices"),
    path("moderation/notices/<id:pk>/appeal/", views.appeal, name="appeal"),
]

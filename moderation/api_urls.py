from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.ReportCreateApi.as_view(), name="api-reports"),
    path("members/<str:username>/block/", api.BlockApi.as_view(), name="api-member-block"),
    path("members/<str:username>/mute/", api.MuteApi.as_view(), name="api-member-mute"),
    path("moderation/notices/", api.NoticeListApi.as_view(), name="api-moderation-notices"),
    path("moderation/notices/<id:pk>/appeal/", api.AppealApi.as_view(), name="api-moderation-appeal"),
]

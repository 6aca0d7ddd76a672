from django.urls import path

from . import api

urlpatterns = [
    path("walk-boards/", api.WalkBoardListApi.as_view(), name="api-walk-boards"),
    path("walks/", api.WalkListApi.as_view(), name="api-walks"),
    path("walks/<id:pk>/", api.WalkDetailApi.as_view(), name="api-walk-detail"),
    path("walks/<id:pk>/join/", api.WalkJoinApi.as_view(), name="api-walk-join"),
    path("walks/<id:pk>/leave/", api.WalkLeaveApi.as_view(), name="api-walk-leave"),
    path("walks/<id:pk>/cancel/", api.WalkCancelApi.as_view(), name="api-walk-cancel"),
    path("walks/<id:pk>/close/", api.WalkCloseApi.as_view(), name="api-walk-close"),
    path("walks/<id:pk>/reopen/", api.WalkReopenApi.as_view(), name="api-walk-reopen"),
    path(
        "walks/<id:pk>/participants/<id:member_id>/",
        api.WalkParticipantApi.as_view(),
        name="api-walk-participant",
    ),
]

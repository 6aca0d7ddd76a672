from django.urls import path

from . import api

urlpatterns = [
    path("walk-boards/", api.WalkBoardListApi.as_view(), name="api-walk-boards"),
    path("walks/", api.WalkListApi.as_view(), name="api-walks"),
    path("walks/<int:pk>/", api.WalkDetailApi.as_view(), name="api-walk-detail"),
    path("walks/<int:pk>/join/", api.WalkJoinApi.as_view(), name="api-walk-join"),
    path("walks/<int:pk>/leave/", api.WalkLeaveApi.as_view(), name="api-walk-leave"),
    path("walks/<int:pk>/cancel/", api.WalkCancelApi.as_view(), name="api-walk-cancel"),
    path("walks/<int:pk>/close/", api.WalkCloseApi.as_view(), name="api-walk-close"),
    path("walks/<int:pk>/reopen/", api.WalkReopenApi.as_view(), name="api-walk-reopen"),
    path(
        "walks/<int:pk>/participants/<int:member_id>/",
        api.WalkParticipantApi.as_view(),
        name="api-walk-participant",
    ),
]

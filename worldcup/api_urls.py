from django.urls import path

from . import api

urlpatterns = [
    path("worldcup/events/", api.EventListApi.as_view(), name="api-worldcup-events"),
    path("worldcup/events/<id:pk>/entries/", api.EntryListApi.as_view(), name="api-worldcup-entries"),
    path("worldcup/events/<id:pk>/games/", api.GameStartApi.as_view(), name="api-worldcup-game-start"),
    path(
        "worldcup/events/<id:pk>/leaderboard/", api.LeaderboardApi.as_view(), name="api-worldcup-leaderboard"
    ),
    path("worldcup/games/<id:pk>/", api.GameDetailApi.as_view(), name="api-worldcup-game"),
    path("worldcup/games/<id:pk>/picks/", api.GamePickApi.as_view(), name="api-worldcup-pick"),
]

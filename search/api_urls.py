from django.urls import path

from . import api

urlpatterns = [
    path("search/", api.SearchApi.as_view(), name="api-search"),
    path("compose/suggestions/", api.ComposeSuggestApi.as_view(), name="api-compose-suggestions"),
]

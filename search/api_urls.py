from django.urls import path

from . import api

urlpatterns = [path("search/", api.SearchApi.as_view(), name="api-search")]

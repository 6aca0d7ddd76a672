from django.urls import path

from . import api

urlpatterns = [
    path("privacy/consent/", api.ConsentApi.as_view(), name="api-privacy-consent"),
]

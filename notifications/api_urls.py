from django.urls import path

from . import api

urlpatterns = [
    path("push/subscriptions/", api.PushSubscriptionListApi.as_view(), name="api-push-subscriptions"),
    path(
        "push/subscriptions/<id:pk>/", api.PushSubscriptionDetailApi.as_view(), name="api-push-subscription"
    ),
]

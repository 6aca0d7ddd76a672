from django.urls import path

from . import api

urlpatterns = [
    path("accounts/availability/", api.UsernameAvailabilityApi.as_view(), name="api-username-availability"),
    path("accounts/me/", api.CurrentMemberApi.as_view(), name="api-current-member"),
    path("auth/token/", api.TokenObtainApi.as_view(), name="api-token-obtain"),
    path("auth/token/refresh/", api.TokenRefreshApi.as_view(), name="api-token-refresh"),
    path("auth/logout/", api.LogoutApi.as_view(), name="api-logout"),
]

from django.urls import path

from . import api

urlpatterns = [
    path("pets/", api.PetListApi.as_view(), name="api-pets"),
    path("pets/<id:pk>/", api.PetDetailApi.as_view(), name="api-pet-detail"),
    path("pets/<id:pk>/posts/", api.PetPostsApi.as_view(), name="api-pet-posts"),
    path("pets/<id:pk>/verdict/", api.PetVerdictApi.as_view(), name="api-pet-verdict"),
]

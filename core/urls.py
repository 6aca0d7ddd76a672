from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("uploads/", views.upload_create, name="upload"),
    path("uploads/<uuid:key>/delete/", views.upload_delete, name="upload_delete"),
]

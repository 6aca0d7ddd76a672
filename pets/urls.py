from django.urls import path

from . import views

app_name = "pets"

urlpatterns = [
    path("pets/new/", views.pet_create, name="new"),
    path("pets/<id:pk>/", views.pet_detail, name="detail"),
    path("pets/<id:pk>/edit/", views.pet_edit, name="edit"),
    path("pets/<id:pk>/delete/", views.pet_delete, name="delete"),
    path("pets/<id:pk>/verdict/", views.pet_verdict, name="verdict"),
]

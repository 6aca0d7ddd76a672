from django.urls import path

from . import views

app_name = "pets"

urlpatterns = [
    path("pets/new/", views.pet_create, name="new"),
    path("pets/<int:pk>/", views.pet_detail, name="detail"),
    path("pets/<int:pk>/edit/", views.pet_edit, name="edit"),
    path("pets/<int:pk>/delete/", views.pet_delete, name="delete"),
    path("pets/<int:pk>/verdict/", views.pet_verdict, name="verdict"),
]

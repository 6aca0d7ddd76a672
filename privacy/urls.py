from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("legal/<slug:document>/", views.legal_document, name="legal"),
    path("consent/", views.consent, name="consent"),
    path("delete/", views.account_delete, name="delete"),
    path("deleted/", views.account_deleted, name="deleted"),
    path("data/", views.data, name="data"),
    path("data/export/", views.export_request, name="export_request"),
    path("data/<id:pk>/download/", views.export_download, name="export_download"),
]

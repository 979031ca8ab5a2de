"""Legal aid console URLs. Screens: views.py. Documents and materials files: views_files.py."""

from django.urls import path

from . import views, views_files

app_name = "legalaid"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/private/", views.application_private, name="private"),
    path("<int:pk>/act/<str:action>/", views.application_act, name="act"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("<int:pk>/materials/", views_files.material_upload, name="material_upload"),
    path("<int:pk>/materials/<int:material_id>/", views_files.material_download, name="material_download"),
    path("<int:pk>/documents/<int:document_id>/", views_files.document_download, name="document_download"),
]

"""The mediation API under /api/v1/. Paths have no trailing slash, like the other apps'."""

from django.urls import path

from . import apis

app_name = "mediation_api"

urlpatterns = [
    path("mediation/disputes", apis.DisputeListApi.as_view(), name="disputes"),
    path("mediation/disputes/<int:id>", apis.DisputeDetailApi.as_view(), name="dispute"),
]

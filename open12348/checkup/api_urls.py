"""The checkup API under /api/v1/. Paths have no trailing slash, as the project's other APIs."""

from django.urls import path

from . import apis

app_name = "checkup_api"

urlpatterns = [
    path("checkups/visits", apis.VisitListApi.as_view(), name="visits"),
    path("checkups/visits/<int:id>", apis.VisitDetailApi.as_view(), name="visit"),
]

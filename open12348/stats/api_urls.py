"""The dashboard's figures under /api/v1/stats/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("stats/overview", apis.OverviewApi.as_view(), name="stats-overview"),
    path("stats/quality", apis.QualityApi.as_view(), name="stats-quality"),
    path("stats/legal-aid/townships", apis.TownshipsApi.as_view(), name="stats-townships"),
]

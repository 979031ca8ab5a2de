"""The decision dashboard (数据决策系统), at /dashboard/."""

from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("records/", views.records_view, name="records"),
    path("legal-aid/", views.legal_aid, name="legal_aid"),
    path("network/", views.network, name="network"),
    path("quality/", views.quality, name="quality"),
]

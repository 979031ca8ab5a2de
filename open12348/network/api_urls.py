"""The network's API, included at /api/v1/. Paths have no trailing slash, as published."""

from django.urls import path

from . import apis

app_name = "network"

urlpatterns = [
    path("directory/institutions", apis.InstitutionListApi.as_view(), name="institutions"),
    path("directory/institutions/<int:pk>", apis.InstitutionDetailApi.as_view(), name="institution"),
    path("directory/practitioners", apis.PractitionerListApi.as_view(), name="practitioners"),
    path("directory/practitioners/<int:pk>", apis.PractitionerDetailApi.as_view(), name="practitioner"),
    path("directory/service-points", apis.ServicePointListApi.as_view(), name="service_points"),
    path("directory/service-points/<int:pk>", apis.ServicePointDetailApi.as_view(), name="service_point"),
    path("regions", apis.RegionListApi.as_view(), name="regions"),
]

"""The portal API, included at /api/v1/. Paths have no trailing slash."""

from django.urls import path  # noqa: F401

app_name = "portal_api"

urlpatterns: list = []

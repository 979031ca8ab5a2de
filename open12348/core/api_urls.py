"""The core API, included at /api/v1/. Paths have no trailing slash, as published."""

from django.urls import path

from . import apis

app_name = "core"

urlpatterns = [
    path("calendar/deadline", apis.DeadlineApi.as_view(), name="calendar_deadline"),
]

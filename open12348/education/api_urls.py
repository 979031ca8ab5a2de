"""The education API under /api/v1/."""

from django.urls import path

from . import apis

app_name = "education_api"

urlpatterns = [
    path("education/articles/", apis.ArticleListApi.as_view(), name="articles"),
    path("education/activities/", apis.ActivitySummaryApi.as_view(), name="activities"),
]

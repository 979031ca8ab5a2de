"""Staff screens of legal education and outreach, at /education/."""

from django.urls import path

from . import views

app_name = "education"

urlpatterns = [
    path("", views.articles, name="articles"),
    path("articles/new/", views.article_new, name="article_new"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("articles/<int:pk>/<slug:action>/", views.article_action, name="article_action"),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/report/", views.activity_report, name="activity_report"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/photos/<int:photo_id>/", views.activity_photo, name="activity_photo"),
]

"""Legal education on the public portal, at /portal/learn/."""

from django.urls import path

from . import views_public

app_name = "learn"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("search/", views_public.search_view, name="search"),
    path("a/<int:pk>/", views_public.article, name="article"),
    path("events/", views_public.events, name="events"),
]

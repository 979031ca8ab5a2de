"""Operations endpoints, mounted at the site root by config/urls.py (/metrics, /readyz)."""

from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("metrics", views.metrics, name="metrics"),
    path("readyz", views.readyz, name="readyz"),
]

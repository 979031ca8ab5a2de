"""Case console URLs, included at legal-aid/cases/. Screens: views_cases.py."""

from django.urls import path

from . import views_cases as views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.case_act, name="act"),
    path("assignments/", views.assignment_queue, name="assignments"),
    path("assignments/<int:pk>/", views.assign, name="assign"),
    path("assignments/<int:pk>/lawyers/", views.lawyer_search, name="lawyer_search"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("hearings/", views.hearings, name="hearings"),
    path("subsidies/", views.subsidies, name="subsidies"),
    path("subsidies/export/", views.subsidies_export, name="subsidies_export"),
]

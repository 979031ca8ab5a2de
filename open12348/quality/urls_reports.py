"""Quality reports, profiles and letters (included into the "quality" namespace by urls.py)."""

from django.urls import path

from . import views_reports

urlpatterns: list = [
    path("reports/", views_reports.report, name="report"),
    path("reports/download/", views_reports.report_download, name="report_download"),
    path("profiles/", views_reports.profiles, name="profiles"),
    path("profiles/export/", views_reports.profiles_export, name="profiles_export"),
    path("profiles/lawyers/<int:pk>/", views_reports.lawyer_profile, name="lawyer_profile"),
    path("profiles/institutions/<int:pk>/", views_reports.institution_profile, name="institution_profile"),
    path("letters/<int:pk>/pdf/", views_reports.letter_pdf, name="letter_pdf"),
]

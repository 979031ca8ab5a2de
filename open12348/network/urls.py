"""Network URLs. Public directory: views_public. Staff console: views_console. Imports: views_imports."""

from django.urls import path

from . import views_console, views_imports, views_public

app_name = "network"

urlpatterns = [
    # Public directory (no sign-in).
    path("", views_public.institution_search, name="institutions"),
    path("institutions/<int:pk>/", views_public.institution_detail, name="institution_detail"),
    path("people/", views_public.practitioner_search, name="practitioners"),
    path("people/<int:pk>/", views_public.practitioner_detail, name="practitioner_detail"),
    path("points/", views_public.service_point_search, name="service_points"),
    path("regions/", views_public.region_options, name="region_options"),
    # Staff console.
    path("console/institutions/", views_console.institution_list, name="console_institutions"),
    path("console/institutions/<int:pk>/", views_console.institution_detail, name="console_institution_detail"),
    path("console/people/", views_console.practitioner_list, name="console_practitioners"),
    path("console/people/<int:pk>/", views_console.practitioner_detail, name="console_practitioner_detail"),
    path("console/institutions/new/", views_console.institution_create, name="console_institution_create"),
    path("console/institutions/<int:pk>/edit/", views_console.institution_edit, name="console_institution_edit"),
    path("console/people/new/", views_console.practitioner_create, name="console_practitioner_create"),
    path("console/people/<int:pk>/edit/", views_console.practitioner_edit, name="console_practitioner_edit"),
    # Bulk import and export.
    path("console/imports/", views_imports.import_start, name="console_imports"),
    path("console/imports/<int:job_id>/", views_imports.import_status, name="console_import_status"),
    path("console/export/<str:what>.<str:fmt>", views_imports.export_download, name="console_export"),
]

"""Staff screens of enterprise legal check-ups, at /checkups/."""

from django.urls import path

from . import views

app_name = "checkup"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/workers/", views.worker_add, name="worker_add"),
    path("visits/<int:pk>/workers/<int:worker_pk>/remove/", views.worker_remove, name="worker_remove"),
    path("visits/<int:pk>/workers/<int:worker_pk>/refer/", views.worker_refer, name="worker_refer"),
    path("visits/<int:pk>/report/", views.report_issue, name="report_issue"),
    path("visits/<int:pk>/report.pdf", views.report_download, name="report_pdf"),
    path("visits/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("figures/", views.figures, name="figures"),
    path("figures.xlsx", views.figures_export, name="figures_export"),
]

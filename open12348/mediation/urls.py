"""Staff screens of people's mediation, at /mediation/."""

from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.dispute_list_view, name="list"),
    path("new/", views.dispute_register_view, name="register"),
    path("figures/", views.stats_view, name="stats"),
    path("<int:pk>/", views.dispute_detail_view, name="detail"),
    path("<int:pk>/parties/<int:party_pk>/consent/", views.party_consent_view, name="consent"),
    path("<int:pk>/do/<slug:action>/", views.dispute_action_view, name="action"),
    path("<int:pk>/refer-legal-aid/", views.refer_legal_aid_view, name="refer_legal_aid"),
    path("<int:pk>/agreement.<str:fmt>", views.agreement_document_view, name="agreement_document"),
]

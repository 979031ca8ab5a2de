"""The case quality console (/quality/) and the public library of exemplary cases (/quality/library/)."""

from django.urls import include, path

from . import views

app_name = "quality"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("hearings/<int:hearing_pk>/observe/", views.observe, name="observe"),
    path("observations/<int:pk>/cancel/", views.observation_cancel, name="observation_cancel"),
    path("samples/new/", views.sample_new, name="sample_new"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("samples/<int:pk>/peers/", views.sample_peers, name="sample_peers"),
    path("cases/<int:pk>/", views.case_quality, name="case"),
    path("cases/<int:pk>/check/<slug:method>/", views.case_check, name="case_check"),
    path("cases/<int:pk>/act/<slug:action>/", views.case_act, name="case_act"),
    path("letters/<int:pk>/reply/", views.letter_reply, name="letter_reply"),
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/<int:pk>/", views.ticket, name="ticket"),
    path("schemes/", views.schemes, name="schemes"),
    path("schemes/<slug:code>/", views.scheme, name="scheme"),
    path("schemes/<slug:code>/new/", views.scheme_new, name="scheme_new"),
    path("panels/", views.panels, name="panels"),
    path("panels/<int:pk>/", views.panel, name="panel"),
    path("panels/<int:pk>/propose/", views.panel_propose, name="panel_propose"),
    path("panels/<int:pk>/close/", views.panel_close, name="panel_close"),
    path("panels/<int:pk>/nominations/<int:nomination_pk>/vote/", views.panel_vote, name="panel_vote"),
    path("exemplary/<int:pk>/edit/", views.exemplary_edit, name="exemplary_edit"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/", views.library_case, name="library_case"),
    path("", include("open12348.quality.urls_reports")),
]

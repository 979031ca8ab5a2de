"""Staff screens of front desk, at /front-desk/."""

from django.urls import path

from . import views

app_name = "frontdesk"

urlpatterns = [
    path("", views.home, name="home"),
    path("queue/take/", views.queue_take_view, name="queue_take"),
    path("queue/call/", views.queue_call_view, name="queue_call"),
    path("sync/", views.sync_view, name="sync"),
    path("visit/new/", views.visit_new, name="visit_new"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/referral-letter.pdf", views.referral_letter, name="referral_letter"),
    path("consultations/", views.consultations, name="consultations"),
]

"""Staff screens of remote video consultation, at /video/."""

from django.urls import path

from . import views

app_name = "video"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("new/", views.request_create, name="request"),
    path("queue/", views.queue, name="queue"),
    path("use/", views.utilisation, name="utilisation"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/call/", views.call, name="call"),
    path("<int:pk>/do/<slug:action>/", views.session_action, name="action"),
    path("<int:pk>/invite/new/", views.invite, name="invite"),
    path("<int:pk>/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("<int:pk>/notes/new/", views.note_add, name="note_add"),
    path("<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_id>/", views.material_download, name="material"),
    path("<int:pk>/application/", views.to_application, name="application"),
    path("j/<str:token>/", views.guest_join, name="join"),
]

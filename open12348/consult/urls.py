"""Staff console for online consultation, the Q&A library and rating follow-ups, at /consult/."""

from django.urls import path

from . import views

app_name = "consult"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("q/<int:pk>/", views.question_detail, name="question"),
    path("q/<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("q/<int:pk>/publish/", views.publish, name="publish"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("library/<int:pk>/promote/", views.promote, name="promote"),
    path("followups/", views.followups, name="followups"),
    path("followups/<int:pk>/", views.followup_detail, name="followup"),
]

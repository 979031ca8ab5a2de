"""The consult API, included at /api/v1/. Paths have no trailing slash."""

from django.urls import path

from . import apis

app_name = "consult_api"

urlpatterns = [
    path("consult/questions", apis.QuestionListApi.as_view(), name="questions"),
    path("consult/questions/<int:id>", apis.QuestionDetailApi.as_view(), name="question"),
    path("consult/questions/<int:id>/answer", apis.QuestionAnswerApi.as_view(), name="answer"),
    path("consult/questions/<int:id>/decline", apis.QuestionDeclineApi.as_view(), name="decline"),
    path("consult/library", apis.LibraryListApi.as_view(), name="library"),
    path("consult/follow-ups", apis.FollowUpListApi.as_view(), name="follow_ups"),
    path("consult/follow-ups/<int:id>/close", apis.FollowUpCloseApi.as_view(), name="follow_up_close"),
]

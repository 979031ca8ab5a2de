"""The case quality API, included at /api/v1/. Paths have no trailing slash."""

from django.urls import path

from . import apis

app_name = "quality_api"

urlpatterns = [
    path("quality/samples", apis.SampleListApi.as_view(), name="samples"),
    path("quality/samples/<int:id>", apis.SampleDetailApi.as_view(), name="sample"),
    path("quality/samples/<int:id>/peers", apis.SamplePeersApi.as_view(), name="sample_peers"),
    path("quality/cases/<int:id>/evaluations", apis.CaseEvaluationsApi.as_view(), name="evaluations"),
    path("quality/cases/<int:id>/grade", apis.CaseGradeApi.as_view(), name="grade"),
    path("quality/tickets", apis.TicketListApi.as_view(), name="tickets"),
    path("quality/tickets/<int:id>/close", apis.TicketCloseApi.as_view(), name="ticket_close"),
    path("quality/exemplary-cases", apis.ExemplaryListApi.as_view(), name="exemplary_cases"),
]

"""The case API, included at /api/v1/. Paths have no trailing slash, as published."""

from django.urls import path

from . import apis_cases as apis

app_name = "cases_api"

urlpatterns = [
    path("legal-aid/cases", apis.CaseListApi.as_view(), name="cases"),
    path("legal-aid/cases/<int:id>", apis.CaseDetailApi.as_view(), name="case"),
    *(
        path(f"legal-aid/cases/<int:id>/actions/{view.action}", view.as_view(), name=f"action_{view.action}")
        for view in apis.ACTION_VIEWS
    ),
    path("legal-aid/applications/<int:id>/assign", apis.AssignApi.as_view(), name="assign"),
    path("legal-aid/applications/<int:id>/lawyer-suggestions", apis.LawyerSuggestionsApi.as_view(),
         name="lawyer_suggestions"),
]

"""The legal aid API, included at /api/v1/. Paths have no trailing slash, as published."""

from django.urls import path

from . import apis

app_name = "legalaid"

urlpatterns = [
    path("legal-aid/eligibility-check", apis.EligibilityCheckApi.as_view(), name="eligibility_check"),
    path("legal-aid/applications", apis.ApplicationListApi.as_view(), name="applications"),
    path("legal-aid/applications/<int:id>", apis.ApplicationDetailApi.as_view(), name="application"),
    path("legal-aid/applications/<int:id>/private", apis.ApplicationPrivateApi.as_view(), name="application_private"),
    *(
        path(f"legal-aid/applications/<int:id>/actions/{view.action}", view.as_view(), name=f"action_{view.action}")
        for view in apis.ACTION_VIEWS
    ),
    path("legal-aid/objections/<int:id>/decide", apis.ObjectionDecideApi.as_view(), name="objection_decide"),
]

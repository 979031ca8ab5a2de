"""Part B: the guided legal aid application, its forms, and tracking. Included into the "portal"
namespace by urls.py, so there is no app_name here."""

from django.urls import path, register_converter

from . import views_apply


class FormConverter:
    regex = "application|economic"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter(FormConverter):
    regex = "pdf|docx"


register_converter(FormConverter, "form")
register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("apply/", views_apply.apply, name="apply"),
    path("apply/start/", views_apply.apply_start, name="apply_start"),
    path("apply/forms/<form:form>.<fmt:fmt>", views_apply.form_blank, name="apply_form_blank"),
    path("apply/<uuid:draft_id>/", views_apply.apply_resume, name="apply_resume"),
    path("apply/<uuid:draft_id>/q/<slug:key>/", views_apply.apply_step, name="apply_step"),
    path("apply/<uuid:draft_id>/files/<str:sha256>/remove/", views_apply.apply_upload_remove,
         name="apply_upload_remove"),
    path("apply/<uuid:draft_id>/review/", views_apply.apply_review, name="apply_review"),
    path("apply/<uuid:draft_id>/sent/", views_apply.apply_done, name="apply_done"),
    path("apply/<uuid:draft_id>/forms/<form:form>.<fmt:fmt>", views_apply.form_draft, name="apply_form_draft"),
    path("track/", views_apply.track, name="track"),
    path("track/<int:id>/", views_apply.track_detail, name="track_detail"),
    path("track/<int:id>/forms/<form:form>.<fmt:fmt>", views_apply.track_form, name="track_form"),
    path("track/<int:id>/decision/<int:document_id>/", views_apply.track_decision, name="track_decision"),
]

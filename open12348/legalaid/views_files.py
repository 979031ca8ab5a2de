"""Files of an application in the staff console: uploading materials, downloading materials and documents.

Every read goes through `access_application` (outside the user's area is the same 404 as missing)
and a service that logs the access; every write goes through `materials.py`.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError

from .access import access_application_file
from .choices import MaterialKind
from .documents import document_open, is_assigned_lawyer
from .materials import material_add, material_open, material_receipt, max_bytes, served_content_type
from .services_cases import case_accepts_materials

log = logging.getLogger(__name__)


class MaterialUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of material"), choices=MaterialKind.choices,
                             error_messages={"required": gettext_lazy("Choose what kind of material this is."),
                                             "invalid_choice": gettext_lazy("Choose what kind of material this is.")})
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True,
                           error_messages={"required": gettext_lazy("Choose the file to upload.")})
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def files_context(*, user, application) -> dict:
    """What `legalaid/materials/_panel.html` needs; the detail page merges it into its context."""
    lawyer = is_assigned_lawyer(actor=user, application=application)
    case = getattr(application, "case", None)
    may_upload = (lawyer or user_can(user, Capability.AID_INTAKE)) and (case is None or case_accepts_materials(case))
    return {
        "materials": application.materials.all(),
        "documents": application.documents.all(),
        "upload_form": MaterialUploadForm() if may_upload else None,
        "can_download_materials": lawyer or user_can(user, Capability.AID_PRIVATE),
        "material_max_mb": max_bytes() // (1024 * 1024),
    }


def _raise_for(request, exc: ApplicationError) -> None:
    if exc.status == 404:
        raise Http404 from exc
    if exc.status == 403:
        audit_record(actor=request.user, action="auth.permission_denied", result="denied",
                     extra={"path": request.path[:200], "code": exc.code})
        raise PermissionDenied from exc


def _attachment(fieldfile, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError) as exc:
        log.error("file %s is missing from the store", fieldfile.name)
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def material_upload(request, pk: int):
    """Receive one file; with `action=receipt` (and no file) issue the 材料接收凭证 instead.

    The services decide who may (intake staff, or the lawyer assigned to the case).
    """
    application = access_application_file(user=request.user, id=pk)
    detail = reverse("legalaid:detail", args=[application.pk])
    if request.POST.get("action") == "receipt":
        try:
            material_receipt(actor=request.user, application=application)
        except ApplicationError as exc:
            _raise_for(request, exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The receipt for the materials has been issued."))
        return redirect(detail)

    form = MaterialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}" if field in form.fields else error)
        return redirect(detail)
    try:
        material = material_add(actor=request.user, application=application, kind=form.cleaned_data["kind"],
                                upload=form.cleaned_data["file"], note=form.cleaned_data["note"])
    except ApplicationError as exc:
        _raise_for(request, exc)
        label = form.fields[exc.field].label if exc.field in form.fields else ""
        messages.error(request, f"{label}: {exc.message}" if label else exc.message)
    else:
        messages.success(request, _("“%(name)s” has been received.") % {"name": material.original_name})
    return redirect(detail)


@require_GET
@login_required
def material_download(request, pk: int, material_id: int):
    application = access_application_file(user=request.user, id=pk)
    try:
        material = material_open(actor=request.user, application=application, material_id=material_id)
    except ApplicationError as exc:
        _raise_for(request, exc)
        raise
    return _attachment(material.file, filename=material.original_name, content_type=served_content_type(material))


@require_GET
@login_required
def document_download(request, pk: int, document_id: int):
    application = access_application_file(user=request.user, id=pk)
    try:
        document = document_open(actor=request.user, application=application, document_id=document_id)
    except ApplicationError as exc:
        _raise_for(request, exc)
        raise
    filename = f"{document.title}-{application.number}.pdf"
    return _attachment(document.file, filename=filename, content_type="application/pdf")

"""Staff console: bulk import (as a background job) and export of institutions and practitioners."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from open12348.accounts.permissions import require_capability
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.jobs import enqueue

from .exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_lines,
    error_report_xlsx,
    export_queryset,
    export_record,
    export_rows,
    template_xlsx,
    xlsx_bytes,
)
from .forms_imports import ENTITY_CHOICES, ExportFilterForm, ImportUploadForm
from .imports import ENTITIES, INSTITUTIONS, access_import_job, import_job_create, import_jobs_of
from .tasks import import_run_task

FORMATS = ("xlsx", "csv")
TEMPLATE_PREFIX = "template-"
ERRORS_SHOWN_ON_PAGE = 500
DEFAULT_EXAMPLE_REGION = "410402"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_capability(Capability.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def import_start(request):
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = import_job_create(
                actor=request.user,
                entity=form.cleaned_data["entity"],
                filename=form.cleaned_data["file"].name,
                data=form.cleaned_data["data"],
                fmt=form.cleaned_data["format"],
                language=translation.get_language() or "",
            )
            enqueue(import_run_task, job.id)
            return redirect("network:console_import_status", job_id=job.id)
    else:
        entity = request.GET.get("entity")
        form = ImportUploadForm(initial={"entity": entity if entity in ENTITIES else INSTITUTIONS})
    exports = [
        {"entity": value, "label": label, "form": ExportFilterForm(entity=value, auto_id=f"export_{value}_%s")}
        for value, label in ENTITY_CHOICES
    ]
    return render(request, "network/console/imports.html", {
        "form": form,
        "exports": exports,
        "jobs": import_jobs_of(user=request.user)[:10],
    })


@require_capability(Capability.NETWORK_MANAGE)
@require_GET
def import_status(request, job_id: int):
    """The job's page; htmx polls it for the progress panel. `?download=errors|input` fetches files."""
    job = access_import_job(user=request.user, id=job_id)
    download = request.GET.get("download")
    if download == "errors":
        if not job.result.get("errors"):
            raise Http404
        return _attachment(HttpResponse(error_report_xlsx(job=job), content_type=XLSX_CONTENT_TYPE),
                           f"import-{job.pk}-problems.xlsx")
    if download == "input":
        if not job.input_file:
            raise Http404
        audit_record(actor=request.user, action="network.import.input_download", obj=job)
        return FileResponse(job.input_file.open("rb"), as_attachment=True,
                            filename=job.params.get("filename") or f"import-{job.pk}.{job.params.get('format', 'xlsx')}")
    errors = job.result.get("errors", [])
    context = {
        "job": job,
        "entity_label": dict(ENTITY_CHOICES).get(job.params.get("entity"), ""),
        "errors": errors[:ERRORS_SHOWN_ON_PAGE],
        "error_count": job.result.get("error_count", len(errors)),
        "errors_cut": len(errors) > ERRORS_SHOWN_ON_PAGE,
    }
    if request.headers.get("HX-Request"):
        return render(request, "network/console/_import_progress.html", context)
    return render(request, "network/console/import_status.html", context)


@require_capability(Capability.NETWORK_MANAGE)
@require_GET
def export_download(request, what: str, fmt: str):
    """`institutions.csv`, `practitioners.xlsx`, … or a blank `template-institutions.xlsx`."""
    if fmt not in FORMATS:
        raise Http404
    if what.startswith(TEMPLATE_PREFIX):
        entity = what.removeprefix(TEMPLATE_PREFIX)
        if entity not in ENTITIES or fmt != "xlsx":
            raise Http404
        content = template_xlsx(entity=entity, region_code=_example_region(request.user))
        return _attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), f"template-{entity}.xlsx")
    if what not in ENTITIES:
        raise Http404
    form = ExportFilterForm(request.GET, entity=what)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The export filters are not valid."))
    filters = form.cleaned_data
    queryset = export_queryset(entity=what, user=request.user, filters=filters)
    export_record(actor=request.user, entity=what, fmt=fmt, filters=filters, count=queryset.count())
    filename = f"{what}-{timezone.localdate():%Y%m%d}.{fmt}"
    rows = export_rows(entity=what, queryset=queryset)
    if fmt == "csv":
        return _attachment(StreamingHttpResponse(csv_lines(rows), content_type=CSV_CONTENT_TYPE), filename)
    return _attachment(HttpResponse(xlsx_bytes([(what, rows)]), content_type=XLSX_CONTENT_TYPE), filename)


def _example_region(user) -> str:
    paths = region_paths_for(user)
    return paths[0].rstrip("/").rsplit("/", 1)[-1] if paths else DEFAULT_EXAMPLE_REGION

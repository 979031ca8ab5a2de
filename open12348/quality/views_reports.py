"""Console screens for quality reports, profiles and the opinion letter PDF.

The figures come from reports.py (read-only, region-scoped selectors) and are rendered by
documents.py; these views only parse the request, map a selector's refusal to 403/404, audit
every file that leaves the system, and answer. The small forms live here because only these
views use them.
"""

from __future__ import annotations

import datetime as dt
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from open12348.accounts.permissions import require_any_capability, require_capability
from open12348.accounts.roles import Capability
from open12348.accounts.scope import restrict_to_regions
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.legalaid.forms import StyledForm
from open12348.legalaid.selectors_cases import ASSIGNABLE_KINDS
from open12348.network.models import Institution, Practitioner
from open12348.network.selectors import institution_list_visible_to, practitioner_list_visible_to

from . import documents, reports
from .models import OpinionLetter

STAFF = reports.STAFF_CAPABILITIES
SEARCH_LIMIT = 30
PROFILE_YEARS = 8  # how many past years the annual export offers
FORMATS = (("pdf", "PDF"), ("xlsx", "Excel"))
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _http_error(exc: ApplicationError) -> Exception:
    """A selector's refusal as HTTP: "not yours" is the same 404 as "missing"."""
    return Http404() if exc.status == 404 else PermissionDenied()


def _file(data: bytes, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


# --- the centre's quality report ---------------------------------------------------------------

def previous_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    this_quarter = dt.date(today.year, first_month, 1)
    end = this_quarter - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end


class ReportForm(StyledForm):
    centre = forms.TypedChoiceField(label=_("Legal aid centre"), coerce=int,
                                    error_messages={"required": _("Choose the legal aid centre."),
                                                    "invalid_choice": _("Choose one of the legal aid centres listed.")})
    start = forms.DateField(label=_("From"), widget=_DATE,
                            error_messages={"required": _("Enter the first day of the period."),
                                            "invalid": _("Enter the date as YYYY-MM-DD.")})
    end = forms.DateField(label=_("Until"), widget=_DATE,
                          error_messages={"required": _("Enter the last day of the period."),
                                          "invalid": _("Enter the date as YYYY-MM-DD.")})

    def __init__(self, *args, centres, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.centres = {centre.pk: centre for centre in centres}
        self.fields["centre"].choices = [(pk, centre.name) for pk, centre in self.centres.items()]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def query(self) -> str:
        data = self.cleaned_data
        return urlencode({"centre": data["centre"], "start": data["start"].isoformat(), "end": data["end"].isoformat()})


class ReportDownloadForm(ReportForm):
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS,
                               error_messages={"required": _("Choose PDF or Excel."),
                                               "invalid_choice": _("Choose PDF or Excel.")})


def _report_form(request: HttpRequest, form_class=ReportForm, *, bound: bool = False) -> ReportForm:
    """The form over the user's visible centres; unless asked, an empty query shows it blank with the
    previous quarter and the user's own centre. A centre outside the user's area is a 404, as if it
    did not exist."""
    centres = list(reports.centres_visible_to(user=request.user))
    if not request.GET and not bound:
        start, end = previous_quarter(timezone.localdate())
        mine = set(request.user.memberships.filter(is_active=True).values_list("institution_id", flat=True))
        own = [c.pk for c in centres if c.pk in mine] or [c.pk for c in centres]
        return form_class(initial={"start": start, "end": end, "centre": own[0] if own else None}, centres=centres)
    requested = request.GET.get("centre", "")
    if requested.isdigit() and int(requested) not in {c.pk for c in centres}:
        raise Http404
    return form_class(request.GET, centres=centres)


def _report(request: HttpRequest, form: ReportForm) -> reports.QualityReport:
    data = form.cleaned_data
    try:
        return reports.quality_report(user=request.user, centre=form.centres[data["centre"]], start=data["start"],
                                      end=data["end"])
    except ApplicationError as exc:
        raise _http_error(exc) from exc


@never_cache
@require_GET
@require_any_capability(*STAFF)
def report(request: HttpRequest) -> HttpResponse:
    """The report form and, once it is filled in, the report as a page with its PDF and Excel links."""
    form = _report_form(request)
    context = {"form": form, "report": None}
    if form.is_bound and form.is_valid():
        result = _report(request, form)
        context.update(report=result, tables=documents.report_tables(result), query=form.query())
    return render(request, "quality/reports/report.html", context, status=400 if form.errors else 200)


@never_cache
@require_GET
@require_any_capability(*STAFF)
def report_download(request: HttpRequest) -> HttpResponse:
    form = _report_form(request, ReportDownloadForm, bound=True)
    if not form.is_valid():
        return render(request, "quality/reports/report.html", {"form": form, "report": None}, status=400)
    result = _report(request, form)
    fmt = form.cleaned_data["format"]
    data = documents.report_pdf(result) if fmt == "pdf" else documents.report_xlsx(result)
    audit_record(actor=request.user, action="quality.report_export", obj=result.centre,
                 extra={"format": fmt, "start": result.start, "end": result.end, "bytes": len(data)})
    filename = f"quality-report-{result.centre.pk}-{result.start:%Y%m%d}-{result.end:%Y%m%d}.{fmt}"
    content_type = documents.PDF_CONTENT_TYPE if fmt == "pdf" else documents.XLSX_CONTENT_TYPE
    return _file(data, filename=filename, content_type=content_type)


# --- quality profiles ----------------------------------------------------------------------------

class ProfileSearchForm(StyledForm):
    q = forms.CharField(label=_("Name, pinyin or initials"), required=False, max_length=50)


def _years(today: dt.date) -> list[tuple[int, str]]:
    return [(year, str(year)) for year in range(today.year, today.year - PROFILE_YEARS, -1)]


class ProfileExportForm(StyledForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int,
                                  error_messages={"required": _("Choose the year."),
                                                  "invalid_choice": _("Choose one of the years listed.")})
    kind = forms.ChoiceField(label=_("Who"), choices=((reports.LAWYER, _("Lawyers")),
                                                      (reports.INSTITUTION, _("Law firms and other institutions"))),
                             error_messages={"required": _("Choose lawyers or institutions."),
                                             "invalid_choice": _("Choose lawyers or institutions.")})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years(timezone.localdate())


@never_cache
@require_GET
@require_any_capability(*STAFF, Capability.CASE_HANDLE)
def profiles(request: HttpRequest) -> HttpResponse:
    """Find a lawyer or a firm by name. A lawyer finds only themselves."""
    staff = reports.is_report_reader(request.user)
    search = ProfileSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    lawyers: list[Practitioner] = []
    institutions: list[Institution] = []
    if staff and q:
        lawyers = list(practitioner_list_visible_to(user=request.user, filters={"q": q})
                       .filter(kind__in=ASSIGNABLE_KINDS)[:SEARCH_LIMIT])
        institutions = list(institution_list_visible_to(user=request.user, filters={"q": q})
                            .filter(kind__in=reports.PROFILED_INSTITUTIONS)[:SEARCH_LIMIT])
    elif not staff:
        lawyers = list(Practitioner.objects.filter(user=request.user).select_related("institution"))
    today = timezone.localdate()
    export = ProfileExportForm(initial={"year": today.year - 1, "kind": reports.LAWYER}) if staff else None
    return render(request, "quality/reports/profiles.html", {
        "search": search, "q": q, "staff": staff, "lawyers": lawyers, "institutions": institutions,
        "export": export, "limit": SEARCH_LIMIT,
    })


def _profile_page(request: HttpRequest, profile: reports.QualityProfile) -> HttpResponse:
    return render(request, "quality/reports/profile.html", {
        "profile": profile, "table": documents.profile_table(profile), "staff": reports.is_report_reader(request.user),
    })


@never_cache
@require_GET
@require_any_capability(*STAFF, Capability.CASE_HANDLE)
def lawyer_profile(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner = Practitioner.objects.select_related("institution", "region").filter(pk=pk).first()
    if practitioner is None:
        raise Http404
    try:
        profile = reports.lawyer_quality_profile(user=request.user, practitioner=practitioner)
    except ApplicationError as exc:
        raise _http_error(exc) from exc
    return _profile_page(request, profile)


@never_cache
@require_GET
@require_any_capability(*STAFF, Capability.CASE_HANDLE)
def institution_profile(request: HttpRequest, pk: int) -> HttpResponse:
    institution = Institution.objects.select_related("region").filter(pk=pk).first()
    if institution is None:
        raise Http404
    try:
        profile = reports.institution_quality_profile(user=request.user, institution=institution)
    except ApplicationError as exc:
        raise _http_error(exc) from exc
    return _profile_page(request, profile)


@never_cache
@require_GET
@require_any_capability(*STAFF)
def profiles_export(request: HttpRequest) -> HttpResponse:
    """The year's profiles of every lawyer (or institution) with legal aid cases in the user's region,
    as one sheet, for the bar association's annual review (Art. 60)."""
    form = ProfileExportForm(request.GET)
    if not form.is_valid():
        return render(request, "quality/reports/profiles.html", {
            "search": ProfileSearchForm(), "q": "", "staff": True, "lawyers": [], "institutions": [],
            "export": form, "limit": SEARCH_LIMIT}, status=400)
    year, kind = form.cleaned_data["year"], form.cleaned_data["kind"]
    rows = reports.profile_list(user=request.user, kind=kind, year=year)
    data = documents.profiles_xlsx(rows, kind=kind, year=year)
    audit_record(actor=request.user, action="quality.profiles_export", object_type=f"quality.{kind}_profile",
                 extra={"year": year, "kind": kind, "rows": len(rows), "format": "xlsx"})
    return _file(data, filename=f"quality-profiles-{kind}-{year}.xlsx", content_type=documents.XLSX_CONTENT_TYPE)


# --- the opinion letter --------------------------------------------------------------------------

@never_cache
@require_GET
@require_capability(Capability.QUALITY_EVALUATE)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = (restrict_to_regions(OpinionLetter.objects.all(), user=request.user, region_field="case__region")
              .select_related("case__centre", "case__lawyer", "case__institution", "case__application__applicant")
              .filter(pk=pk).first())
    if letter is None:
        raise Http404
    data = documents.letter_pdf(letter)
    audit_record(actor=request.user, action="quality.letter_download", obj=letter,
                 extra={"case": letter.case_id, "organ": letter.organ})
    return _file(data, filename=documents.letter_filename(letter), content_type=documents.PDF_CONTENT_TYPE)

"""The check-up screens: campaigns, a campaign's visits, the visit form (a check-list that works on a
tablet), a visit's page with its workers, report and follow-up, and the figures with their Excel file.

Every write goes through services.py; records are loaded through access.py, so a visit outside the
user's region is the same 404 as a missing one. A refused action is audited and answered with 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from open12348.accounts.permissions import require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_id_number, mask_phone
from open12348.core.pagination import paginate_in_two_steps
from open12348.legalaid.services import centre_in_reach

from . import documents, selectors, services, workflow
from .access import access_campaign, access_visit, access_worker
from .choices import WAGE_PROBLEMS, CheckupVisitStatus, ProblemKind
from .forms import (
    CampaignForm,
    FiguresFilterForm,
    FollowUpForm,
    ReportForm,
    VisitForm,
    WorkerForm,
    put_service_error,
)

RECORD = Capability.CHECKUP_RECORD
PAGE_SIZE = 25
record_required = require_capability(RECORD)


def _deny(request: HttpRequest, *, obj=None, attempted: str = "") -> None:
    audit_record(actor=request.user, action="auth.permission_denied", obj=obj, result="denied",
                 extra={"capability": RECORD, "attempted": attempted, "path": request.path[:200]})
    raise PermissionDenied


def _call(request: HttpRequest, form: forms.Form | None, run: Callable[[], Any], *, attempted: str,
          obj=None) -> tuple[int, Any]:
    """Run a service: (200, result), or the refusal on the form (or as a message) and its status."""
    try:
        return 200, run()
    except ApplicationError as exc:
        if exc.status == 403:
            _deny(request, obj=obj, attempted=attempted)
        if exc.status == 404:
            raise Http404 from exc
        if form is not None:
            put_service_error(form, exc)
        else:
            messages.error(request, str(exc.message))
        return exc.status, None


# --- campaigns -----------------------------------------------------------------------------------

@never_cache
@record_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "checkup/list.html", {"campaigns": selectors.campaign_list(request.user)})


@never_cache
@record_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        status, campaign = _call(request, form, lambda: services.campaign_create(actor=request.user,
                                                                                 **form.cleaned_data),
                                 attempted="checkup.campaign.create")
        if campaign is not None:
            messages.success(request, _("The campaign has been created."))
            return redirect("checkup:campaign", pk=campaign.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "checkup/campaign_new.html", {"form": form}, status=status)


@never_cache
@record_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(user=request.user, id=pk)
    status = request.GET.get("status", "")
    if status not in CheckupVisitStatus.values:
        status = ""
    query = request.GET.get("q", "").strip()[:60]
    visits = selectors.visit_list(request.user, campaign=campaign, status=status, query=query)
    page = paginate_in_two_steps(visits, number=request.GET.get("page"), per_page=PAGE_SIZE)
    figures = selectors.checkup_figures(request.user, campaign=campaign)
    return render(request, "checkup/campaign.html", {
        "campaign": campaign, "page": page, "visits": page.object_list, "figures": figures, "status": status,
        "statuses": CheckupVisitStatus.choices, "q": query,
        "query": urlencode({k: v for k, v in (("status", status), ("q", query)) if v}),
        "progress": min(100, round(100 * figures.total.enterprises_visited / campaign.goal_enterprises))
        if campaign.goal_enterprises else None,
    })


# --- the visit form ------------------------------------------------------------------------------

def _visit_form_page(request: HttpRequest, *, campaign, visit=None) -> HttpResponse:
    initial = VisitForm.initial_for(visit) if visit else {}
    form = VisitForm(request.POST or None, user=request.user, campaign=campaign, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            status, saved = _call(request, form, lambda: services.visit_save(
                actor=request.user, campaign=campaign, visit=visit, enterprise=form.enterprise(),
                planned_on=data["planned_on"], visited_on=data["visited_on"],
                workers_interviewed=data["workers_interviewed"], findings=form.findings(), opinion=data["opinion"],
                recommendations=data["recommendations"], team_users=data["team_users"],
                team_practitioners=data["team_practitioners"]), attempted="checkup.visit.save", obj=visit)
            if saved is not None:
                messages.success(request, _("The check-up has been saved."))
                return redirect("checkup:visit", pk=saved.pk)
        else:
            status = 400
    return render(request, "checkup/visit_form.html", {"form": form, "campaign": campaign, "visit": visit},
                  status=status)


@never_cache
@record_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_form_page(request, campaign=access_campaign(user=request.user, id=pk))


@never_cache
@record_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(user=request.user, id=pk)
    if visit.status not in workflow.EDITABLE:
        messages.error(request, _("The report has been issued: the check-up can no longer be changed."))
        return redirect("checkup:visit", pk=visit.pk)
    return _visit_form_page(request, campaign=visit.campaign, visit=visit)


# --- the visit's page ----------------------------------------------------------------------------

def _can_refer(user, visit) -> bool:
    """Whether the user may register the worker's application with the county's legal aid centre
    (intake, and the centre within their area: a township's staff ask the centre to do it)."""
    if not user_can(user, Capability.AID_INTAKE):
        return False
    centre = services.centre_for_visit(visit)
    return centre is not None and centre_in_reach(actor=user, centre=centre)


def _visit_page(request: HttpRequest, visit, *, worker_form=None, report_form=None, follow_up_form=None,
                status: int = 200) -> HttpResponse:
    labels = dict(ProblemKind.choices)
    workers = list(visit.workers.select_related("application").order_by("id"))
    for w in workers:
        w.phone_masked, w.id_masked = mask_phone(w.phone), mask_id_number(w.id_number)
        w.problem_labels = [labels[p] for p in w.problems if p in labels]
        w.referrable = (not w.application_id and bool(WAGE_PROBLEMS.intersection(w.problems))
                        and visit.status in workflow.REFERRABLE)
    today = timezone.localdate()
    timeline = list(visit.timeline.select_related("actor").order_by("at", "id"))
    for event in timeline:
        event.label = services.EVENT_LABELS.get(event.kind, event.kind)
    audit_record(actor=request.user, action="checkup.visit.view", obj=visit)
    return render(request, "checkup/visit.html", {
        "visit": visit, "campaign": visit.campaign, "enterprise": visit.enterprise,
        "contact_phone": mask_phone(visit.enterprise.contact_phone),
        "findings": visit.findings.order_by("id"), "workers": workers,
        "team_users": visit.team_users.all(), "team_practitioners": visit.team_practitioners.select_related(
            "institution"),
        "timeline": timeline,
        "editable": visit.status in workflow.EDITABLE,
        "can_refer": _can_refer(request.user, visit),
        "worker_form": worker_form or WorkerForm(),
        "report_form": report_form or ReportForm.for_today(today),
        "follow_up_form": follow_up_form or FollowUpForm(initial={"followed_up_on": today}),
    }, status=status)


@never_cache
@record_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_page(request, access_visit(user=request.user, id=pk))


@record_required
@require_POST
def worker_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(user=request.user, id=pk)
    form = WorkerForm(request.POST)
    status = 400
    if form.is_valid():
        status, worker = _call(request, form, lambda: services.worker_add(actor=request.user, visit=visit,
                                                                          **form.cleaned_data),
                               attempted="checkup.worker.create", obj=visit)
        if worker is not None:
            messages.success(request, _("The worker has been recorded."))
            return redirect("checkup:visit", pk=visit.pk)
    return _visit_page(request, visit, worker_form=form, status=status)


@record_required
@require_POST
def worker_remove(request: HttpRequest, pk: int, worker_pk: int) -> HttpResponse:
    visit = access_visit(user=request.user, id=pk)
    worker = access_worker(user=request.user, visit=visit, id=worker_pk)
    status, _done = _call(request, None, lambda: services.worker_remove(actor=request.user, worker=worker),
                          attempted="checkup.worker.delete", obj=visit)
    if status == 200:
        messages.success(request, _("The worker's name has been removed from the record."))
    return redirect("checkup:visit", pk=visit.pk)


@record_required
@require_POST
def worker_refer(request: HttpRequest, pk: int, worker_pk: int) -> HttpResponse:
    visit = access_visit(user=request.user, id=pk)
    worker = access_worker(user=request.user, visit=visit, id=worker_pk)
    status, application = _call(request, None, lambda: services.worker_refer(actor=request.user, worker=worker),
                                attempted="checkup.worker.refer", obj=visit)
    if application is not None:
        messages.success(request, _("Legal aid application %(number)s has been registered with %(centre)s.")
                         % {"number": application.number, "centre": application.centre.name})
    return redirect("checkup:visit", pk=visit.pk)


@record_required
@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(user=request.user, id=pk)
    form = ReportForm(request.POST)
    status = 400
    if form.is_valid():
        status, done = _call(request, form, lambda: services.report_issue(actor=request.user, visit=visit,
                                                                          **form.cleaned_data),
                             attempted="checkup.visit.report_issue", obj=visit)
        if done is not None:
            messages.success(request, _("The check-up report has been issued."))
            return redirect("checkup:visit", pk=visit.pk)
    return _visit_page(request, visit, report_form=form, status=status)


@record_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(user=request.user, id=pk)
    form = FollowUpForm(request.POST)
    status = 400
    if form.is_valid():
        status, done = _call(request, form, lambda: services.follow_up_record(
            actor=request.user, visit=visit, followed_up_on=form.cleaned_data["followed_up_on"],
            result=form.cleaned_data["result"], note=form.cleaned_data["note"]),
            attempted="checkup.visit.follow_up", obj=visit)
        if done is not None:
            messages.success(request, _("The follow-up visit has been recorded."))
            return redirect("checkup:visit", pk=visit.pk)
    return _visit_page(request, visit, follow_up_form=form, status=status)


@record_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(user=request.user, id=pk)
    if not visit.report_issued_on:
        raise Http404
    data = documents.report_pdf(visit)
    audit_record(actor=request.user, action="checkup.visit.report_download", obj=visit,
                 extra={"number": visit.report_number})
    response = HttpResponse(data, content_type=documents.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{documents.report_filename(visit)}"'
    return response


# --- figures -------------------------------------------------------------------------------------

def _figures(request: HttpRequest):
    form = FiguresFilterForm(request.GET or None, campaigns=selectors.campaigns_for(request.user),
                             counties=selectors.counties_for(request.user))
    return form, selectors.checkup_figures(request.user, **form.values())


@never_cache
@record_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    form, result = _figures(request)
    problems = [(label, result.total.problems.get(kind, 0), result.total.workers_affected.get(kind, 0))
                for kind, label in ProblemKind.choices]
    return render(request, "checkup/figures.html", {
        "form": form, "figures": result, "problems": problems, "headers": documents.figures_headers(),
        "rows": [documents.figures_values(r) for r in result.by_county],
        "total": [_("Total"), *documents.figures_values(result.total)[1:]],
        "export_query": request.GET.urlencode(),
    })


@record_required
@require_GET
def figures_export(request: HttpRequest) -> HttpResponse:
    _form, result = _figures(request)
    audit_record(actor=request.user, action="checkup.figures.export", object_type="checkup.figures",
                 extra={"filters": dict(request.GET.items())})
    response = HttpResponse(documents.figures_xlsx(result), content_type=documents.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="checkup-figures.xlsx"'
    return response

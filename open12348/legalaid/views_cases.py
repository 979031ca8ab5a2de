"""The case console: the centre assigns lawyers, the lawyer works the case, the centre reviews the
closing file and pays the subsidy; plus the deadline board, the hearing calendar and the monthly
subsidy list with its Excel export.

Every write goes through services_cases.py (capability, transition table, expected version,
CaseEvent and audit row); these views only translate between HTTP and services. Cases are loaded
through selectors_cases.access_case, so a lawyer opening another lawyer's case gets the same 404
as for a case that does not exist.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from open12348.accounts.permissions import require_any_capability, require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import restrict_to_regions
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.masking import mask_phone
from open12348.core.pagination import paginate_in_two_steps
from open12348.network.selectors import practitioner_list_visible_to

from . import selectors_cases, services_cases, workflow
from .access import access_application
from .choices import CaseStatus, DeadlineKind, ObjectionKind, ObjectionStatus, ProgressKind
from .forms import ActionForm, StyledForm, apply_application_error
from .forms_cases import (
    ArchiveReviewForm,
    AssignForm,
    BeginForm,
    CaseFilterForm,
    CloseForm,
    HearingPeriodForm,
    LawyerSearchForm,
    MonthForm,
    PaySubsidyForm,
    ProgressForm,
    ReassignForm,
    ResubmitForm,
    SignAgreementForm,
    TerminateForm,
    TerminationObjectionDecideForm,
    TerminationObjectionForm,
)
from .models import Application, Case, CaseEvent, ClosingReport, Objection, ProgressEntry, Subsidy
from .selectors_cases import ASSIGNABLE_KINDS
from .views import _deadline, _is_htmx, _matter_label
from .views_files import files_context

PAGE_SIZE = 20
SEARCH_RESULTS = 15
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

C = CaseStatus
STATUS_BADGES = {
    C.ASSIGNED: "text-bg-primary",
    C.AGREEMENT_SIGNED: "text-bg-info",
    C.IN_PROGRESS: "text-bg-info",
    C.CLOSED: "text-bg-warning",
    C.RETURNED: "text-bg-danger",
    C.ARCHIVED: "text-bg-success",
    C.SUBSIDY_PAID: "text-bg-success",
    C.EVALUATED: "text-bg-secondary",
    C.TERMINATED: "text-bg-dark",
    C.TERMINATION_OBJECTION: "text-bg-warning",
}

EVENT_LABELS = {
    "assigned": gettext_lazy("Lawyer assigned"),
    "reassigned": gettext_lazy("Lawyer replaced (Art. 55)"),
    "agreement_signed": gettext_lazy("Agreement and power of attorney signed"),
    "begun": gettext_lazy("Work on the case begun"),
    "progress": gettext_lazy("Progress recorded"),
    "closed": gettext_lazy("Closing file submitted"),
    "archive_returned": gettext_lazy("Closing file returned for correction"),
    "resubmitted": gettext_lazy("Closing file submitted again"),
    "archived": gettext_lazy("Archive review passed: archived"),
    "subsidy_paid": gettext_lazy("Subsidy paid"),
    "terminated": gettext_lazy("Legal aid terminated (Art. 48)"),
    "termination_objection_filed": gettext_lazy("Objection to the termination filed (Art. 49)"),
    "termination_upheld": gettext_lazy("Objection decided: termination upheld"),
    "termination_corrected": gettext_lazy("Objection decided: legal aid continues"),
    "evaluated": gettext_lazy("Quality evaluated"),
}

DEADLINE_COLUMNS = (
    ("overdue", gettext_lazy("Overdue")),
    ("due_today", gettext_lazy("Due today")),
    ("due_soon", gettext_lazy("Due in the next 3 days")),
)


# --- permissions ---------------------------------------------------------------------------

def _deny(request: HttpRequest, *, capability: str, obj=None, attempted: str = "") -> None:
    audit_record(actor=request.user, action="auth.permission_denied", obj=obj, result="denied",
                 extra={"capability": capability, "attempted": attempted, "path": request.path[:200]})
    raise PermissionDenied


def _is_assigned_lawyer(user, case: Case) -> bool:
    return user.is_authenticated and case.lawyer_user_id is not None and case.lawyer_user_id == user.pk


# --- deadlines as the templates show them --------------------------------------------------

def _case_deadlines(case: Case, *, today: dt.date) -> list[dict[str, Any]]:
    """The clock running for the case's current status (the same one the list sorts on)."""
    kind, column = selectors_cases.DEADLINE_OF_STATUS.get(case.status, (None, None))
    if kind is None:
        return []
    deadline = _deadline(getattr(case, column), today=today, label=DeadlineKind(kind).label)
    return [deadline] if deadline else []


# --- 1. assignment -------------------------------------------------------------------------

def awaiting_assignment(*, user) -> QuerySet[Application]:
    """Granted or notified applications in the user's area that have no case yet: priority first,
    then the nearest assignment deadline."""
    qs = Application.objects.filter(status__in=workflow.AWAITING_ASSIGNMENT, case__isnull=True)
    return (restrict_to_regions(qs, user=user).select_related("applicant", "centre")
            .order_by("-priority", F("assignment_due").asc(nulls_last=True), "received_at", "id"))


@never_cache
@require_GET
@require_capability(Capability.AID_ASSIGN)
def assignment_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(awaiting_assignment(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"obj": a, "matter_label": _matter_label(a.matter),
             "deadline": _deadline(a.assignment_due, today=today, complete=a.calendar_complete)}
            for a in page.object_list]
    return render(request, "legalaid/cases/assignment_queue.html", {"page": page, "rows": rows})


def _awaiting(*, user, pk: int) -> Application:
    """An application of the user's area that still waits for a lawyer; anything else is a 404."""
    application = access_application(user=user, id=pk)
    if application.status not in workflow.AWAITING_ASSIGNMENT:
        raise Http404
    return application


def _lawyer_search(*, user, q: str) -> list:
    q = (q or "").strip()
    if not q:
        return []
    qs = practitioner_list_visible_to(user=user, filters={"q": q}).filter(kind__in=ASSIGNABLE_KINDS)
    return list(qs[:SEARCH_RESULTS])


def _render_assign(request: HttpRequest, application: Application, *, form: AssignForm | None = None,
                   chosen_conflicts: list | None = None, status: int = 200) -> HttpResponse:
    suggestions = selectors_cases.lawyer_suggestions(application=application)
    suggested_ids = [s.lawyer.pk for s in suggestions]
    if form is None:
        form = AssignForm(user=request.user, suggested=suggested_ids, initial={"version": application.version},
                          auto_id="id_assign_%s")
    search = LawyerSearchForm(request.GET or None)
    found = _lawyer_search(user=request.user, q=request.GET.get("q", ""))
    chosen = form["lawyer"].value()
    today = timezone.localdate()
    return render(request, "legalaid/cases/assign.html", {
        "application": application,
        "matter_label": _matter_label(application.matter),
        "deadline": _deadline(application.assignment_due, today=today, complete=application.calendar_complete),
        "suggestions": suggestions,
        "any_conflict": any(s.conflicts for s in suggestions) or bool(chosen_conflicts),
        "chosen_conflicts": chosen_conflicts,
        "found": [p for p in found if p.pk not in suggested_ids],
        "search": search,
        "form": form,
        "chosen": str(chosen or ""),
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.AID_ASSIGN)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _awaiting(user=request.user, pk=pk)
    existing = Case.objects.filter(application=application).only("pk").first()
    if existing is not None:
        messages.info(request, _("A lawyer has already been assigned to this application."))
        return redirect("cases:detail", pk=existing.pk)
    if request.method == "GET":
        return _render_assign(request, application)

    suggested = [s.lawyer.pk for s in selectors_cases.lawyer_suggestions(application=application)]
    form = AssignForm(request.POST, user=request.user, suggested=suggested, auto_id="id_assign_%s")
    if not form.is_valid():
        return _render_assign(request, application, form=form, status=400)
    lawyer = form.cleaned_data["lawyer"]
    try:
        case = services_cases.case_assign(actor=request.user, application=application,
                                          expected_version=form.cleaned_data["version"], **form.service_kwargs())
    except ConflictError as exc:
        messages.error(request, str(exc.message))
        existing = Case.objects.filter(application=application).only("pk").first()
        if existing is not None:  # another dispatcher won: show what they did
            return redirect("cases:detail", pk=existing.pk)
        application = _awaiting(user=request.user, pk=pk)
        retry = AssignForm(user=request.user, suggested=suggested, auto_id="id_assign_%s",
                           initial={**{n: form.data.get(n) for n in form.fields}, "version": application.version})
        return _render_assign(request, application, form=retry, status=409,
                              chosen_conflicts=selectors_cases.conflict_check(application=application, lawyer=lawyer))
    except ApplicationError as exc:
        if exc.status == 403:
            _deny(request, capability=Capability.AID_ASSIGN, obj=application, attempted="legalaid.case.assign")
        if exc.status == 404:
            raise Http404 from exc
        apply_application_error(form, exc)
        return _render_assign(request, application, form=form, status=400,
                              chosen_conflicts=selectors_cases.conflict_check(application=application, lawyer=lawyer))
    messages.success(request, _("%(lawyer)s has been assigned to case %(number)s.")
                     % {"lawyer": case.lawyer, "number": case.number})
    return redirect("cases:detail", pk=case.pk)


@never_cache
@require_GET
@require_capability(Capability.AID_ASSIGN)
def lawyer_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The search box on the assign page: rows of radio buttons (htmx), or the page itself without JS."""
    application = _awaiting(user=request.user, pk=pk)
    if not _is_htmx(request):
        return _render_assign(request, application)
    suggested = {s.lawyer.pk for s in selectors_cases.lawyer_suggestions(application=application)}
    found = [p for p in _lawyer_search(user=request.user, q=request.GET.get("q", "")) if p.pk not in suggested]
    return render(request, "legalaid/cases/_lawyer_rows.html", {"found": found, "searched": True})


# --- 2. the case list (the lawyer's workspace) ---------------------------------------------

@never_cache
@require_GET
@require_any_capability(Capability.AID_VIEW, Capability.CASE_HANDLE)
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    today = timezone.localdate()
    # The selector restricts, joins the related rows and sorts (priority first, nearest deadline).
    qs = selectors_cases.case_list_visible_to(user=request.user, filters=form.filters(), today=today)
    page = paginate_in_two_steps(qs, number=request.GET.get("page"), per_page=PAGE_SIZE)
    rows = [{"obj": case, "badge": STATUS_BADGES.get(case.status, "text-bg-light"),
             "matter_label": _matter_label(case.matter),
             "deadline": _deadline(case.next_due, today=today)} for case in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "legalaid/cases/case_list.html", {
        "form": form, "page": page, "rows": rows, "query": params.urlencode(),
        "own_only": not user_can(request.user, Capability.AID_VIEW),
    })


# --- 3. one case and its actions -----------------------------------------------------------

@dataclass(frozen=True)
class CaseAction:
    """One form on the case page: the transitions it performs, who may use it, the service it calls."""

    transitions: tuple[str, ...]  # empty: allowed while the lawyer is working (progress entries)
    capability: str
    form: type[StyledForm]
    title: Promise
    done: Promise
    run: Callable[..., Any]
    lawyers_step: bool = False  # the assigned lawyer's own step (see _may)


def _pending_termination_objection(case: Case) -> Objection | None:
    return (Objection.objects.filter(application_id=case.application_id, kind=ObjectionKind.TERMINATION,
                                     status=ObjectionStatus.PENDING).order_by("-filed_at", "-id").first())


def _decide_objection(*, actor, case: Case, expected_version: int, correct: bool, reasons: str):
    objection = _pending_termination_objection(case)
    if objection is None:
        raise ConflictError(_("There is no objection to decide: reload the page."), code="no_pending_objection")
    return services_cases.termination_objection_decide(actor=actor, objection=objection, correct=correct,
                                                       reasons=reasons, expected_version=expected_version)


ACTIONS: dict[str, CaseAction] = {
    "sign_agreement": CaseAction(
        ("sign_agreement",), Capability.CASE_HANDLE, SignAgreementForm,
        gettext_lazy("Record the signed agreement and power of attorney"),
        gettext_lazy("The agreement has been recorded."),
        lambda **kw: services_cases.case_sign_agreement(**kw), lawyers_step=True),
    "begin": CaseAction(
        ("begin",), Capability.CASE_HANDLE, BeginForm, gettext_lazy("Begin work on the case"),
        gettext_lazy("The case is now in progress."),
        lambda **kw: services_cases.case_begin(**kw), lawyers_step=True),
    "progress": CaseAction(
        (), Capability.CASE_HANDLE, ProgressForm, gettext_lazy("Record progress"),
        gettext_lazy("The progress entry has been recorded."),
        lambda **kw: services_cases.progress_add(**kw), lawyers_step=True),
    "close": CaseAction(
        ("close",), Capability.CASE_HANDLE, CloseForm, gettext_lazy("Submit the closing report (Art. 50)"),
        gettext_lazy("The closing file has been submitted for archive review."),
        lambda **kw: services_cases.case_close(**kw), lawyers_step=True),
    "resubmit": CaseAction(
        ("resubmit",), Capability.CASE_HANDLE, ResubmitForm, gettext_lazy("Submit the corrected closing file"),
        gettext_lazy("The closing file has been submitted again."),
        lambda **kw: services_cases.case_resubmit(**kw), lawyers_step=True),
    "archive_review": CaseAction(
        ("archive_pass", "archive_return"), Capability.AID_ARCHIVE, ArchiveReviewForm,
        gettext_lazy("Review the closing file"), gettext_lazy("The archive review has been recorded."),
        lambda **kw: services_cases.archive_review(**kw)),
    "pay_subsidy": CaseAction(
        ("pay_subsidy",), Capability.AID_SUBSIDY, PaySubsidyForm, gettext_lazy("Pay the lawyer's subsidy"),
        gettext_lazy("The subsidy has been recorded as paid."),
        lambda **kw: services_cases.subsidy_pay(**kw)),
    "terminate": CaseAction(
        ("terminate",), Capability.AID_DECIDE, TerminateForm, gettext_lazy("Terminate legal aid (Art. 48)"),
        gettext_lazy("Legal aid has been terminated."),
        lambda **kw: services_cases.case_terminate(**kw)),
    "object_termination": CaseAction(
        ("object_termination",), Capability.AID_INTAKE, TerminationObjectionForm,
        gettext_lazy("Record an objection to the termination (Art. 49)"),
        gettext_lazy("The objection has been recorded and sent to the justice bureau."),
        lambda **kw: services_cases.termination_objection_file(**kw)),
    "decide_objection": CaseAction(
        ("termination_upheld", "termination_corrected"), Capability.AID_OBJECTION, TerminationObjectionDecideForm,
        gettext_lazy("Decide the objection to the termination"),
        gettext_lazy("The decision on the objection has been recorded."), _decide_objection),
    "reassign": CaseAction(
        ("reassign",), Capability.AID_ASSIGN, ReassignForm, gettext_lazy("Replace the lawyer (Art. 55)"),
        gettext_lazy("The lawyer has been replaced."),
        lambda **kw: services_cases.case_reassign(**kw)),
}


def _possible(case: Case, spec: CaseAction) -> bool:
    if not spec.transitions:
        return case.status in workflow.WORKING
    return any(workflow.case_target(t, case.status) for t in spec.transitions)


def _may(user, case: Case, spec: CaseAction) -> bool:
    """The lawyer's steps are the assigned lawyer's; the centre's dispatchers record them only for a
    lawyer who has no account (services_cases allows both). Other actions need their capability."""
    if not spec.lawyers_step:
        return user_can(user, spec.capability)
    if case.lawyer_user_id is not None:
        return user_can(user, Capability.CASE_HANDLE) and _is_assigned_lawyer(user, case)
    return user_can(user, Capability.AID_ASSIGN)


def _new_form(name: str, spec: CaseAction, *, user, case: Case) -> StyledForm:
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    initial: dict[str, Any] = {}
    if issubclass(spec.form, ActionForm):
        initial["version"] = case.version
    if name == "close":
        kwargs["checklist"] = _checklist(case)
        initial["people_aided"] = case.application.people_count
    if name in ("sign_agreement", "progress"):
        initial[{"sign_agreement": "signed_on", "progress": "occurred_on"}[name]] = timezone.localdate()
    if name == "reassign":
        kwargs["user"] = user
    return spec.form(initial=initial, **kwargs)


def _bound_form(name: str, spec: CaseAction, *, request: HttpRequest, case: Case) -> StyledForm:
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if name == "close":
        kwargs["checklist"] = _checklist(case)
    if name == "reassign":
        kwargs["user"] = request.user
    return spec.form(request.POST, **kwargs)


def _checklist(case: Case) -> list[tuple[str, str]]:
    return services_cases.case_checklist(case)


def _action_forms(request: HttpRequest, case: Case, bound: dict[str, StyledForm]) -> list[dict[str, Any]]:
    entries = []
    for name, spec in ACTIONS.items():
        if not _possible(case, spec) or not _may(request.user, case, spec):
            continue
        form = bound.get(name) or _new_form(name, spec, user=request.user, case=case)
        entries.append({"name": name, "title": spec.title, "form": form,
                        "url": reverse("cases:act", args=[case.pk, name])})
    return entries


def case_contact(*, user, case: Case) -> dict[str, Any]:
    """The aided person's name and contact. The assigned lawyer (who must reach the client) and staff who
    may see personal data get the full phone, and each showing leaves an audit row; others see a mask."""
    person = case.application.applicant
    full = bool(person.phone) and (_is_assigned_lawyer(user, case) or user_can(user, Capability.AID_PRIVATE))
    if full:
        audit_record(actor=user, action="legalaid.case.view_contact", obj=case, extra={"fields": ["phone"]})
    agent = case.application.agent
    return {"name": person.name, "phone": person.phone if full else mask_phone(person.phone),
            "phone_full": full, "address": person.address,
            "agent": agent.name if agent else "", "agent_relationship": case.application.agent_relationship}


def _load_case(*, user, pk: int) -> Case:
    return selectors_cases.access_case(user=user, id=pk)


def _render_case(request: HttpRequest, case: Case, *, bound: dict[str, StyledForm] | None = None,
                 status: int = 200) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    application = case.application
    events = [{"obj": e, "label": EVENT_LABELS.get(e.kind, e.kind)}
              for e in CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")]
    closing = ClosingReport.objects.filter(case=case).select_related("submitted_by").first()
    progress = list(ProgressEntry.objects.filter(case=case).select_related("entered_by")
                    .order_by("occurred_on", "entered_at", "id"))
    context = {
        "case": case,
        "application": application,  # the materials panel links through the application
        "badge": STATUS_BADGES.get(case.status, "text-bg-light"),
        "matter_label": _matter_label(case.matter),
        "deadlines": _case_deadlines(case, today=today),
        "contact": case_contact(user=user, case=case),
        "events": events,
        "progress": progress,
        "hearings": [p for p in progress if p.kind == ProgressKind.HEARING],
        "closing": closing,
        "checklist": [(label, closing.checklist.get(code, False)) for code, label in _checklist(case)]
        if closing else [],
        "archive_reviews": list(case.archive_reviews.select_related("reviewed_by")),
        "terminations": list(case.terminations.select_related("decided_by")),
        "subsidy": Subsidy.objects.filter(case=case).first(),
        "is_lawyer": _is_assigned_lawyer(user, case),
        "actions": _action_forms(request, case, bound or {}),
        **files_context(user=user, application=application),
    }
    return render(request, "legalaid/cases/case_detail.html", context, status=status)


@never_cache
@require_GET
@require_any_capability(Capability.AID_VIEW, Capability.CASE_HANDLE)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _load_case(user=request.user, pk=pk))


def _typed_again(form: StyledForm, *, name: str, spec: CaseAction, request: HttpRequest,
                 case: Case) -> StyledForm:
    """After a conflict: what the user typed, against the version now on screen (they decide again)."""
    fresh = _new_form(name, spec, user=request.user, case=case)
    for field_name, field in form.fields.items():
        if field_name == "version" or field_name not in form.data:
            continue
        many = isinstance(field, forms.MultipleChoiceField)
        fresh.initial[field_name] = form.data.getlist(field_name) if many else form.data.get(field_name)
    return fresh


@never_cache
@require_POST
@require_any_capability(Capability.AID_VIEW, Capability.CASE_HANDLE)
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = _load_case(user=request.user, pk=pk)
    if not _may(request.user, case, spec):
        _deny(request, capability=spec.capability, obj=case, attempted=f"legalaid.case.{action}")
    form = _bound_form(action, spec, request=request, case=case)
    status = 400
    if form.is_valid():
        kwargs = form.service_kwargs()
        if isinstance(form, ActionForm):
            kwargs["expected_version"] = form.cleaned_data["version"]
        try:
            spec.run(actor=request.user, case=case, **kwargs)
        except ConflictError as exc:
            messages.error(request, str(exc.message))
            status = 409
            case = _load_case(user=request.user, pk=pk)
            form = _typed_again(form, name=action, spec=spec, request=request, case=case)
        except ApplicationError as exc:
            if exc.status == 403:
                _deny(request, capability=spec.capability, obj=case, attempted=f"legalaid.case.{action}")
            if exc.status == 404:
                raise Http404 from exc
            apply_application_error(form, exc)
        else:
            messages.success(request, str(spec.done))
            return redirect("cases:detail", pk=case.pk)
    return _render_case(request, case, bound={action: form}, status=status)


# --- 4. deadlines --------------------------------------------------------------------------

@never_cache
@require_GET
@require_any_capability(Capability.AID_VIEW, Capability.CASE_HANDLE)
def deadlines(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    board = selectors_cases.case_deadlines(user=request.user, today=today)
    labels = dict(DeadlineKind.choices)
    columns = []
    for key, title in DEADLINE_COLUMNS:
        items = [{"case": case, "kind": kind, "label": labels.get(kind, kind),
                  "deadline": _deadline(due, today=today)} for case, kind, due in board.get(key, [])]
        columns.append({"key": key, "title": title, "items": items})
    return render(request, "legalaid/cases/deadlines.html", {
        "columns": columns, "today": today, "own_only": not user_can(request.user, Capability.AID_VIEW)})


# --- 5. hearing calendar -------------------------------------------------------------------

@never_cache
@require_GET
@require_capability(Capability.HEARINGS_VIEW)
def hearings(request: HttpRequest) -> HttpResponse:
    form = HearingPeriodForm(request.GET or None)
    today = timezone.localdate()
    period, first, last = form.range(today=today)
    entries = (selectors_cases.hearing_calendar(user=request.user, start=first, end=last)
               .select_related("case", "case__lawyer").order_by("hearing_at", "id"))
    days: dict[dt.date, list[ProgressEntry]] = {}
    for entry in entries:
        days.setdefault(timezone.localdate(entry.hearing_at), []).append(entry)
    step = dt.timedelta(days=7) if period == "week" else None
    if step is None:
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
    else:
        previous, following = first - step, first + step
    return render(request, "legalaid/cases/hearings.html", {
        "period": period, "first": first, "last": last, "days": sorted(days.items()),
        "previous": previous, "following": following, "today": today,
    })


# --- 6. subsidies --------------------------------------------------------------------------

def _subsidies(request: HttpRequest) -> tuple[str, QuerySet[Subsidy]]:
    month = MonthForm(request.GET or None).month_value(today=timezone.localdate())
    qs = (selectors_cases.monthly_subsidies(user=request.user, month=month)
          .select_related("case", "lawyer", "lawyer__institution").order_by("case__number", "id"))
    return month, qs


@never_cache
@require_GET
@require_capability(Capability.AID_SUBSIDY)
def subsidies(request: HttpRequest) -> HttpResponse:
    month, qs = _subsidies(request)
    totals = qs.aggregate(count=Count("id"), amount=Sum("amount"))
    return render(request, "legalaid/cases/subsidies.html", {
        "month": month, "subsidies": list(qs), "count": totals["count"],
        "total": totals["amount"] or Decimal("0"),
    })


def _subsidy_rows(qs: QuerySet[Subsidy]):
    yield [_("Case number"), _("Lawyer"), _("Institution"), _("Case category"), _("Procedural stage"),
           _("Amount (yuan)"), _("Status"), _("Paid on")]
    for subsidy in qs.iterator(chunk_size=500):
        case, lawyer = subsidy.case, subsidy.lawyer
        yield [case.number, lawyer.name, lawyer.institution.name if lawyer.institution_id else "",
               case.category, case.stage, subsidy.amount, subsidy.get_status_display(),
               subsidy.paid_on.isoformat() if subsidy.paid_on else ""]


def subsidy_workbook(*, month: str, qs: QuerySet[Subsidy]):
    """The month's payment list as an .xlsx in a temporary file (openpyxl's write-only mode keeps
    memory flat); amounts are numbers so that the finance office can sum them."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=month)
    count, total = 0, Decimal("0")
    for index, row in enumerate(_subsidy_rows(qs)):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if index == 0:
                cell.font = Font(bold=True)
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
            elif isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
        if index:
            count, total = count + 1, total + row[5]
    sheet.append([_("Total"), "", "", "", "", total, "", ""])
    # Closed (and so deleted) by the FileResponse that streams it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle, count, total


@never_cache
@require_GET
@require_capability(Capability.AID_SUBSIDY)
def subsidies_export(request: HttpRequest) -> FileResponse:
    month, qs = _subsidies(request)
    handle, count, total = subsidy_workbook(month=month, qs=qs)
    audit_record(actor=request.user, action="legalaid.subsidy.export", object_type="legalaid.subsidy",
                 extra={"month": month, "rows": count, "total": str(total), "format": "xlsx"})
    response = FileResponse(handle, as_attachment=True, filename=f"subsidies-{month}.xlsx",
                            content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


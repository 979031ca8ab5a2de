"""The staff console for legal aid: the reviewers' queues, one intake form for every channel, the
application's page with the actions the user may take now, the audited reveal of personal data,
and the bureau's decision on objections.

Every write goes through services.py (which checks the capability, the transition, the version
and writes the timeline and audit rows); these views only translate between HTTP and services.
Reads come from selectors.py and access.py, so an application outside the user's area is the
same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from open12348.accounts.permissions import require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.calendar import days_remaining
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.forms import apply_validation_error
from open12348.core.masking import mask_id_number, mask_phone
from open12348.core.pagination import paginate_in_two_steps

from . import rules_store, selectors, services, workflow
from .access import access_application, access_objection
from .choices import ApplicationStatus, Decision, ObjectionStatus
from .eligibility import (
    Applicant,
    EconomicReview,
    EligibilityInputError,
    Facts,
    Group,
    Household,
    Matter,
    Subtype,
)
from .forms import (
    DERIVED_GROUPS,
    ActionForm,
    AdvanceAidForm,
    ApplicationForm,
    DecisionForm,
    NoteForm,
    ObjectionDecideForm,
    ObjectionFileForm,
    QueueFilterForm,
    RegulariseForm,
    ReviewStartForm,
    SupplementRequestForm,
    apply_application_error,
    form_field_for,
    own_centre,
)
from .models import Application, Objection
from .services_private import application_private_view
from .views_files import files_context

PAGE_SIZE = 20
SOON_DAYS = 2  # a deadline this close (or closer) shows amber
OTHER_APPLICATIONS_SHOWN = 20

QUEUE_LABELS = {
    "new": gettext_lazy("New"),
    "materials": gettext_lazy("Waiting for materials"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "awaiting_assignment": gettext_lazy("Awaiting assignment"),
    "objections": gettext_lazy("Objections"),
    "all": gettext_lazy("All"),
}

STATUS_BADGES = {
    ApplicationStatus.RECEIVED: "text-bg-primary",
    ApplicationStatus.UNDER_REVIEW: "text-bg-info",
    ApplicationStatus.SUPPLEMENT_REQUESTED: "text-bg-warning",
    ApplicationStatus.APPROVED: "text-bg-success",
    ApplicationStatus.REJECTED: "text-bg-danger",
    ApplicationStatus.WITHDRAWN_DEEMED: "text-bg-secondary",
    ApplicationStatus.WITHDRAWN: "text-bg-secondary",
    ApplicationStatus.ADVANCE_AID: "text-bg-success",
    ApplicationStatus.NOTIFIED: "text-bg-dark",
    ApplicationStatus.OBJECTION: "text-bg-warning",
}

EVENT_LABELS = {
    "received": gettext_lazy("Application received"),
    "review_started": gettext_lazy("Review started"),
    "supplement_requested": gettext_lazy("Missing materials requested"),
    "supplement_received": gettext_lazy("Missing materials received"),
    "deemed_withdrawn": gettext_lazy("Deemed withdrawn: materials not supplied in time"),
    "granted": gettext_lazy("Legal aid granted"),
    "refused": gettext_lazy("Legal aid refused"),
    "advance_aid": gettext_lazy("Advance aid given"),
    "regularised": gettext_lazy("Advance aid regularised"),
    "objection_filed": gettext_lazy("Objection filed"),
    "objection_corrected": gettext_lazy("Objection decided: correction ordered"),
    "objection_upheld": gettext_lazy("Objection decided: refusal upheld"),
    "withdrawn": gettext_lazy("Withdrawn by the applicant"),
    "material_added": gettext_lazy("Material received"),
    "document_issued": gettext_lazy("Document issued"),
}

EFFECT_LABELS = {
    "in_scope": gettext_lazy("in scope"),
    "out_of_scope": gettext_lazy("out of scope"),
    "ineligible": gettext_lazy("not eligible"),
    "standard": gettext_lazy("local standard"),
    "priority": gettext_lazy("priority"),
    "routing": gettext_lazy("routing"),
    **dict(EconomicReview.choices),
}


# --- small helpers -------------------------------------------------------------------------

def _deadline(due: dt.date | dt.datetime | None, *, today: dt.date, complete: bool = True,
              label: Any = "") -> dict[str, Any] | None:
    """A deadline as the templates show it: the date, days left, and red / amber / plain."""
    if due is None:
        return None
    day = timezone.localdate(due) if isinstance(due, dt.datetime) else due
    days = days_remaining(due=day, today=today)
    state = "overdue" if days < 0 else "soon" if days <= SOON_DAYS else "ok"
    return {"label": label, "due": due, "has_time": isinstance(due, dt.datetime), "days": days, "late_by": -days,
            "state": state, "provisional": not complete}


def _matter_label(code: str) -> str:
    return Matter(code).label if code in Matter.values else code


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _deny(request: HttpRequest, *, capability: str, obj=None, attempted: str = "") -> None:
    audit_record(actor=request.user, action="auth.permission_denied", obj=obj, result="denied",
                 extra={"capability": capability, "attempted": attempted, "path": request.path[:200]})
    raise PermissionDenied


def eligibility_view(answer: dict | None) -> dict | None:
    """The engine's stored answer with labels for the template (the answer itself is not changed)."""
    if not answer:
        return None
    review = answer.get("economic_review")
    return {
        **answer,
        "economic_review_label": EconomicReview(review).label if review in EconomicReview.values else review,
        "rules": [{**rule, "effect_labels": [EFFECT_LABELS.get(e, e) for e in rule.get("effects", [])]}
                  for rule in answer.get("rules", [])],
    }


# --- the queue -----------------------------------------------------------------------------

@never_cache
@require_capability(Capability.AID_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    current = request.GET.get("queue") if request.GET.get("queue") in selectors.QUEUES else "all"
    form = QueueFilterForm(request.GET or None)
    today = timezone.localdate()
    qs = selectors.application_list_visible_to(
        user=request.user, filters={**form.filters(), "queue": current}, today=today,
    ).prefetch_related(Prefetch("objections", queryset=Objection.objects.filter(status=ObjectionStatus.PENDING),
                                to_attr="pending_objections"))
    page = paginate_in_two_steps(qs, number=request.GET.get("page"), per_page=PAGE_SIZE)
    rows = []
    for application in page.object_list:
        due, complete = application.next_due, application.calendar_complete
        if due is None and application.pending_objections:
            due, complete = application.pending_objections[0].due, True
        rows.append({
            "obj": application,
            "id_number": mask_id_number(application.applicant.id_number),
            "matter_label": _matter_label(application.matter),
            "badge": STATUS_BADGES.get(application.status, "text-bg-light"),
            "deadline": _deadline(due, today=today, complete=complete),
        })
    counts = selectors.queue_counts(user=request.user, today=today)
    params = request.GET.copy()
    params.pop("page", None)
    tabs = []
    for name in selectors.QUEUES:
        params["queue"] = name
        tabs.append({"name": name, "label": QUEUE_LABELS[name], "count": counts.get(name),
                     "active": name == current, "query": params.urlencode()})
    params["queue"] = current
    return render(request, "legalaid/queue.html", {
        "form": form, "page": page, "rows": rows, "tabs": tabs, "current": current,
        "query": params.urlencode(),
        "can_create": user_can(request.user, Capability.AID_INTAKE),
        "can_decide_objections": user_can(request.user, Capability.AID_OBJECTION),
    })


# --- intake --------------------------------------------------------------------------------

def _facts_from(form: ApplicationForm, *, user) -> Facts:
    """The engine's facts from the intake form as typed so far (for the check before saving)."""
    data = getattr(form, "cleaned_data", {})
    centre = data.get("centre") or own_centre(user=user)
    if not data.get("matter"):
        raise EligibilityInputError("matter", "required", _("Choose the matter first."))
    if centre is None:
        raise EligibilityInputError("region", "required", _("Choose the legal aid centre first."))
    household = None
    if data.get("household_members") is not None and data.get("household_monthly_income") is not None:
        household = Household(members=data["household_members"], monthly_income=data["household_monthly_income"])
    groups = frozenset(data.get("applicant_groups") or ()) - DERIVED_GROUPS
    return Facts(
        matter=data["matter"], subtype=(data.get("matter_subtype") or "").strip() or None,
        region_code=centre.region.code, on=timezone.localdate(), category=data.get("category") or None,
        channel=data.get("channel") or None, household=household,
        applicant=Applicant(birth_date=data.get("applicant_birth_date"), sex=data.get("applicant_sex") or None,
                            groups=groups, id_number=(form.data.get("applicant_id_number") or "").strip() or None),
    )


def _eligibility_preview(request: HttpRequest, form: ApplicationForm) -> HttpResponse:
    """Run the engine on what was typed; nothing is saved and nothing is audited (no data is stored)."""
    form.is_valid()  # fills cleaned_data; errors of fields the check does not need are not shown here
    answer, problems = None, []
    try:
        answer = rules_store.evaluate_facts(_facts_from(form, user=request.user)).to_dict()
    except EligibilityInputError as exc:
        for field, _code, message in exc.errors:
            name = form_field_for(form, field)
            problems.append({"field": name, "label": form.fields[name].label if name else "", "message": message})
    context = {"answer": eligibility_view(answer), "problems": problems, "preview": True}
    if _is_htmx(request):
        return render(request, "legalaid/_eligibility_answer.html", context)
    return render(request, "legalaid/application_form.html", {
        **context, "form": form, "hide_errors": True,
    })


def _register(request: HttpRequest, form: ApplicationForm) -> Application | None:
    try:
        return services.application_create(actor=request.user, **form.service_kwargs())
    except ApplicationError as exc:
        apply_application_error(form, exc)
    except ValidationError as exc:
        apply_validation_error(form, exc)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.AID_INTAKE)
def application_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ApplicationForm(request.POST, user=request.user)
        if request.POST.get("check"):
            return _eligibility_preview(request, form)
        if form.is_valid():
            application = _register(request, form)
            if application is not None:
                messages.success(request, _("Application %(number)s has been registered.")
                                 % {"number": application.number})
                return redirect("legalaid:detail", pk=application.pk)
    else:
        form = ApplicationForm(user=request.user)
    return render(request, "legalaid/application_form.html", {"form": form})


# --- actions on an application -------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    """One form on the application page: which transitions it performs, who may use it, what it calls."""

    transitions: tuple[str, ...]
    capability: str
    form: type[ActionForm]
    title: Promise
    done: Promise
    run: Callable[..., Any]


ACTIONS: dict[str, Action] = {
    "review_start": Action(
        ("review_start",), Capability.AID_REVIEW, ReviewStartForm, gettext_lazy("Start the review"),
        gettext_lazy("The review has started."),
        lambda **kw: services.application_review_start(**kw)),
    "supplement_request": Action(
        ("supplement_request",), Capability.AID_REVIEW, SupplementRequestForm,
        gettext_lazy("Request missing materials"),
        gettext_lazy("The request for materials has been recorded; the review clock is stopped."),
        lambda **kw: services.supplement_request(**kw)),
    "supplement_receive": Action(
        ("supplement_receive",), Capability.AID_INTAKE, NoteForm, gettext_lazy("Materials received"),
        gettext_lazy("The materials have been received; the review clock runs again."),
        lambda **kw: services.supplement_receive(**kw)),
    "decide": Action(
        ("grant", "refuse"), Capability.AID_DECIDE, DecisionForm, gettext_lazy("Grant or refuse legal aid"),
        gettext_lazy("The decision has been recorded."),
        lambda **kw: services.application_decide(**kw)),
    "advance_aid": Action(
        ("advance_aid",), Capability.AID_DECIDE, AdvanceAidForm, gettext_lazy("Give advance aid (Art. 44)"),
        gettext_lazy("Advance aid has been given. Regularise it once the review is complete."),
        lambda **kw: services.advance_aid_grant(**kw)),
    "regularise": Action(
        ("regularise",), Capability.AID_DECIDE, RegulariseForm, gettext_lazy("Regularise the advance aid"),
        gettext_lazy("The advance aid has been confirmed as a grant."),
        lambda **kw: services.advance_aid_regularise(**kw)),
    "withdraw": Action(
        ("withdraw",), Capability.AID_INTAKE, NoteForm, gettext_lazy("The applicant withdraws"),
        gettext_lazy("The application has been withdrawn."),
        lambda **kw: services.application_withdraw(**kw)),
    "object": Action(
        ("object",), Capability.AID_INTAKE, ObjectionFileForm, gettext_lazy("Record an objection (Art. 49)"),
        gettext_lazy("The objection has been recorded and sent to the justice bureau."),
        lambda **kw: services.objection_file(**kw)),
}


def _decision_initial(application: Application) -> dict[str, Any]:
    """The engine's answer pre-selects the decision and pre-fills the reasons with the rules cited."""
    eligible = (application.eligibility or {}).get("eligible")
    if eligible is None:
        return {}
    rules = [f"{r.get('code')} {r.get('title')} ({r.get('source')})"
             for r in application.eligibility.get("rules", [])]
    if eligible:
        opening = _("Legal aid is granted. Rules applied:")
    else:
        opening = _("Legal aid is refused. Rules applied:")
    return {"decision": Decision.GRANT if eligible else Decision.REFUSE,
            "reasons": "\n".join([opening, *rules])}


def _action_forms(request: HttpRequest, application: Application, bound: dict[str, ActionForm]) -> list[dict]:
    possible = set(workflow.actions_from(application.status))
    forms = []
    for name, action in ACTIONS.items():
        if possible.isdisjoint(action.transitions) or not user_can(request.user, action.capability):
            continue
        form = bound.get(name)
        if form is None:
            initial = {"version": application.version}
            if name == "decide":
                initial.update(_decision_initial(application))
            form = action.form(initial=initial, auto_id=f"id_{name}_%s")
        entry = {"name": name, "title": action.title, "form": form,
                 "url": reverse("legalaid:act", args=[application.pk, name])}
        if name == "decide":
            # Tokens for Alpine (the override reason shows when the choice differs from the check).
            chosen = form["decision"].value()
            eligible = (application.eligibility or {}).get("eligible")
            entry["decision"] = chosen if chosen in Decision.values else ""
            entry["suggested"] = "" if eligible is None else (Decision.GRANT if eligible else Decision.REFUSE)
        forms.append(entry)
    return forms


def _masked_person(person) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"obj": person, "id_number": mask_id_number(person.id_number), "phone": mask_phone(person.phone)}


def _case_link(user, application: Application) -> tuple[str, str] | None:
    """Where the work goes on: the case, or the page that assigns a lawyer to it."""
    case = getattr(application, "case", None)
    if case is not None:
        return reverse("cases:detail", args=[case.pk]), _("Open the case")
    if application.status in workflow.AWAITING_ASSIGNMENT and user_can(user, Capability.AID_ASSIGN):
        return reverse("cases:assign", args=[application.pk]), _("Assign a lawyer")
    return None


def _render_detail(request: HttpRequest, application: Application, *, bound: dict[str, ActionForm] | None = None,
                   private: dict | None = None, objection_form: ObjectionDecideForm | None = None,
                   status: int = 200) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    # Only the clocks that are running for the current status (the services clear the others).
    waiting_for_lawyer = application.status in workflow.AWAITING_ASSIGNMENT
    deadlines = [d for d in (
        _deadline(application.review_due, today=today, complete=application.calendar_complete,
                  label=_("Decision due (7 days, Art. 43)")),
        _deadline(application.supplement_due, today=today, label=_("Materials due")),
        _deadline(application.assignment_due if waiting_for_lawyer else None, today=today,
                  complete=application.calendar_complete, label=_("Lawyer to be assigned by (3 days)")),
        _deadline(application.limitation_deadline if application.status == ApplicationStatus.ADVANCE_AID else None,
                  today=today, label=_("Limitation period or deadline")),
    ) if d is not None]
    forwarding = None
    if application.forwarding_due_at:
        forwarding = {"due": application.forwarding_due_at, "facility_received_at": application.facility_received_at,
                      "late": application.received_at > application.forwarding_due_at}
    objections = list(application.objections.select_related("decided_by", "recorded_by").order_by("filed_at", "id"))
    pending = next((o for o in objections if o.status == ObjectionStatus.PENDING), None)
    if pending is not None and user_can(user, Capability.AID_OBJECTION) and objection_form is None:
        objection_form = ObjectionDecideForm(initial={"version": application.version}, auto_id="id_objection_%s")
    events = [{"obj": e, "label": EVENT_LABELS.get(e.kind, e.kind)}
              for e in application.events.select_related("actor").order_by("at", "id")]
    other = None
    if user_can(user, Capability.AID_REVIEW):
        other = list(selectors.applications_of_person(user=user, person_id=application.applicant_id,
                                                      exclude_id=application.pk)[:OTHER_APPLICATIONS_SHOWN])
    can_private = user_can(user, Capability.AID_PRIVATE)
    context = {
        "application": application,
        "badge": STATUS_BADGES.get(application.status, "text-bg-light"),
        "matter_label": _matter_label(application.matter),
        "subtype_label": Subtype(application.matter_subtype).label if application.matter_subtype in Subtype.values
        else application.matter_subtype,
        "case_link": _case_link(request.user, application),
        "applicant": _masked_person(application.applicant),
        "agent": _masked_person(application.agent),
        "group_labels": [Group(g).label if g in Group.values else g for g in application.groups or []],
        "deadlines": deadlines,
        "forwarding": forwarding,
        "answer": eligibility_view(application.eligibility),
        "other_applications": other,
        "events": events,
        "supplement_requests": list(application.supplement_requests.order_by("requested_at", "id")),
        "objections": [{"obj": o, "deadline": _deadline(o.due, today=today) if o.status == ObjectionStatus.PENDING
                        else None} for o in objections],
        "pending_objection": pending,
        "objection_form": objection_form if pending is not None else None,
        **files_context(user=user, application=application),
        "actions": _action_forms(request, application, bound or {}),
        "can_private": can_private,
        "private": private,
    }
    return render(request, "legalaid/application_detail.html", context, status=status)


@never_cache
@require_capability(Capability.AID_VIEW)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_application(user=request.user, id=pk))


@never_cache
@require_POST
@require_capability(Capability.AID_PRIVATE)
def application_private(request: HttpRequest, pk: int) -> HttpResponse:
    """The full personal data, on a POST (CSRF-protected, never cached or prefetched); audited each time."""
    application = access_application(user=request.user, id=pk)
    private = application_private_view(actor=request.user, application=application)
    if _is_htmx(request):
        return render(request, "legalaid/_private.html", {"private": private, "application": application,
                                                          "can_private": True})
    return _render_detail(request, application, private=private)


def _typed_again(form: ActionForm, *, version: int) -> ActionForm:
    """After a conflict: what the user typed, against the version now on screen (they decide again)."""
    initial = {name: form.data.get(name) for name in form.fields}
    initial["version"] = version
    return type(form)(initial=initial, auto_id=form.auto_id)


@never_cache
@require_POST
@require_capability(Capability.AID_VIEW)
def application_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    application = access_application(user=request.user, id=pk)
    if not user_can(request.user, spec.capability):
        _deny(request, capability=spec.capability, obj=application, attempted=f"legalaid.application.{action}")
    form = spec.form(request.POST, auto_id=f"id_{action}_%s")
    status = 400
    if form.is_valid():
        version = form.cleaned_data["version"]
        try:
            spec.run(actor=request.user, application=application, expected_version=version, **form.service_kwargs())
        except ConflictError as exc:
            messages.error(request, str(exc.message))
            status = 409
            application = access_application(user=request.user, id=pk)
            form = _typed_again(form, version=application.version)
        except ApplicationError as exc:
            if exc.status == 403:
                _deny(request, capability=spec.capability, obj=application, attempted=f"legalaid.application.{action}")
            apply_application_error(form, exc)
        else:
            messages.success(request, str(spec.done))
            return redirect("legalaid:detail", pk=application.pk)
    return _render_detail(request, application, bound={action: form}, status=status)


# --- objections (the justice bureau) -------------------------------------------------------

def _access_objection(*, user, pk: int) -> tuple[Objection, Application]:
    objection = access_objection(user=user, id=pk)
    return objection, access_application(user=user, id=objection.application_id)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.AID_OBJECTION)
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection, application = _access_objection(user=request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = ObjectionDecideForm(request.POST, auto_id="id_objection_%s")
        status = 400
        if form.is_valid():
            try:
                services.objection_decide(actor=request.user, objection=objection,
                                          correct=form.cleaned_data["outcome"] == "correct",
                                          reasons=form.cleaned_data["reasons"],
                                          expected_version=form.cleaned_data["version"])
            except ConflictError as exc:
                messages.error(request, str(exc.message))
                status = 409
                objection, application = _access_objection(user=request.user, pk=pk)
                form = _typed_again(form, version=application.version)
            except ApplicationError as exc:
                apply_application_error(form, exc)
            else:
                messages.success(request, _("The decision on the objection has been recorded."))
                return redirect("legalaid:detail", pk=application.pk)
    else:
        form = ObjectionDecideForm(initial={"version": application.version}, auto_id="id_objection_%s")
    today = timezone.localdate()
    return render(request, "legalaid/objection_decide.html", {
        "objection": objection, "application": application, "form": form,
        "matter_label": _matter_label(application.matter),
        "deadline": _deadline(objection.due, today=today) if objection.status == ObjectionStatus.PENDING else None,
    }, status=status)

"""The case quality console: the evaluator's desk, samples and peer review, a case's quality page with
the four checks of Art. 59, supervision tickets, the evaluation schemes, review panels and exemplary
cases; and the public library of exemplary cases.

Every write goes through services.py, services_review.py and services_panels.py (capability, region,
audit row); these views only translate between HTTP and services. Records are loaded through the
selectors and access.py, so a case, ticket, sample or panel outside the user's region is the same
404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
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
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.core.pagination import paginate_in_two_steps
from open12348.legalaid.choices import CaseCategory, ProgressKind, Stage
from open12348.legalaid.forms import StyledForm
from open12348.legalaid.models import Case, ProgressEntry
from open12348.network.models import Institution

from . import selectors, services, services_panels, services_review
from .access import access_quality_case
from .choices import Grade, Method, PanelStatus, TicketStatus
from .forms import (
    CHECK_FORMS,
    ComplaintForm,
    ExemplaryForm,
    LetterForm,
    LibraryFilterForm,
    PanelForm,
    PeersForm,
    ProposeCaseForm,
    ProposeNumberForm,
    ReplyForm,
    SampleForm,
    SchemeForm,
    SchemeItemFormSet,
    TicketCloseForm,
    TicketFilterForm,
    VoteForm,
    put_service_error,
    scheme_initial,
)
from .models import (
    CaseGrade,
    Evaluation,
    ExemplaryCase,
    ObservationPlan,
    OpinionLetter,
    PanelSession,
    Sample,
    SampleCase,
    Scheme,
    Ticket,
)

EVALUATE = Capability.QUALITY_EVALUATE
PAGE_SIZE = 20
LIBRARY_PAGE_SIZE = 10
DESK_ROWS = 20
DESK_SHORT_ROWS = 10
HEARING_HORIZON_DAYS = 30

CAP_LABELS = {
    "money_asked": gettext_lazy("A follow-up found that the lawyer asked the aided person for money (Art. 20): "
                                "the grade is at most 合格."),
    "never_met": gettext_lazy("The aided person said the lawyer never met them: the grade is 不合格."),
}

evaluator_required = require_capability(EVALUATE)


# --- small helpers ---------------------------------------------------------------------------------

def _deny(request: HttpRequest, *, capability: str, obj=None, attempted: str = "") -> None:
    audit_record(actor=request.user, action="auth.permission_denied", obj=obj, result="denied",
                 extra={"capability": capability, "attempted": attempted, "path": request.path[:200]})
    raise PermissionDenied


def _call(request: HttpRequest, form: forms.Form, run: Callable[[], Any], *, attempted: str, obj=None,
          aliases: dict[str, str] | None = None) -> tuple[int, Any]:
    """Run a service for a valid form: (200, its result) when it went through; otherwise the refusal
    is on the form (at its field) and the status to answer with. A 403 is audited and refused; a 404
    is a 404."""
    try:
        result = run()
    except ApplicationError as exc:
        if exc.status == 403:
            _deny(request, capability=EVALUATE, obj=obj, attempted=attempted)
        if exc.status == 404:
            raise Http404 from exc
        put_service_error(form, exc, aliases=aliases)
        return exc.status, None
    return 200, result


def _category_label(code: str) -> str:
    return CaseCategory(code).label if code in CaseCategory.values else code


def _grade_label(value: str | None) -> str:
    return Grade(value).label if value in Grade.values else (value or "")


def _stage_label(code: str) -> str:
    return Stage(code).label if code in Stage.values else code


def _signed_in(view):
    """Sign-in only; the record's own access rule decides the rest (a ticket's owner may be a lawyer)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


# --- the evaluator's desk --------------------------------------------------------------------------

@never_cache
@require_GET
@evaluator_required
def home(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    horizon = today + dt.timedelta(days=HEARING_HORIZON_DAYS)
    return render(request, "quality/home.html", {
        "today": today,
        "horizon": horizon,
        "assignments": list(selectors.peer_assignments_pending(user=user)[:DESK_ROWS]),
        "plans": list(selectors.observation_plans_of(user=user, today=today)[:DESK_ROWS]),
        "unplanned": list(selectors.hearings_unplanned(user=user, start=today, end=horizon)[:DESK_ROWS]),
        "tickets": list(selectors.tickets_visible_to(user=user, status=TicketStatus.OPEN, today=today)[:DESK_ROWS]),
        "letters": list(selectors.letters_awaiting_reply(user=user)[:DESK_ROWS]),
        "samples": list(selectors.samples_visible_to(user=user)[:DESK_SHORT_ROWS]),
        "panels": list(selectors.panels_visible_to(user=user).filter(status=PanelStatus.OPEN)[:DESK_SHORT_ROWS]),
    })


@never_cache
@require_POST
@evaluator_required
def observe(request: HttpRequest, hearing_pk: int) -> HttpResponse:
    """Plan to attend a hearing (庭审旁听); the service checks that the hearing is of the user's region."""
    hearing = ProgressEntry.objects.filter(pk=hearing_pk, kind=ProgressKind.HEARING).first()
    if hearing is None:
        raise Http404
    try:
        services_review.observation_plan(actor=request.user, hearing=hearing)
    except ApplicationError as exc:
        if exc.status == 403:
            _deny(request, capability=EVALUATE, obj=hearing, attempted="quality.observation_plan")
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The hearing is in your observation plan."))
    return redirect("quality:home")


@never_cache
@require_POST
@evaluator_required
def observation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    plan = ObservationPlan.objects.filter(pk=pk, observer=request.user).first()
    if plan is None:
        raise Http404
    try:
        services_review.observation_cancel(actor=request.user, plan=plan)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The observation plan has been cancelled."))
    return redirect("quality:home")


# --- samples ---------------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
@evaluator_required
def sample_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = SampleForm(user=request.user)
        return render(request, "quality/sample_new.html", {"form": form})
    form = SampleForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        status, sample = _call(request, form, lambda: services.sample_draw(actor=request.user, **form.service_kwargs()),
                               attempted="quality.sample_draw", aliases=form.aliases)
        if status == 200:
            messages.success(request, _("The sample has been drawn (seed %(seed)s).") % {"seed": sample.seed})
            return redirect("quality:sample", pk=sample.pk)
    return render(request, "quality/sample_new.html", {"form": form}, status=status)


def _render_sample(request: HttpRequest, sample: Sample, *, peers: PeersForm | None = None,
                   status: int = 200) -> HttpResponse:
    entries = list(selectors.sample_entries(sample=sample, user=request.user, whole=sample.whole))
    centres = list(Institution.objects.filter(pk__in=sample.centre_ids).order_by("name").only("name"))
    can_assign = sample.peer_review and sample.whole
    if can_assign and peers is None:
        peers = PeersForm(memberships=selectors.evaluator_memberships(), auto_id="id_peers_%s",
                          initial={"reviewers": [e.reviewer_id for e in entries if e.reviewer_id]})
    return render(request, "quality/sample.html", {
        "sample": sample, "entries": [{"obj": e, "category": _category_label(e.stratum), "grade": _grade_label(e.grade)}
                                      for e in entries],
        "centres": centres, "peers": peers if can_assign else None,
        "graded": sum(1 for e in entries if e.grade), "percent": sample.rate * 100,
    }, status=status)


@never_cache
@require_GET
@evaluator_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_sample(request, selectors.sample_for(user=request.user, id=pk))


@never_cache
@require_POST
@evaluator_required
def sample_peers(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.sample_for(user=request.user, id=pk)
    if not sample.whole:
        raise Http404
    form = PeersForm(request.POST, memberships=selectors.evaluator_memberships(), auto_id="id_peers_%s")
    status = 400
    if form.is_valid():
        status, _sample = _call(request, form, lambda: services_review.sample_assign_peers(
            actor=request.user, sample=sample, reviewers=list(form.cleaned_data["reviewers"])),
            attempted="quality.sample_assign_peers", obj=sample)
        if status == 200:
            messages.success(request, _("The peer reviewers have been assigned and told."))
            return redirect("quality:sample", pk=sample.pk)
    return _render_sample(request, sample, peers=form, status=status)


# --- one case's quality page ---------------------------------------------------------------------

@dataclass
class CasePage:
    """What every form of the case page needs, loaded once per request."""

    case: Case
    in_region: bool  # False for a peer reviewer from another county: they only record checks
    peer_sample: Sample | None
    scheme: Scheme | None
    user: Any
    scheme_error: str = ""
    items: list = field(default_factory=list)

    def hearings(self) -> QuerySet[ProgressEntry]:
        return ProgressEntry.objects.filter(case=self.case, kind=ProgressKind.HEARING).order_by("hearing_at", "id")

    def panels(self) -> QuerySet[PanelSession]:
        return selectors.panels_open_for_case(user=self.user, case=self.case)


def _case_page(request: HttpRequest, pk: int) -> CasePage:
    case = access_quality_case(user=request.user, id=pk)
    entry = (SampleCase.objects.filter(case=case, reviewer=request.user, sample__peer_review=True)
             .select_related("sample").order_by("-sample__drawn_at", "-id").first())
    page = CasePage(case=case, in_region=services.in_scope(request.user, case.region),
                    peer_sample=entry.sample if entry else None, scheme=None, user=request.user)
    try:
        page.scheme = services.scheme_current_for(case)
    except ApplicationError as exc:
        page.scheme_error = str(exc.message)
    else:
        page.items = list(page.scheme.items.all())
    return page


def _posted_scheme(request: HttpRequest, page: CasePage) -> tuple[Scheme | None, list]:
    """The scheme version the evaluator had on screen (a new version may have been published since):
    the check is recorded against it, so the scores typed match the items shown."""
    posted = request.POST.get("scheme", "")
    if posted.isdigit() and page.scheme is not None and int(posted) != page.scheme.pk:
        scheme = Scheme.objects.filter(pk=int(posted), code=page.scheme.code).first()
        if scheme is not None:
            return scheme, list(scheme.items.all())
    return page.scheme, page.items


def _check_form(method: str, page: CasePage, data=None, *, scheme=None, items=None):
    scheme, items = (scheme, items) if scheme is not None else (page.scheme, page.items)
    kwargs: dict[str, Any] = {"items": items, "auto_id": f"id_{method}_%s",
                              "initial": {"scheme": scheme.pk if scheme else None}}
    if method == Method.HEARING:
        kwargs["hearings"] = page.hearings()
    return CHECK_FORMS[method](data, **kwargs)


def _reply_form(letter: OpinionLetter, page: CasePage, data=None) -> ReplyForm:
    return ReplyForm(data, items=page.items, prefix=f"reply{letter.pk}", auto_id="id_%s")


def _record_rows(case: Case) -> list[dict[str, Any]]:
    rows = []
    for evaluation in selectors.case_evaluations(case=case).prefetch_related("scheme__items").order_by(
            "evaluated_on", "id"):
        titles = {item.code: item.title for item in evaluation.scheme.items.all()}
        rows.append({"obj": evaluation, "items": [(titles.get(code, code), score)
                                                  for code, score in evaluation.item_scores.items()]})
    return rows


def _grade_view(grade: CaseGrade | None) -> dict[str, Any] | None:
    if grade is None:
        return None
    detail = grade.detail or {}
    methods = [{"label": Method(m).label if m in Method.values else m, "mean": mean,
                "weight": detail.get("weights", {}).get(m, "")} for m, mean in detail.get("methods", {}).items()]
    bands_of = Scheme.objects.filter(pk=detail.get("bands_of")).first()
    return {"obj": grade, "methods": methods, "bands_of": bands_of, "from_bands": detail.get("from_bands", ""),
            "caps": [CAP_LABELS.get(c, c) for c in detail.get("caps", [])]}


def _render_case(request: HttpRequest, page: CasePage, *, bound: dict[str, forms.Form] | None = None,
                 status: int = 200) -> HttpResponse:
    bound = bound or {}
    case = page.case
    checks = []
    if page.scheme is not None:
        for method in CHECK_FORMS:
            checks.append({"method": method, "label": Method(method).label,
                           "form": bound.get(method) or _check_form(method, page)})
    context: dict[str, Any] = {
        "case": case, "page": page, "category": _category_label(case.category), "stage": _stage_label(case.stage),
        "scheme": page.scheme, "items": [{"obj": item, "methods": [Method(m).label for m in item.methods
                                                                      if m in Method.values]}
                                         for item in page.items],
        "records": _record_rows(case), "checks": checks, "in_region": page.in_region,
    }
    if page.in_region:
        letters = list(OpinionLetter.objects.filter(case=case).select_related("reply").order_by("sent_on", "id"))
        context.update(
            grade=_grade_view(CaseGrade.objects.filter(case=case).select_related("graded_by").first()),
            grade_form=bound.get("grade") or StyledForm(),
            tickets=list(Ticket.objects.filter(case=case).select_related("owner").order_by("-opened_at", "-id")),
            letters=[{"obj": letter, "form": None if letter.reply_id else (
                bound.get(f"reply{letter.pk}") or _reply_form(letter, page))} for letter in letters],
            letter_form=bound.get("letter") or LetterForm(auto_id="id_letter_%s"),
            complaint_form=bound.get("complaint") or ComplaintForm(auto_id="id_complaint_%s"),
            propose_form=bound.get("propose") or ProposeCaseForm(panels=page.panels(), auto_id="id_propose_%s"),
            today=timezone.localdate(),
        )
    return render(request, "quality/case.html", context, status=status)


@never_cache
@require_GET
@evaluator_required
def case_quality(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _case_page(request, pk))


@dataclass(frozen=True)
class CaseAction:
    """One form of the case page: how to build it from the POST, the service it calls, what to say."""

    build: Callable[[CasePage, Any], forms.Form]
    run: Callable[[HttpRequest, CasePage, forms.Form], Any]
    done: Promise
    anchor: str
    aliases: dict[str, str] = field(default_factory=dict)


def _record(request: HttpRequest, page: CasePage, form, *, scheme) -> Evaluation:
    return services.evaluation_record(actor=request.user, case=page.case, scheme_version=scheme,
                                      sample=page.peer_sample, **form.service_kwargs())


CASE_ACTIONS: dict[str, CaseAction] = {
    "grade": CaseAction(
        lambda page, data: StyledForm(data),
        lambda request, page, form: services.case_grade(actor=request.user, case=page.case),
        gettext_lazy("The case has been graded."), "grade"),
    "letter": CaseAction(
        lambda page, data: LetterForm(data, auto_id="id_letter_%s"),
        lambda request, page, form: services_review.opinion_letter_send(
            actor=request.user, case=page.case, **form.service_kwargs()),
        gettext_lazy("The letter has been numbered: print it and send it."), "opinion"),
    "complaint": CaseAction(
        lambda page, data: ComplaintForm(data, auto_id="id_complaint_%s"),
        lambda request, page, form: services_review.complaint_record(
            actor=request.user, case=page.case, **form.service_kwargs()),
        gettext_lazy("The complaint has been recorded and a supervision ticket opened."), "tickets"),
    "propose": CaseAction(
        lambda page, data: ProposeCaseForm(data, panels=page.panels(), auto_id="id_propose_%s"),
        lambda request, page, form: services_panels.nomination_propose(
            actor=request.user, session=form.cleaned_data["session"], case=page.case,
            reason=form.cleaned_data["reason"]),
        gettext_lazy("The case has been proposed to the review panel."), "propose", {"case": ""}),
}


def _case_post(request: HttpRequest, page: CasePage, name: str, form: forms.Form, run: Callable[[], Any], *,
               done: Promise, anchor: str, aliases: dict[str, str] | None = None) -> HttpResponse:
    status = 400
    if form.is_valid():
        status, _result = _call(request, form, run, attempted=f"quality.case.{name}", obj=page.case,
                                aliases=aliases)
        if status == 200:
            messages.success(request, str(done))
            return redirect(f"{reverse('quality:case', args=[page.case.pk])}#{anchor}")
    return _render_case(request, page, bound={name: form}, status=status)


@never_cache
@require_POST
@evaluator_required
def case_check(request: HttpRequest, pk: int, method: str) -> HttpResponse:
    """Record a file review, a hearing observation or a follow-up against the scheme version shown."""
    if method not in CHECK_FORMS:
        raise Http404
    page = _case_page(request, pk)
    if page.scheme is None:
        raise Http404
    scheme, items = _posted_scheme(request, page)
    form = _check_form(method, page, request.POST, scheme=scheme, items=items)
    return _case_post(request, page, method, form, lambda: _record(request, page, form, scheme=scheme),
                      done=gettext_lazy("The check has been recorded."), anchor="records",
                      aliases={"method": "", "scores": "", "scheme_version": ""})


@never_cache
@require_POST
@evaluator_required
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = CASE_ACTIONS.get(action)
    if spec is None:
        raise Http404
    page = _case_page(request, pk)
    if not page.in_region:  # a peer reviewer from elsewhere records checks, nothing more
        raise Http404
    form = spec.build(page, request.POST)
    return _case_post(request, page, action, form, lambda: spec.run(request, page, form), done=spec.done,
                      anchor=spec.anchor, aliases=spec.aliases)


@never_cache
@require_POST
@evaluator_required
def letter_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The organ's reply to a letter, recorded as the case's opinion check."""
    letter = OpinionLetter.objects.filter(pk=pk).only("case_id").first()
    if letter is None:
        raise Http404
    page = _case_page(request, letter.case_id)
    if not page.in_region or page.scheme is None:
        raise Http404
    form = _reply_form(letter, page, request.POST)
    return _case_post(request, page, f"reply{letter.pk}", form, lambda: services_review.opinion_letter_reply(
        actor=request.user, letter=letter, **form.service_kwargs()),
        done=gettext_lazy("The reply has been recorded as the opinion check."), anchor="opinion",
        aliases={"scores": "", "method": ""})


# --- supervision tickets ---------------------------------------------------------------------------

@never_cache
@require_GET
@require_any_capability(EVALUATE, Capability.CASE_HANDLE)
def tickets(request: HttpRequest) -> HttpResponse:
    """The region's tickets for an evaluator; a lawyer sees the tickets they must answer."""
    today = timezone.localdate()
    form = TicketFilterForm(request.GET or None)
    current = form.status_value()
    qs = selectors.tickets_visible_to(user=request.user, status="" if current == "all" else current, today=today)
    page = paginate_in_two_steps(qs, number=request.GET.get("page"), per_page=PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "quality/tickets.html", {
        "page": page, "tickets": page.object_list, "current": current, "today": today,
        "filters": form.fields["status"].choices, "query": params.urlencode(),
        "evaluator": user_can(request.user, EVALUATE),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@_signed_in
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """A ticket's page: its owner (the lawyer) or an evaluator of the region closes it with evidence."""
    item = selectors.ticket_for(user=request.user, id=pk)
    form = TicketCloseForm(request.POST or None, auto_id="id_close_%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status, _closed = _call(request, form, lambda: services.ticket_close(
                actor=request.user, ticket=item, evidence=form.cleaned_data["evidence"]),
                attempted="quality.ticket_close", obj=item)
            if status == 200:
                messages.success(request, _("The ticket has been closed with the evidence."))
                return redirect("quality:ticket", pk=item.pk)
    is_evaluator = user_can(request.user, EVALUATE)
    return render(request, "quality/ticket.html", {
        "ticket": item, "form": form, "today": timezone.localdate(), "is_owner": item.owner_id == request.user.pk,
        "case_url": reverse("quality:case", args=[item.case_id]) if is_evaluator
        else reverse("cases:detail", args=[item.case_id]),
    }, status=status)


# --- evaluation schemes ----------------------------------------------------------------------------

def _method_labels(codes) -> list[str]:
    return [Method(m).label for m in codes if m in Method.values]


@never_cache
@require_GET
@require_any_capability(Capability.QUALITY_SCHEMES, EVALUATE)
def schemes(request: HttpRequest) -> HttpResponse:
    return render(request, "quality/schemes.html", {
        "families": [{"obj": s, "category": _category_label(s.category), "stage": _stage_label(s.stage)}
                     for s in selectors.scheme_families()],
        "can_edit": user_can(request.user, Capability.QUALITY_SCHEMES),
    })


@never_cache
@require_GET
@require_any_capability(Capability.QUALITY_SCHEMES, EVALUATE)
def scheme(request: HttpRequest, code: str) -> HttpResponse:
    stage = request.GET.get("stage", "")
    versions = list(selectors.scheme_versions(code=code, stage=stage))
    if not versions:
        raise Http404
    return render(request, "quality/scheme.html", {
        "code": code, "stage": stage, "stage_label": _stage_label(stage),
        "versions": [{"obj": v, "items": [{"obj": i, "methods": _method_labels(i.methods)} for i in v.items.all()]}
                     for v in versions],
        "can_edit": user_can(request.user, Capability.QUALITY_SCHEMES),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.QUALITY_SCHEMES)
def scheme_new(request: HttpRequest, code: str) -> HttpResponse:
    """Publish a new version, pre-filled from the current one. Nothing typed is lost on an error."""
    stage = request.POST.get("stage", request.GET.get("stage", ""))
    current = Scheme.objects.filter(code=code, stage=stage, is_current=True).prefetch_related("items").first()
    if current is None:
        raise Http404
    initial, items = scheme_initial(current)
    errors: dict[str, list[str]] = {"bands": [], "items": []}
    if request.method == "GET":
        form, formset = SchemeForm(initial=initial), SchemeItemFormSet(initial=items, prefix="items")
        status = 200
    else:
        form = SchemeForm(request.POST)
        # No `initial` here: the rows are whatever the browser sent (an emptied extra row is skipped).
        formset = SchemeItemFormSet(request.POST, prefix="items")
        status = 400
        if form.is_valid() and formset.is_valid():
            data = {"code": code, "stage": stage, "category": current.category, "title": form.cleaned_data["title"],
                    "effective_from": form.cleaned_data["effective_from"], "bands": form.bands(),
                    "items": [f.item() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]}
            try:
                published = services.scheme_publish(actor=request.user, data=data)
            except ApplicationError as exc:
                if exc.status == 403:
                    _deny(request, capability=Capability.QUALITY_SCHEMES, attempted="quality.scheme_publish")
                if exc.field in errors:
                    errors[exc.field].append(str(exc.message))
                else:
                    put_service_error(form, exc)
            else:
                messages.success(request, _("Version %(version)s has been published and is now current.")
                                 % {"version": published.version})
                url = reverse("quality:scheme", args=[code])
                return redirect(f"{url}?stage={stage}" if stage else url)
    return render(request, "quality/scheme_new.html", {
        "current": current, "code": code, "stage": stage, "stage_label": _stage_label(stage), "form": form,
        "formset": formset, "errors": errors,
    }, status=status)


# --- review panels and exemplary cases -------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
@evaluator_required
def panels(request: HttpRequest) -> HttpResponse:
    memberships = selectors.evaluator_memberships()
    form = PanelForm(request.POST or None, user=request.user, memberships=memberships, auto_id="id_panel_%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status, created = _call(request, form, lambda: services_panels.panel_create(
                actor=request.user, **form.cleaned_data), attempted="quality.panel_create")
            if status == 200:
                messages.success(request, _("The review panel has been set up."))
                return redirect("quality:panel", pk=created.pk)
    return render(request, "quality/panels.html", {
        "panels": list(selectors.panels_visible_to(user=request.user)[:100]), "form": form,
    }, status=status)


def _render_panel(request: HttpRequest, session: PanelSession, *, bound: dict[str, forms.Form] | None = None,
                  status: int = 200) -> HttpResponse:
    bound = bound or {}
    user = request.user
    is_member = session.members.filter(pk=user.pk).exists()
    is_open = session.status == PanelStatus.OPEN
    in_region = services.in_scope(user, session.region)
    nominations = []
    for nomination in selectors.panel_nominations(session=session, user=user):
        key = f"vote{nomination.pk}"
        vote_form = None
        if is_member and is_open:
            vote_form = bound.get(key) or VoteForm(initial={"vote": nomination.my_vote}, prefix=key,
                                                   auto_id="id_%s")
        nominations.append({"obj": nomination, "category": _category_label(nomination.case.category),
                            "grade": _grade_label(nomination.grade), "vote_form": vote_form})
    exemplary = list(ExemplaryCase.objects.filter(nomination__session=session).select_related("case")
                     .order_by("id"))
    return render(request, "quality/panel.html", {
        "session": session, "members": list(session.members.order_by("username")), "nominations": nominations,
        "is_member": is_member, "is_open": is_open, "in_region": in_region, "exemplary": exemplary,
        "propose_form": (bound.get("propose") or ProposeNumberForm(session=session, user=user, auto_id="id_propose_%s"))
        if is_open and in_region else None,
        "close_form": bound.get("close") or StyledForm(),
    }, status=status)


@never_cache
@require_GET
@evaluator_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_panel(request, selectors.panel_for(user=request.user, id=pk))


def _panel_post(request: HttpRequest, session: PanelSession, name: str, form: forms.Form, run: Callable[[], Any],
                *, done: Callable[[Any], str], aliases: dict[str, str] | None = None) -> HttpResponse:
    status = 400
    if form.is_valid():
        status, result = _call(request, form, run, attempted=f"quality.panel.{name}", obj=session, aliases=aliases)
        if status == 200:
            messages.success(request, done(result))
            return redirect("quality:panel", pk=session.pk)
    return _render_panel(request, session, bound={name: form}, status=status)


@never_cache
@require_POST
@evaluator_required
def panel_vote(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    session = selectors.panel_for(user=request.user, id=pk)
    nomination = session.nominations.filter(pk=nomination_pk).first()
    if nomination is None:
        raise Http404
    key = f"vote{nomination.pk}"
    form = VoteForm(request.POST, prefix=key, auto_id="id_%s")
    return _panel_post(request, session, key, form, lambda: services_panels.panel_vote(
        actor=request.user, nomination=nomination, vote=form.cleaned_data["vote"]),
        done=lambda _vote: _("Your vote has been recorded."))


@never_cache
@require_POST
@evaluator_required
def panel_propose(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.panel_for(user=request.user, id=pk)
    form = ProposeNumberForm(request.POST, session=session, user=request.user, auto_id="id_propose_%s")
    return _panel_post(request, session, "propose", form, lambda: services_panels.nomination_propose(
        actor=request.user, session=session, case=form.cleaned_data["number"], reason=form.cleaned_data["reason"]),
        done=lambda _n: _("The case has been proposed."), aliases={"case": "number"})


@never_cache
@require_POST
@evaluator_required
def panel_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.panel_for(user=request.user, id=pk)
    return _panel_post(request, session, "close", StyledForm(request.POST),
                       lambda: services_panels.panel_close(actor=request.user, session=session),
                       done=lambda named: _("The votes have been counted. Exemplary cases named: %(count)d; edit "
                                            "their summaries before publishing.") % {"count": len(named)})


@never_cache
@require_http_methods(["GET", "POST"])
@evaluator_required
def exemplary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exemplary = selectors.exemplary_for(user=request.user, id=pk)
    initial = {"title": exemplary.title, "summary": exemplary.summary, "significance": exemplary.significance,
               "publish": exemplary.published_at is not None}
    form = ExemplaryForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status, _saved = _call(request, form, lambda: services_panels.exemplary_publish(
                actor=request.user, exemplary=exemplary, **form.cleaned_data),
                attempted="quality.exemplary_publish", obj=exemplary)
            if status == 200:
                messages.success(request, _("Published in the public library.") if form.cleaned_data["publish"]
                                 else _("Saved; the case is not in the public library."))
                return redirect("quality:exemplary_edit", pk=exemplary.pk)
    return render(request, "quality/exemplary_edit.html", {
        "exemplary": exemplary, "form": form, "category": _category_label(exemplary.category),
    }, status=status)


# --- the public library of exemplary cases ---------------------------------------------------------

@require_GET
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    category = form.category_value()
    page = Paginator(selectors.library_cases(category=category), LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "quality/library.html", {
        "form": form, "page_obj": page,
        "cases": [{"obj": e, "category": _category_label(e.category)} for e in page.object_list],
    })


@require_GET
def library_case(request: HttpRequest, pk: int) -> HttpResponse:
    exemplary = selectors.library_case(id=pk)
    return render(request, "quality/library_case.html", {
        "exemplary": exemplary, "category": _category_label(exemplary.category)})

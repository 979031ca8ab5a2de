"""The staff console of people's mediation: the case list, registering a dispute, the case page with
every step (consent, sessions, agreement, signing, judicial confirmation, performance, failure and
referral), the agreement documents and the figures with an Excel export."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from open12348.accounts.permissions import require_any_capability, require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError

from . import documents, forms, services
from .access import access_dispute
from .choices import DisputeStatus
from .models import Party
from .selectors import DisputeFilters, dispute_list, mediation_stats

PAGE_SIZE = 25
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> tuple[forms.FilterForm, DisputeFilters]:
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, DisputeFilters(status=data.get("status") or "", dispute_type=data.get("dispute_type") or "",
                                date_from=data.get("date_from"), date_to=data.get("date_to"),
                                overdue=bool(data.get("overdue")))


@require_safe
@require_any_capability(Capability.MEDIATION_HANDLE, Capability.MEDIATION_MANAGE)
def dispute_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, filters = _filters(request)
    page_obj = Paginator(dispute_list(user=request.user, filters=filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "mediation/list.html", {
        "page_obj": page_obj, "form": form, "today": today, "query": query.urlencode(),
        "can_handle": user_can(request.user, Capability.MEDIATION_HANDLE),
        "can_manage": user_can(request.user, Capability.MEDIATION_MANAGE),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.MEDIATION_HANDLE)
def dispute_register_view(request: HttpRequest) -> HttpResponse:
    committees = forms.committees_for(request.user)
    form = forms.DisputeRegisterForm(request.POST or None, committees=committees,
                                     initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.dispute_register(
                actor=request.user, committee=data["committee"], dispute_type=data["dispute_type"],
                source=data["source"], source_detail=data["source_detail"], facts=data["facts"],
                parties=form.parties(), mediators=data["mediators"], received_on=data["received_on"])
        except ApplicationError as exc:
            form.add_error(_form_field(exc, form), exc.message)
        else:
            messages.success(request, _("Dispute %(number)s registered.") % {"number": case.number})
            return redirect("mediation:detail", case.pk)
    return render(request, "mediation/register.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _form_field(exc: ApplicationError, form) -> str | None:
    field = exc.field or ""
    if field.startswith("parties."):
        _p, index, name = (field.split(".") + ["", ""])[:3]
        field = f"p{index}_{name}"
    return field if field in form.fields else None


ACTIONS = {
    "session": forms.SessionForm,
    "agreement": forms.AgreementForm,
    "sign": forms.SignForm,
    "confirmation_apply": forms.ConfirmationApplyForm,
    "confirmation_result": forms.ConfirmationResultForm,
    "performance": forms.PerformanceForm,
    "fail": forms.FailForm,
    "withdraw": forms.WithdrawForm,
}


def _detail_context(request, case, *, bound: dict | None = None) -> dict:
    bound = bound or {}
    today = timezone.localdate()
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    action_forms = {name: bound.get(name) or cls(initial={"held_on": today, "made_on": today, "signed_on": today,
                                                          "applied_on": today, "decided_on": today,
                                                          "checked_on": today, "closed_on": today,
                                                          "performance_due": today})
                    for name, cls in ACTIONS.items()}
    referral_form = bound.get("refer") or forms.LegalAidReferralForm(case=case, user=request.user)
    return {
        "case": case, "agreement": agreement, "today": today,
        "parties": list(case.parties.all()), "sessions": list(case.sessions.select_related("recorded_by")),
        "mediators": list(case.mediators.all()), "events": list(case.events.select_related("actor")),
        "forms": action_forms, "referral_form": referral_form,
        "can_handle": user_can(request.user, Capability.MEDIATION_HANDLE),
        "can_refer": user_can(request.user, Capability.AID_INTAKE),
        "statuses": DisputeStatus, "overdue": case.overdue_on(today),
    }


@never_cache
@require_safe
@require_any_capability(Capability.MEDIATION_HANDLE, Capability.MEDIATION_MANAGE)
def dispute_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_dispute(user=request.user, id=pk)
    audit_record(actor=request.user, action="mediation.case.view", obj=case)
    return render(request, "mediation/detail.html", _detail_context(request, case))


@require_POST
@require_capability(Capability.MEDIATION_HANDLE)
def party_consent_view(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    case = access_dispute(user=request.user, id=pk)
    party = Party.objects.filter(pk=party_pk, case=case).first()
    if party is None:
        raise Http404
    try:
        services.party_consent_record(actor=request.user, party=party, consents=request.POST.get("consent") == "yes")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("mediation:detail", case.pk)


@require_POST
@require_capability(Capability.MEDIATION_HANDLE)
def dispute_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = access_dispute(user=request.user, id=pk)
    if action not in ACTIONS:
        raise Http404
    form = ACTIONS[action](request.POST)
    if form.is_valid():
        data = form.cleaned_data
        agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
        try:
            if action == "session":
                services.session_record(actor=request.user, case=case, **data)
            elif action == "agreement":
                services.agreement_make(actor=request.user, case=case, **data)
            elif action == "fail":
                services.dispute_fail(actor=request.user, case=case, **data)
            elif action == "withdraw":
                services.dispute_withdraw(actor=request.user, case=case, **data)
            elif agreement is None:
                raise ApplicationError(_("Record the agreement first."), code="no_agreement")
            elif action == "sign":
                services.agreement_sign(actor=request.user, agreement=agreement, **data)
            elif action == "confirmation_apply":
                services.confirmation_apply(actor=request.user, agreement=agreement, **data)
            elif action == "confirmation_result":
                services.confirmation_result_record(actor=request.user, agreement=agreement, **data)
            elif action == "performance":
                services.performance_record(actor=request.user, agreement=agreement, **data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("mediation:detail", case.pk)
    context = _detail_context(request, case, bound={action: form})
    context["open_action"] = action
    return render(request, "mediation/detail.html", context, status=400)


@require_POST
@require_capability(Capability.MEDIATION_HANDLE)
def refer_legal_aid_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_dispute(user=request.user, id=pk)
    form = forms.LegalAidReferralForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        party = case.parties.get(pk=form.cleaned_data["party"])
        try:
            application = services.dispute_refer_legal_aid(actor=request.user, case=case, party=party,
                                                           centre=form.cleaned_data["centre"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Legal aid application %(number)s registered.")
                             % {"number": application.number})
            return redirect("mediation:detail", case.pk)
    context = _detail_context(request, case, bound={"refer": form})
    return render(request, "mediation/detail.html", context, status=400)


@require_safe
@require_any_capability(Capability.MEDIATION_HANDLE, Capability.MEDIATION_MANAGE)
def agreement_document_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    case = access_dispute(user=request.user, id=pk)
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    if agreement is None or fmt not in ("pdf", "docx"):
        raise Http404
    if fmt == "pdf":
        content, content_type = documents.agreement_pdf(agreement), documents.PDF_CONTENT_TYPE
    else:
        content, content_type = documents.agreement_docx(agreement), documents.DOCX_CONTENT_TYPE
    audit_record(actor=request.user, action="mediation.agreement.download", obj=case, extra={"format": fmt})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.agreement_filename(agreement, fmt)}"'
    return response


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


@require_safe
@require_any_capability(Capability.MEDIATION_MANAGE, Capability.MEDIATION_HANDLE)
def stats_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, filters = _filters(request)
    stats = mediation_stats(user=request.user, filters=filters, today=today)
    if request.GET.get("format") == "xlsx":
        return _stats_workbook(request, form, stats)
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(request, "mediation/stats.html", {"form": form, "stats": stats, "xlsx_query": query.urlencode()})


def _stats_workbook(request, form, stats) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mediation figures")[:31]
    sheet.append([_("People's mediation figures")])
    sheet["A1"].font = Font(bold=True, size=14)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    for name, field in form.fields.items():
        value = data.get(name)
        if isinstance(value, dt.date):
            shown = value.isoformat()
        elif hasattr(field, "choices") and value:
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value) if value not in (None, "", False) else _("All")
        sheet.append([str(field.label), shown])
    sheet.append([])
    headers = [_("Group"), _("Cases"), _("Ended"), _("Agreements"), _("Success rate"), _("Median days to resolve")]
    for title, rows in ((_("By type of dispute"), stats.by_type), (_("By mediation committee"), stats.by_committee)):
        sheet.append([title])
        sheet.append(headers)
        for row in rows:
            sheet.append([row.label, row.total, row.closed, row.agreed, row.success_rate, row.median_days])
        sheet.append([])
    sheet.append([_("Total"), stats.overall.total, stats.overall.closed, stats.overall.agreed,
                  stats.overall.success_rate, stats.overall.median_days])
    sheet.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(actor=request.user, action="mediation.stats.export")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mediation-figures.xlsx"'
    return response

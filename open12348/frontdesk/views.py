"""The front desk console: the queue and every ticket's status (overdue highlighted), registering a
visitor with their requests, a ticket's page (back office status, result, referral letter) and the
consultation register."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from open12348.accounts.permissions import require_capability
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.crypto import blind_index
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_id_number, mask_phone

from . import documents, forms, services
from .access import access_ticket
from .adapters import adapter_for
from .choices import REFERRAL_KINDS, ConsultationChannel, TicketKind, TicketStatus
from .models import QueueNumber
from .selectors import consultations_visible_to, queue_today, tickets_visible_to

PAGE_SIZE = 30


def _desk(request: HttpRequest):
    desks = list(services.desks_of(request.user)[:50])
    chosen = request.GET.get("desk") or request.POST.get("desk") or request.session.get("frontdesk_desk")
    desk = next((d for d in desks if str(d.pk) == str(chosen)), desks[0] if desks else None)
    if desk is not None:
        request.session["frontdesk_desk"] = desk.pk
    return desk, desks


@require_safe
@require_capability(Capability.FRONTDESK)
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    desk, desks = _desk(request)
    form = forms.TicketFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    tickets = tickets_visible_to(user=request.user, status=data.get("status") or "", kind=data.get("kind") or "",
                                 overdue_on=today if data.get("overdue") else None)
    page_obj = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(t, adapter_for(t.kind).read(t), t.status != TicketStatus.RESOLVED and t.feedback_due < today)
            for t in page_obj]
    return render(request, "frontdesk/home.html", {
        "desk": desk, "desks": desks, "queue": queue_today(desk=desk, day=today) if desk else None,
        "page_obj": page_obj, "rows": rows, "form": form, "today": today,
    })


@require_POST
@require_capability(Capability.FRONTDESK)
def queue_take_view(request: HttpRequest) -> HttpResponse:
    desk, _desks = _desk(request)
    if desk is None:
        raise Http404
    number = services.queue_take(actor=request.user, desk=desk)
    messages.success(request, _("Queue number %(label)s issued.") % {"label": number.label})
    return redirect("frontdesk:home")


@require_POST
@require_capability(Capability.FRONTDESK)
def queue_call_view(request: HttpRequest) -> HttpResponse:
    desk, _desks = _desk(request)
    if desk is None:
        raise Http404
    try:
        number = services.queue_call_next(actor=request.user, desk=desk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("frontdesk:home")
    if number is None:
        messages.info(request, _("Nobody is waiting."))
        return redirect("frontdesk:home")
    return redirect(f"{redirect('frontdesk:visit_new').url}?queue={number.pk}")


@require_POST
@require_capability(Capability.FRONTDESK)
def sync_view(request: HttpRequest) -> HttpResponse:
    changed = services.tickets_sync_open(actor=request.user,
                                         queryset=tickets_visible_to(user=request.user).select_related(None))
    messages.success(request, _("%(n)d tickets updated from their back offices.") % {"n": changed})
    return redirect("frontdesk:home")


def _lookup(request: HttpRequest) -> dict | None:
    """A visitor found by ID number through its keyed hash, shown masked."""
    from open12348.legalaid.models import Person

    raw = (request.GET.get("lookup") or "").strip().upper()
    if not raw:
        return None
    person = Person.objects.filter(id_number_hash=blind_index(raw, purpose="id_number")).first()
    audit_record(actor=request.user, action="frontdesk.person.lookup", obj=person,
                 extra={"found": person is not None})
    if person is None:
        return {"found": False, "id_number": raw}
    return {"found": True, "name": person.name, "id_number": raw, "id_masked": mask_id_number(person.id_number),
            "phone_masked": mask_phone(person.phone), "visits": person.frontdesk_visits.count()}


def _error_field(exc: ApplicationError, requests: list[dict], form) -> str | None:
    field = exc.field or ""
    if field.startswith("person."):
        field = field.split(".", 1)[1]
    elif field.startswith("requests."):
        _r, index, name = (field.split(".") + ["", ""])[:3]
        kind = requests[int(index)]["kind"] if index.isdigit() and int(index) < len(requests) else ""
        if kind in REFERRAL_KINDS:
            field = {"owner": "referral_owner", "summary": "referral_summary"}.get(name, "")
        else:
            field = forms.VisitForm.FIELD_OF_REQUEST.get(kind, {}).get(name, "")
    elif field in ("centre", "matter", "category", "aid_form", "facts", "stage", "residence"):
        field = {"centre": "aid_centre", "matter": "aid_matter", "category": "aid_category", "aid_form": "aid_form",
                 "facts": "aid_facts", "residence": "aid_residence"}.get(field, "")
    elif field in ("committee", "dispute_type", "parties"):
        field = forms.VisitForm.FIELD_OF_REQUEST[TicketKind.MEDIATION].get(field, "")
    return field if field in form.fields else None


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.FRONTDESK)
def visit_new(request: HttpRequest) -> HttpResponse:
    desk, _desks = _desk(request)
    if desk is None:
        raise Http404
    lookup = _lookup(request)
    initial = {"queue_number": request.GET.get("queue") or None}
    if lookup:
        initial.update(id_number=lookup["id_number"], name=lookup.get("name", ""))
    form = forms.VisitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        requests = form.requests()
        queue_number = None
        if form.cleaned_data.get("queue_number"):
            queue_number = QueueNumber.objects.filter(pk=form.cleaned_data["queue_number"], desk=desk).first()
        try:
            visit = services.visit_register(actor=request.user, desk=desk, person=form.person(), requests=requests,
                                            queue_number=queue_number)
        except ApplicationError as exc:
            form.add_error(_error_field(exc, requests, form), exc.message)
        else:
            messages.success(request, _("Registered %(n)d requests.") % {"n": visit.tickets.count()})
            return redirect("frontdesk:home")
    return render(request, "frontdesk/visit_new.html", {"form": form, "desk": desk, "lookup": lookup},
                  status=400 if request.method == "POST" else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.FRONTDESK)
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = access_ticket(user=request.user, id=pk)
    form = forms.ResultForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "sync":
            services.ticket_sync(ticket=ticket, actor=request.user)
            return redirect("frontdesk:ticket", ticket.pk)
        if form.is_valid():
            try:
                services.ticket_result_record(actor=request.user, ticket=ticket, result=form.cleaned_data["result"])
            except ApplicationError as exc:
                form.add_error("result" if exc.field == "result" else None, exc.message)
            else:
                messages.success(request, _("Result recorded."))
                return redirect("frontdesk:ticket", ticket.pk)
        status = 400
    else:
        audit_record(actor=request.user, action="frontdesk.ticket.view", obj=ticket)
    person = ticket.visit.person
    return render(request, "frontdesk/ticket.html", {
        "ticket": ticket, "state": adapter_for(ticket.kind).read(ticket), "form": form,
        "events": list(ticket.events.select_related("actor")), "is_referral": ticket.kind in REFERRAL_KINDS,
        "id_masked": mask_id_number(person.id_number), "phone_masked": mask_phone(person.phone),
        "overdue": ticket.status != TicketStatus.RESOLVED and ticket.feedback_due < timezone.localdate(),
    }, status=status)


@require_safe
@require_capability(Capability.FRONTDESK)
def referral_letter(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = access_ticket(user=request.user, id=pk)
    if ticket.kind not in REFERRAL_KINDS:
        raise Http404
    audit_record(actor=request.user, action="frontdesk.referral_letter.download", obj=ticket)
    response = HttpResponse(documents.referral_letter_pdf(ticket), content_type=documents.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="referral-{ticket.number}.pdf"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.FRONTDESK)
def consultations(request: HttpRequest) -> HttpResponse:
    desk, _desks = _desk(request)
    channel = request.GET.get("channel", "")
    if channel not in ConsultationChannel.values:
        channel = ""
    form = forms.ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and desk is not None:
        try:
            services.consultation_record(actor=request.user, desk=desk, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Consultation recorded."))
            return redirect("frontdesk:consultations")
    page_obj = Paginator(consultations_visible_to(user=request.user, channel=channel), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "frontdesk/consultations.html", {
        "page_obj": page_obj, "channel": channel, "channels": ConsultationChannel.choices, "form": form,
    }, status=400 if request.method == "POST" else 200)

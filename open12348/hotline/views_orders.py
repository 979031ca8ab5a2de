"""Console pages of work orders: the list, one work order (with its content form, the audited
reveal of the caller's number, referrals and expert booking), a call entered by hand, and the
pre-filled legal aid referral."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from open12348.accounts.permissions import require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_phone
from open12348.core.pagination import paginate_in_two_steps

from . import selectors
from .access import access_work_order
from .choices import CallStatus, Referral
from .forms import (
    ExpertForm,
    LegalAidReferralForm,
    ManualCallForm,
    OrderFilterForm,
    RecordForm,
    ReferForm,
    apply_service_error,
)
from .referrals import legal_aid_prefill
from .services import calls
from .views_common import PAGE_SIZE, chosen_hotline, query_without_page

ANSWER = Capability.HOTLINE_ANSWER
STATUS_BADGES = {
    CallStatus.RINGING: "text-bg-info", CallStatus.IN_CALL: "text-bg-primary", CallStatus.ANSWERED: "text-bg-success",
    CallStatus.MISSED: "text-bg-danger", CallStatus.VOICE_MESSAGE: "text-bg-warning",
    CallStatus.MESSAGE: "text-bg-warning",
}
TIMELINE_LABELS = {
    "recorded": gettext_lazy("Content recorded"), "referred": gettext_lazy("Referred"), "referred_legal_aid": gettext_lazy("Referred to legal aid"),
    "callback_created": gettext_lazy("Callback opened"), "callback_reopened": gettext_lazy("Callback reopened"),
    "callback_withdrawn": gettext_lazy("Callback not needed"), "callback_attempt": gettext_lazy("Callback attempt"),
    "callback_given_up": gettext_lazy("Callback closed: not reachable"), "reviewed": gettext_lazy("Quality review"),
}


@never_cache
@require_capability(ANSWER)
def orders(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET or None)
    qs = selectors.work_order_list_visible_to(user=request.user, filters=form.filters())
    page = paginate_in_two_steps(qs, number=request.GET.get("page"), per_page=PAGE_SIZE)
    rows = [{"obj": o, "phone": mask_phone(o.caller_phone), "badge": STATUS_BADGES.get(o.status, "")}
            for o in page.object_list]
    return render(request, "hotline/orders.html", {"form": form, "page": page, "rows": rows,
                                                   "query": query_without_page(request)})


def _detail_context(request: HttpRequest, order, **forms) -> dict:
    timeline = list(order.timeline.select_related("actor"))
    for event in timeline:
        event.label = TIMELINE_LABELS.get(event.kind, event.kind)
    return {
        "order": order, "badge": STATUS_BADGES.get(order.status, ""), "phone": mask_phone(order.caller_phone),
        "events": list(order.events.all()), "timeline": timeline,
        "callbacks": list(selectors.work_order_callbacks(order)),
        "reviews": list(order.reviews.select_related("reviewer")),
        "record_form": forms.get("record_form") or RecordForm(initial={
            "version": order.version, "caller_name": order.caller_name, "category": order.category,
            "topic": order.topic, "question": order.question, "answer": order.answer,
            "resolved": order.resolved, "follow_up_needed": order.follow_up_needed}),
        "refer_form": forms.get("refer_form") or ReferForm(),
        "expert_form": forms.get("expert_form") or ExpertForm(hotline=order.hotline),
        "can_refer_legal_aid": user_can(request.user, Capability.AID_INTAKE) and not order.application_id,
        "revealed_phone": forms.get("revealed_phone"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(ANSWER)
def order(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = access_work_order(user=request.user, id=pk)
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                calls.work_order_record(actor=request.user, order=work_order, data=data,
                                        expected_version=form.cleaned_data["version"])
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The work order was saved."))
                return redirect("hotline:order", pk=pk)
        return render(request, "hotline/order.html", _detail_context(request, work_order, record_form=form),
                      status=400)
    return render(request, "hotline/order.html", _detail_context(request, work_order))


@never_cache
@require_POST
@require_capability(ANSWER)
def order_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The full number, shown on this response only (never in a URL or a redirect), audited."""
    work_order = access_work_order(user=request.user, id=pk)
    phone = calls.work_order_reveal_phone(actor=request.user, order=work_order)
    return render(request, "hotline/order.html", _detail_context(request, work_order, revealed_phone=phone))


@require_POST
@require_capability(ANSWER)
def order_refer(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = access_work_order(user=request.user, id=pk)
    form = ReferForm(request.POST)
    if form.is_valid():
        try:
            calls.work_order_refer(actor=request.user, order=work_order, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The referral was recorded."))
            return redirect("hotline:order", pk=pk)
    return render(request, "hotline/order.html", _detail_context(request, work_order, refer_form=form), status=400)


@require_POST
@require_capability(ANSWER)
def order_expert(request: HttpRequest, pk: int) -> HttpResponse:
    work_order = access_work_order(user=request.user, id=pk)
    form = ExpertForm(request.POST, hotline=work_order.hotline)
    if form.is_valid():
        try:
            task = calls.expert_book(actor=request.user, order=work_order, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Booked for %(expert)s, to answer by %(due)s.") % {
                "expert": task.assigned_to, "due": task.due_on.isoformat()})
            return redirect("hotline:order", pk=pk)
    return render(request, "hotline/order.html", _detail_context(request, work_order, expert_form=form), status=400)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(ANSWER)
def order_create(request: HttpRequest) -> HttpResponse:
    """A call entered by hand when the telephony system is down: folded like its events would be."""
    hotline, hotlines = chosen_hotline(request)
    form = ManualCallForm(request.POST or None, hotline=hotline)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "token"}
        try:
            work_order = calls.call_record_manually(actor=request.user, hotline=hotline, data=data,
                                                    token=form.cleaned_data["token"])
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Work order %(number)s was created. Record what the call was about.")
                             % {"number": work_order.number})
            return redirect("hotline:order", pk=work_order.pk)
    return render(request, "hotline/order_form.html", {"form": form, "hotline": hotline, "hotlines": hotlines},
                  status=400 if form.is_bound and form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(ANSWER)
def order_legal_aid(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer the caller to legal aid: the intake form pre-filled from the call, confirmed by the operator."""
    work_order = access_work_order(user=request.user, id=pk)
    if work_order.application_id:
        messages.info(request, _("This call was already referred to legal aid."))
        return redirect("hotline:order", pk=pk)
    initial = legal_aid_prefill(topic=work_order.topic, caller_name=work_order.caller_name,
                                caller_phone=work_order.caller_phone, question=work_order.question)
    form = LegalAidReferralForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applicant = {"name": data["applicant_name"], "phone": data["applicant_phone"],
                     "id_number": data["applicant_id_number"]}
        details = {name: data[name] for name in ("matter", "matter_subtype", "category", "aid_form", "stage",
                                                 "cause", "facts")}
        try:
            application = calls.work_order_refer_to_legal_aid(actor=request.user, order=work_order,
                                                              centre=data["centre"], applicant=applicant,
                                                              details=details)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Legal aid application %(number)s was registered from this call.")
                             % {"number": application.number})
            return redirect("hotline:order", pk=pk)
    return render(request, "hotline/order_legal_aid.html", {"order": work_order, "form": form,
                                                            "referral": Referral.LEGAL_AID},
                  status=400 if form.is_bound and form.errors else 200)

"""Console pages of callbacks: the queues, and one callback with its attempts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
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
from .access import access_callback
from .choices import CallbackKind, CallbackStatus
from .forms import AttemptForm, GiveUpForm, apply_service_error
from .services import callbacks as services
from .services.calls import work_order_reveal_phone
from .views_common import PAGE_SIZE

ANSWER = Capability.HOTLINE_ANSWER
QUEUE_LABELS = {
    "mine": gettext_lazy("Mine"), "queue": gettext_lazy("Waiting in the queue"), "overdue": gettext_lazy("Overdue"),
    "supervisor": gettext_lazy("Dissatisfied callers"), "closed": gettext_lazy("Closed"),
}


@never_cache
@require_capability(ANSWER)
def callbacks(request: HttpRequest) -> HttpResponse:
    current = request.GET.get("queue") if request.GET.get("queue") in selectors.CALLBACK_QUEUES else "queue"
    today = timezone.localdate()
    counts = selectors.callback_counts(user=request.user, today=today)
    manager = user_can(request.user, Capability.HOTLINE_MANAGE)
    tabs = [{"name": name, "label": QUEUE_LABELS[name], "count": counts.get(name), "active": name == current}
            for name in selectors.CALLBACK_QUEUES if name != "supervisor" or manager]
    page = paginate_in_two_steps(selectors.callback_queue(user=request.user, queue=current, today=today),
                                 number=request.GET.get("page"), per_page=PAGE_SIZE)
    rows = [{"obj": t, "phone": mask_phone(t.work_order.caller_phone), "overdue": t.status == CallbackStatus.OPEN
             and t.due_on < today} for t in page.object_list]
    return render(request, "hotline/callbacks.html", {"tabs": tabs, "current": current, "page": page, "rows": rows})


def _context(request, task, **extra) -> dict:
    return {
        "task": task, "order": task.work_order, "phone": mask_phone(task.work_order.caller_phone),
        "attempts": list(task.attempts.select_related("by")),
        "attempt_form": extra.get("attempt_form") or AttemptForm(),
        "give_up_form": extra.get("give_up_form") or GiveUpForm(),
        "can_give_up": task.attempts_made >= task.max_attempts,
        "is_expert": task.kind == CallbackKind.EXPERT,
        "revealed_phone": extra.get("revealed_phone"),
        "today": timezone.localdate(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(ANSWER)
def callback(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_callback(user=request.user, id=pk)
    if request.method == "POST":
        form = AttemptForm(request.POST)
        if form.is_valid():
            try:
                services.callback_attempt(actor=request.user, task=task, **form.cleaned_data)
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The attempt was recorded."))
                return redirect("hotline:callback", pk=pk)
        return render(request, "hotline/callback.html", _context(request, task, attempt_form=form), status=400)
    return render(request, "hotline/callback.html", _context(request, task))


@require_POST
@require_capability(ANSWER)
def callback_claim(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_callback(user=request.user, id=pk)
    try:
        services.callback_claim(actor=request.user, task=task)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The callback is yours."))
    return redirect("hotline:callback", pk=pk)


@require_POST
@require_capability(ANSWER)
def callback_give_up(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_callback(user=request.user, id=pk)
    form = GiveUpForm(request.POST)
    if form.is_valid():
        try:
            services.callback_give_up(actor=request.user, task=task, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The callback was closed: the caller could not be reached."))
            return redirect("hotline:callback", pk=pk)
    return render(request, "hotline/callback.html", _context(request, task, give_up_form=form), status=400)


@never_cache
@require_POST
@require_capability(ANSWER)
def callback_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The caller's full number for the person calling back: audited, on this response only."""
    task = access_callback(user=request.user, id=pk)
    if task.kind == CallbackKind.DISSATISFIED and not user_can(request.user, Capability.HOTLINE_MANAGE):
        messages.error(request, _("A supervisor calls back a dissatisfied caller."))
        return redirect("hotline:callback", pk=pk)
    phone = work_order_reveal_phone(actor=request.user, order=task.work_order)
    return render(request, "hotline/callback.html", _context(request, task, revealed_phone=phone))

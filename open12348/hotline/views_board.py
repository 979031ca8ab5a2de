"""The hotline board (today and a period), quality sampling and review, and the service standards."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from open12348.accounts.permissions import require_any_capability, require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.core.errors import ApplicationError

from . import board as figures
from .access import access_review, access_sample
from .forms import PeriodForm, ReviewForm, SampleForm, StandardsForm, apply_service_error
from .models import CallSample
from .services import quality
from .services.hotline import hotline_standards_update
from .standards import CHECKLIST, FORBIDDEN_PHRASES, STANDARD_PHRASES, forbidden_phrases_in
from .views_common import chosen_hotline

BOARD = (Capability.HOTLINE_MANAGE, Capability.DASHBOARD_VIEW)
MANAGE = Capability.HOTLINE_MANAGE


@never_cache
@require_any_capability(*BOARD)
def board(request: HttpRequest) -> HttpResponse:
    hotline, hotlines = chosen_hotline(request)
    ids = [hotline.pk]
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return render(request, "hotline/board.html", {
        "hotline": hotline, "hotlines": hotlines, "form": form, "today": today,
        "today_figures": figures.board_figures(hotline_ids=ids, start=today, end=today, today=today),
        "period": figures.board_figures(hotline_ids=ids, start=start, end=end, today=today),
        "people": figures.per_person(hotline_ids=ids, start=start, end=end),
        "seats": figures.per_seat(hotline_ids=ids, start=start, end=end),
        "overdue": list(figures.overdue_callbacks(hotline_ids=ids, today=today)),
        "can_manage": user_can(request.user, MANAGE),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(MANAGE)
def samples(request: HttpRequest) -> HttpResponse:
    hotline, hotlines = chosen_hotline(request)
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sample = quality.call_sample_draw(actor=request.user, hotline=hotline, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("%(n)d of %(pool)d calls drawn (seed %(seed)d).") % {
                "n": sample.reviews.count(), "pool": sample.pool_size, "seed": sample.seed})
            return redirect("hotline:sample", pk=sample.pk)
    drawn = CallSample.objects.filter(hotline=hotline).select_related("drawn_by")[:30]
    return render(request, "hotline/samples.html", {"hotline": hotline, "hotlines": hotlines, "form": form,
                                                    "samples": drawn},
                  status=400 if form.is_bound and form.errors else 200)


@never_cache
@require_capability(MANAGE)
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    drawn = access_sample(user=request.user, id=pk)
    reviews = list(drawn.reviews.select_related("work_order", "person", "reviewer"))
    return render(request, "hotline/sample.html", {"sample": drawn, "reviews": reviews})


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(MANAGE)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_review(user=request.user, id=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quality.call_review_record(actor=request.user, review=item, scores=form.scores(),
                                       feedback=form.cleaned_data["feedback"])
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The review was saved and sent to the person."))
            return redirect("hotline:sample", pk=item.sample_id)
    return render(request, "hotline/review.html", {
        "review": item, "order": item.work_order, "form": form, "checklist": CHECKLIST,
        "found": forbidden_phrases_in(item.work_order.answer), "standard_phrases": STANDARD_PHRASES,
        "forbidden_phrases": FORBIDDEN_PHRASES,
    }, status=400 if form.is_bound and form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(MANAGE)
def standards(request: HttpRequest) -> HttpResponse:
    hotline, hotlines = chosen_hotline(request)
    form = StandardsForm(request.POST or None, instance=hotline)
    if request.method == "POST" and form.is_valid():
        try:
            hotline_standards_update(actor=request.user, hotline=hotline, data=form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The service standards were saved."))
            return redirect(f"{reverse('hotline:standards')}?hotline={hotline.pk}")
    return render(request, "hotline/standards.html", {"hotline": hotline, "hotlines": hotlines, "form": form,
                                                      "checklist": CHECKLIST, "standard_phrases": STANDARD_PHRASES,
                                                      "forbidden_phrases": FORBIDDEN_PHRASES},
                  status=400 if form.is_bound and form.errors else 200)

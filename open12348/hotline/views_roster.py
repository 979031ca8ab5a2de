"""The duty roster in the console: who is on duty now, my schedule, the month, export, and (for
whoever runs the hotline) generating a month, leave, swaps and filling a vacant slot."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from open12348.accounts.permissions import require_any_capability, require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.core.errors import ApplicationError

from . import selectors
from .forms import AssignForm, LeaveForm, MonthForm, RosterGenerateForm, SwapForm, apply_service_error
from .models import Leave
from .services import roster as services
from .views_common import chosen_hotline

VIEWERS = (Capability.HOTLINE_ANSWER, Capability.HOTLINE_MANAGE)
MANAGE = Capability.HOTLINE_MANAGE
SCHEDULE_DAYS = 62


def _month_grid(entries, start: dt.date, end: dt.date, calendar) -> list[dict]:
    by_day: dict[dt.date, list] = {}
    for entry in entries:
        by_day.setdefault(entry.date, []).append(entry)
    days, day = [], start
    while day <= end:
        days.append({"date": day, "working": calendar.is_working_day(day), "entries": by_day.get(day, [])})
        day += dt.timedelta(days=1)
    return days


def _back(hotline, month: str = "") -> str:
    url = f"{reverse('hotline:roster')}?hotline={hotline.pk}"
    return f"{url}&month={month}" if month else url


@never_cache
@require_any_capability(*VIEWERS)
def roster(request: HttpRequest, **forms) -> HttpResponse:
    from open12348.core.calendar_store import legal_calendar

    hotline, hotlines = chosen_hotline(request)
    calendar = legal_calendar()
    year, month = MonthForm(request.GET).month_value()
    start, end = services.month_bounds(year, month)
    today = timezone.localdate()
    manager = user_can(request.user, MANAGE)
    context = {
        "hotline": hotline, "hotlines": hotlines, "duty": selectors.on_duty_now(hotline=hotline, calendar=calendar),
        "mine": list(selectors.schedule_of(user=request.user, start=today,
                                           end=today + dt.timedelta(days=SCHEDULE_DAYS))),
        "days": _month_grid(selectors.month_roster(hotline=hotline, start=start, end=end), start, end, calendar),
        "month": f"{year}-{month:02d}", "start": start,
        "previous": f"{(start - dt.timedelta(days=1)):%Y-%m}", "next": f"{(end + dt.timedelta(days=1)):%Y-%m}",
        "leaves": list(Leave.objects.filter(hotline=hotline, ends__gte=start, starts__lte=end).select_related("user")),
        "manager": manager, "today": today,
    }
    if manager:
        context.update(
            generate_form=forms.get("generate_form") or RosterGenerateForm(initial={"month": context["month"]}),
            leave_form=forms.get("leave_form") or LeaveForm(hotline=hotline),
            swap_form=forms.get("swap_form") or SwapForm(hotline=hotline),
            assign_form=forms.get("assign_form") or AssignForm(hotline=hotline))
    return render(request, "hotline/roster.html", context, status=400 if forms else 200)


@require_any_capability(*VIEWERS)
def roster_export(request: HttpRequest) -> HttpResponse:
    """The month as CSV (UTF-8 with BOM, which spreadsheet programs in China open correctly)."""
    hotline, _hotlines = chosen_hotline(request)
    year, month = MonthForm(request.GET).month_value()
    start, end = services.month_bounds(year, month)
    entries = list(selectors.month_roster(hotline=hotline, start=start, end=end))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{year}-{month:02d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Date"), _("Shift"), _("Starts"), _("Ends"), _("Seat"), _("Person"), _("How assigned")])
    for e in entries:
        writer.writerow([e.date.isoformat(), e.shift.name, f"{e.shift.starts:%H:%M}", f"{e.shift.ends:%H:%M}",
                         e.seat.name, e.user.real_name or e.user.username, e.get_source_display()])
    services.roster_export_record(actor=request.user, hotline=hotline, year=year, month=month, rows=len(entries))
    return response


@require_POST
@require_capability(MANAGE)
def roster_generate(request: HttpRequest) -> HttpResponse:
    hotline, _hotlines = chosen_hotline(request)
    form = RosterGenerateForm(request.POST)
    if form.is_valid():
        year, month = form.cleaned_data["month"]
        try:
            result = services.roster_generate(actor=request.user, hotline=hotline, year=year, month=month,
                                              seed=form.cleaned_data["seed"], replace=form.cleaned_data["replace"])
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("%(n)d duty slots generated (seed %(seed)d).") % {
                "n": result.created, "seed": result.seed})
            if not result.calendar_complete:
                messages.warning(request, _("The holiday arrangement of this year is not in the calendar yet: "
                                            "check the roster once the administrator has entered it."))
            if result.vacant:
                messages.warning(request, _("%(n)d slots could not be filled: assign them by hand.")
                                 % {"n": len(result.vacant)})
            return redirect(_back(hotline, f"{year}-{month:02d}"))
    return roster(request, generate_form=form)


@require_POST
@require_capability(MANAGE)
def roster_leave(request: HttpRequest) -> HttpResponse:
    hotline, _hotlines = chosen_hotline(request)
    form = LeaveForm(request.POST, hotline=hotline)
    if form.is_valid():
        try:
            _leave, covered, vacant = services.leave_record(actor=request.user, hotline=hotline, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Leave recorded: %(covered)d slots covered, %(vacant)d left vacant.")
                             % {"covered": covered, "vacant": vacant})
            return redirect(_back(hotline))
    return roster(request, leave_form=form)


@require_POST
@require_capability(MANAGE)
def roster_swap(request: HttpRequest) -> HttpResponse:
    hotline, _hotlines = chosen_hotline(request)
    form = SwapForm(request.POST, hotline=hotline)
    if form.is_valid():
        try:
            services.roster_swap(actor=request.user, entry=form.cleaned_data["entry"], other=form.cleaned_data["other"])
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The two slots were swapped."))
            return redirect(_back(hotline))
    return roster(request, swap_form=form)


@require_POST
@require_capability(MANAGE)
def roster_assign(request: HttpRequest) -> HttpResponse:
    hotline, _hotlines = chosen_hotline(request)
    form = AssignForm(request.POST, hotline=hotline)
    if form.is_valid():
        try:
            services.roster_assign(actor=request.user, hotline=hotline, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The slot was filled."))
            return redirect(_back(hotline))
    return roster(request, assign_form=form)

"""The leader's overview at /dashboard/: the headline figures of a period beside the same period a
year before, the year month by month, applications by channel and cases per county."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Font

from open12348.accounts.permissions import require_capability
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.jobs import enqueue
from open12348.legalaid.eligibility.codes import Channel

from .figures import HEADLINES, TILE_POSITIONS
from .forms import PeriodForm, counties_visible_to
from .models import Watermark
from .selectors import AREAS, Period, by_county, monthly
from .tasks import sweep

STALE_AFTER = dt.timedelta(minutes=1)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _keep_current_without_beat() -> None:
    """Under Celery, beat sweeps every minute. On an embedded install (`make run`) nothing does, so
    a dashboard page asks for a sweep when the figures are more than a minute old."""
    if settings.JOBS_BACKEND == "celery":
        return
    oldest = Watermark.objects.order_by("seen_until").values_list("seen_until", flat=True).first()
    if oldest is None or oldest < timezone.now() - STALE_AFTER:
        enqueue(sweep)


def _period_and_region(request: HttpRequest) -> tuple[PeriodForm, Period, object]:
    form = PeriodForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data.get("region")
    return form, Period.year_to_date(), None


def overview_figures(*, user, period: Period, region) -> dict:
    before = period.previous_year()
    return {"current": {area: figures(user=user, period=period, region=region) for area, figures in AREAS.items()},
            "previous": {area: figures(user=user, period=before, region=region) for area, figures in AREAS.items()}}


def _headlines(figures: dict) -> list[dict]:
    rows = []
    for area, key, label, unit in HEADLINES:
        now, then = figures["current"][area][key], figures["previous"][area][key]
        change = None
        if unit != "pct" and now is not None and then:
            change = round(100 * (float(now) - float(then)) / float(then), 1)
        rows.append({"area": area, "key": key, "label": label, "unit": unit, "value": now, "previous": then,
                     "change": change})
    return rows


def _tiles(*, user, period: Period) -> list[dict]:
    values = by_county(user=user, metric="aid.case", period=period)
    counties = list(counties_visible_to(user).select_related("parent"))
    highest = max(values.values(), default=0) or 1
    tiles, spare = [], 0
    placed = {pos for code, pos in TILE_POSITIONS.items() if any(c.code == code for c in counties)}
    bottom = max((row for _col, row in placed), default=-1) + 1
    for county in counties:
        position = TILE_POSITIONS.get(county.code)
        if position is None:
            position = (spare % 5, bottom + spare // 5)
            spare += 1
        value = values.get(county.pk, 0)
        short = county.name.removeprefix(county.parent.name if county.parent_id else "").removeprefix("平顶山")
        tiles.append({"name": county.name, "label": short if len(short) <= 6 else short[:5] + "…", "code": county.code, "value": value, "x": position[0] * 110,
                      "y": position[1] * 70, "shade": min(4, int(4 * float(value) / float(highest) + 0.999))})
    return tiles


@require_safe
@require_capability(Capability.DASHBOARD_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    _keep_current_without_beat()
    form, period, region = _period_and_region(request)
    figures = overview_figures(user=request.user, period=period, region=region)
    headlines = _headlines(figures)
    if request.GET.get("format") == "xlsx":
        return _overview_xlsx(request, period=period, region=region, headlines=headlines)
    year = Period(dt.date(period.end.year, 1, 1), dt.date(period.end.year, 12, 31))
    this_year = monthly(user=request.user, metric="aid.case", period=year, region=region)
    last_year = monthly(user=request.user, metric="aid.case", period=year.previous_year(), region=region)
    channels = dict(Channel.choices)
    by_channel = sorted(figures["current"]["legal_aid"]["applications_by_channel"].items(), key=lambda kv: -kv[1])
    tiles = _tiles(user=request.user, period=period)
    charts = {
        "trend": {"months": [f"{m.month}" for m, _v in this_year],
                  "series": [{"name": str(period.end.year), "data": [v for _m, v in this_year]},
                             {"name": str(period.end.year - 1), "data": [v for _m, v in last_year]}]},
        "channels": {"labels": [str(channels.get(code, code)) for code, _n in by_channel],
                     "data": [n for _code, n in by_channel]},
    }
    today = timezone.localdate()
    presets = [(_("This year"), dt.date(today.year, 1, 1), today),
               (_("Last year"), dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
               (_("Since 2019"), dt.date(2019, 1, 1), today)]
    context = {
        "form": form, "period": period, "region": region, "headlines": headlines, "presets": presets,
        "trend_rows": list(zip(this_year, last_year, strict=True)), "by_channel": [
            (channels.get(code, code), n) for code, n in by_channel],
        "tiles": tiles, "tile_width": max((t["x"] for t in tiles), default=0) + 110,
        "tile_height": max((t["y"] for t in tiles), default=0) + 70, "charts": charts,
    }
    return render(request, "stats/overview.html", context, status=400 if form.errors else 200)


def _filters(period: Period, region) -> list[tuple[str, str]]:
    return [(_("Period"), f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"),
            (_("County"), region.name if region is not None else _("Everywhere I may see"))]


def _overview_xlsx(request: HttpRequest, *, period: Period, region, headlines: list[dict]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Overview")[:31]
    sheet.append([_("Public legal services: overview")])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in _filters(period, region):
        sheet.append([label, value])
    sheet.append([_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M"), str(request.user)])
    sheet.append([])
    sheet.append([_("Figure"), _("This period"), _("Same period last year"), _("Change %")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in headlines:
        value = row["value"]
        sheet.append([str(row["label"]), float(value) if isinstance(value, Decimal) else value,
                      float(row["previous"]) if isinstance(row["previous"], Decimal) else row["previous"],
                      row["change"]])
    sheet.column_dimensions["A"].width = 36
    for column in "BCD":
        sheet.column_dimensions[column].width = 20
    buffer = io.BytesIO()
    book.save(buffer)
    audit_record(actor=request.user, action="stats.export", object_type="stats.overview",
                 extra={"start": period.start.isoformat(), "end": period.end.isoformat(),
                        "region": region.code if region is not None else ""})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="overview-{period.start}-{period.end}.xlsx"'
    return response

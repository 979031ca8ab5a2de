"""The leader's overview at /dashboard/: the headline figures of a period beside the same period a
year before, the year month by month, applications by channel and cases per county."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Font

from open12348.accounts.permissions import require_capability
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.jobs import enqueue
from open12348.legalaid.eligibility.codes import Channel
from open12348.network.models import Region

from .drilldown import DRILLS as RECORD_QUERIES
from .drilldown import Cell, label_of, records
from .figures import DRILLS, HEADLINES, TILE_POSITIONS
from .forms import PeriodForm, counties_visible_to
from .models import Watermark
from .selectors import (
    AREAS,
    Period,
    breakdown,
    by_county,
    by_township,
    checkup_figures,
    legal_aid_figures,
    monthly,
    network_figures,
    outreach_figures,
    quality_figures,
    tallies,
)
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


def _drill_url(key: str, *, period: Period, region) -> str | None:
    drill = DRILLS.get(key)
    if drill is None:
        return None
    query = {**drill, "start": period.start.isoformat(), "end": period.end.isoformat()}
    if region is not None:
        query["region"] = region.pk
    return f"{reverse('stats:records')}?{urlencode(query)}"


def _headlines(figures: dict, *, period: Period, region) -> list[dict]:
    rows = []
    for area, key, label, unit in HEADLINES:
        now, then = figures["current"][area][key], figures["previous"][area][key]
        change = None
        if unit != "pct" and now is not None and then:
            change = round(100 * (float(now) - float(then)) / float(then), 1)
        rows.append({"area": area, "key": key, "label": label, "unit": unit, "value": now, "previous": then,
                     "change": change, "url": _drill_url(key, period=period, region=region)})
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
    headlines = _headlines(figures, period=period, region=region)
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


RECORD_PAGE = 50


class _CountedPaginator(Paginator):
    """A paginator told how many records there are (the figure the page drills into, from the tallies)
    instead of counting them: at a million cases the count costs more than the page."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:
        return self._known


def _record_row(record) -> dict:
    """One line of the records list, whatever the record: number, date, county, what, state, link."""
    from open12348.hotline.models import CallbackTask, WorkOrder
    from open12348.legalaid.models import Application, Case
    from open12348.mediation.models import DisputeCase

    if isinstance(record, Application):
        return {"number": record.number, "date": timezone.localdate(record.received_at), "region": record.region.name,
                "what": f"{record.get_category_display()} · {record.matter}", "state": record.get_status_display(),
                "url": reverse("legalaid:detail", args=[record.pk])}
    if isinstance(record, Case):
        return {"number": record.number, "date": timezone.localdate(record.assigned_at or record.created_at),
                "region": record.region.name, "what": f"{record.category} · {record.matter}"
                + (f" · {record.institution.name}" if record.institution_id else ""),
                "state": record.get_status_display(), "url": reverse("cases:detail", args=[record.pk])}
    if isinstance(record, WorkOrder):
        return {"number": record.call_id, "date": timezone.localdate(record.rang_at),
                "region": record.hotline.region.name, "what": record.get_channel_display(),
                "state": record.get_status_display(), "url": reverse("hotline:order", args=[record.pk])}
    if isinstance(record, CallbackTask):
        return {"number": record.work_order.call_id, "date": record.due_on, "region": record.hotline.region.name,
                "what": record.get_kind_display(), "state": record.get_status_display(),
                "url": reverse("hotline:callback", args=[record.pk])}
    if isinstance(record, DisputeCase):
        return {"number": record.number, "date": record.received_on, "region": record.region.name,
                "what": f"{record.get_dispute_type_display()} · {record.committee.name}",
                "state": record.get_status_display(), "url": reverse("mediation:detail", args=[record.pk])}
    return _register_row(record)


def _register_row(record) -> dict:
    """Quality, check-up and outreach records in the same five columns."""
    from open12348.checkup.models import Visit
    from open12348.education.models import Activity
    from open12348.quality.models import CaseGrade, Evaluation, ExemplaryCase, Ticket

    if isinstance(record, Evaluation | CaseGrade | Ticket):
        case = record.case
        if isinstance(record, Evaluation):
            date, what, state = record.evaluated_on, record.get_method_display(), record.score
        elif isinstance(record, CaseGrade):
            date, what, state = timezone.localdate(record.graded_at), record.get_grade_display(), record.score
        else:
            date, what, state = timezone.localdate(record.opened_at), record.get_reason_display(), \
                record.get_status_display()
        return {"number": case.number, "date": date, "region": case.region.name, "what": what,
                "state": "" if state is None else state,
                "url": reverse("quality:ticket", args=[record.pk]) if isinstance(record, Ticket)
                else reverse("quality:case", args=[case.pk])}
    if isinstance(record, ExemplaryCase):
        return {"number": record.case.number, "date": record.nomination.session.held_on,
                "region": record.region.name, "what": record.title,
                "state": _("Published") if record.published_at else _("Not published"),
                "url": reverse("quality:case", args=[record.case_id])}
    if isinstance(record, Visit):
        return {"number": record.report_number or f"#{record.pk}", "date": record.visited_on,
                "region": record.region.name, "what": record.enterprise.name, "state": record.get_status_display(),
                "url": reverse("checkup:visit", args=[record.pk])}
    if isinstance(record, Activity):
        return {"number": f"#{record.pk}", "date": timezone.localdate(record.starts_at), "region": record.region.name,
                "what": f"{record.get_kind_display()} · {record.title}", "state": record.get_status_display(),
                "url": reverse("education:activity", args=[record.pk])}
    raise TypeError(record)


def _figure(user, cell: Cell) -> int:
    """How many records the cell counts, from the tallies, within the user's scope."""
    dims = {name: getattr(cell, name) for name in ("a", "b", "c") if getattr(cell, name) is not None}
    if cell.exact and cell.region is not None:  # the region less its townships
        return by_township(user=user, metric=cell.metric, period=cell.period, county=cell.region, **dims)[1]
    qs = tallies(user=user, metric=cell.metric, period=cell.period, region=cell.region).filter(**dims)
    return qs.aggregate(n=Sum("n"))["n"] or 0


def _cell(request: HttpRequest) -> tuple[Cell, PeriodForm]:
    metric = request.GET.get("metric", "")
    if metric not in RECORD_QUERIES:
        raise Http404
    form, period, region = _period_and_region(request)
    values = {}
    for name in ("a", "b", "c"):
        value = request.GET.get(name)
        values[name] = value[:40] if value is not None else None
    exact = False
    if region is not None and request.GET.get("township"):
        # A township of the chosen county (which the form has already checked is within the user's scope).
        region = Region.objects.filter(parent=region, level="township",
                                       pk=request.GET["township"] if request.GET["township"].isdigit() else 0).first()
        if region is None:
            raise Http404
    elif region is not None and request.GET.get("exact") == "1":
        exact = True
    return Cell(metric=metric, period=period, region=region, exact=exact, **values), form


@require_safe
@require_capability(Capability.DASHBOARD_VIEW)
def records_view(request: HttpRequest) -> HttpResponse:
    """The records behind a dashboard figure (the first page fast; the count is the figure)."""
    cell, form = _cell(request)
    qs = records(user=request.user, cell=cell)
    if request.GET.get("format") == "xlsx":
        return _records_xlsx(request, cell=cell, qs=qs)
    page = _CountedPaginator(qs, RECORD_PAGE, count=_figure(request.user, cell)).get_page(request.GET.get("page"))
    rows = [_record_row(record) for record in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "stats/records.html", {
        "cell": cell, "label": label_of(cell.metric), "page_obj": page, "rows": rows, "form": form,
        "query": query.urlencode(), "filters": _cell_filters(cell),
    })


def _cell_filters(cell: Cell) -> list[tuple[str, str]]:
    filters = _filters(cell.period, cell.region)
    if cell.exact:
        filters.append((_("Township"), _("Township not given")))
    return filters


def _records_xlsx(request: HttpRequest, *, cell: Cell, qs) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Records")[:31]
    sheet.append([label_of(cell.metric)])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in _cell_filters(cell):
        sheet.append([label, value])
    for name in ("a", "b", "c"):
        if getattr(cell, name):
            sheet.append([_("Filter"), getattr(cell, name)])
    sheet.append([_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M"), str(request.user)])
    sheet.append([])
    sheet.append([_("Number"), _("Date"), _("County"), _("What"), _("State")])
    for cell_ in sheet[sheet.max_row]:
        cell_.font = Font(bold=True)
    written = 0
    for record in qs.iterator(chunk_size=2000):
        row = _record_row(record)
        sheet.append([row["number"], row["date"], row["region"], row["what"], str(row["state"])])
        written += 1
    buffer = io.BytesIO()
    book.save(buffer)
    audit_record(actor=request.user, action="stats.export", object_type="stats.records",
                 extra={"metric": cell.metric, "start": cell.period.start.isoformat(),
                        "end": cell.period.end.isoformat(), "rows": written})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="records-{cell.metric}.xlsx"'
    return response


def _labelled(rows: list[dict], by: str, labels: dict, *, metric: str, period: Period, region, dim: str,
              extra: dict | None = None, limit: int | None = None) -> list[dict]:
    """Breakdown rows with a label and the address of their records."""
    out = []
    for row in rows[:limit] if limit else rows:
        key = row[by]
        query = {"metric": metric, "start": period.start.isoformat(), "end": period.end.isoformat(),
                 dim: key, **(extra or {})}
        if region is not None:
            query["region"] = region.pk
        out.append({**row, "key": key, "label": labels.get(key, key) or "—",
                    "url": f"{reverse('stats:records')}?{urlencode(query)}"})
    return out


@require_safe
@require_capability(Capability.DASHBOARD_VIEW)
def legal_aid(request: HttpRequest) -> HttpResponse:
    """Legal aid in depth: channels, outcomes, categories, matters, special groups, institutions."""
    from open12348.legalaid.eligibility.codes import MATTER_INFO, CaseCategory, Group
    from open12348.network.models import Institution

    _keep_current_without_beat()
    form, period, region = _period_and_region(request)
    user = request.user
    figures = legal_aid_figures(user=user, period=period, region=region)
    categories = dict(CaseCategory.choices)
    common = {"period": period, "region": region}
    handlers = breakdown(user=user, metric="aid.handler", period=period, by="a", region=region)[:20]
    names = {str(pk): name for pk, name in Institution.objects.filter(
        pk__in=[int(r["a"]) for r in handlers if r["a"]]).values_list("pk", "name")}
    context = {
        "form": form, "period": period, "region": region, "figures": figures,
        "channels": _labelled(breakdown(user=user, metric="aid.applied", period=period, by="a", region=region),
                              "a", dict(Channel.choices), metric="aid.applied", dim="a", **common),
        "categories": _labelled(breakdown(user=user, metric="aid.case", period=period, by="a", region=region),
                                "a", categories, metric="aid.case", dim="a", **common),
        "matters": _labelled(breakdown(user=user, metric="aid.case_matter", period=period, by="a", region=region),
                             "a", {code: f"{code} {info.term_zh}" for code, info in MATTER_INFO.items()},
                             metric="aid.case_matter", dim="a", limit=15, **common),
        "groups": _labelled(breakdown(user=user, metric="aid.case_group", period=period, by="a", region=region),
                            "a", dict(Group.choices), metric="aid.case_group", dim="a", **common),
        "institutions": _labelled(handlers, "a", names, metric="aid.handler", dim="a", **common),
        "counties": [{"name": t["name"], "value": t["value"]} for t in _tiles(user=user, period=period)],
        "townships": _townships(user=user, period=period, county=region) if region is not None else [],
    }
    return render(request, "stats/legal_aid.html", context, status=400 if form.errors else 200)


def _townships(*, user, period: Period, county) -> list[dict]:
    """Applications and cases by the applicant's township within a county, each number linked to its
    records; the last line holds the county's records whose township is not known."""
    figures = {metric: by_township(user=user, metric=metric, period=period, county=county)
               for metric in ("aid.applied", "aid.case")}
    people = by_township(user=user, metric="aid.case", period=period, county=county, measure="people")

    def url(metric: str, **where) -> str:
        query = {"metric": metric, "start": period.start.isoformat(), "end": period.end.isoformat(),
                 "region": county.pk, **where}
        return f"{reverse('stats:records')}?{urlencode(query)}"

    rows = [{"name": township.name, "applications": figures["aid.applied"][0].get(township.pk, 0),
             "cases": figures["aid.case"][0].get(township.pk, 0), "people": people[0].get(township.pk, 0),
             "applications_url": url("aid.applied", township=township.pk),
             "cases_url": url("aid.case", township=township.pk)}
            for township in Region.objects.filter(parent=county, level="township").order_by("code")]
    rows.append({"name": _("Township not given"), "applications": figures["aid.applied"][1],
                 "cases": figures["aid.case"][1], "people": people[1], "applications_url": url("aid.applied", exact=1),
                 "cases_url": url("aid.case", exact=1), "unplaced": True})
    return rows


def _records_url(metric: str, *, period: Period, region, **cell) -> str:
    query = {"metric": metric, "start": period.start.isoformat(), "end": period.end.isoformat(), **cell}
    if region is not None:
        query["region"] = region.pk
    return f"{reverse('stats:records')}?{urlencode(query)}"


def quality_context(*, user, period: Period, region) -> dict:
    """The quality page's figures, each with the address of its records (the page, its Excel export)."""
    from open12348.education.choices import ActivityKind, EducationAudience
    from open12348.quality.choices import GRADE_ORDER, Method, TicketReason

    def url(metric: str, **cell) -> str:
        return _records_url(metric, period=period, region=region, **cell)

    quality = quality_figures(user=user, period=period, region=region)
    checkups = checkup_figures(user=user, period=period, region=region)
    outreach = outreach_figures(user=user, period=period, region=region)
    methods, reasons = dict(Method.choices), dict(TicketReason.choices)
    kinds, audiences = dict(ActivityKind.choices), dict(EducationAudience.choices)
    grades = [(str(label), quality["grades"].get(code, 0), url("quality.grade", a=code))
              for code, label in ((g.value, g.label) for g in GRADE_ORDER)]
    by_kind = sorted(outreach["by_kind"].items(), key=lambda kv: -kv[1])
    return {
        "quality": quality, "checkups": checkups, "outreach": outreach,
        # (label, value, unit, records' address or None): the figures in the order the page and Excel show them
        "rows": [
            (_("Quality evaluations done"), quality["evaluations"], "count", url("quality.evaluation")),
            (_("Average evaluation score"), quality["average_evaluation_score"], "number", None),
            (_("Cases graded"), quality["graded"], "count", url("quality.grade")),
            (_("Average case score"), quality["average_grade_score"], "number", None),
            (_("Share graded excellent"), quality["excellent_share_pct"], "pct", None),
            (_("Exemplary cases named"), quality["exemplary_cases"], "count", url("quality.exemplary")),
            (_("Supervision tickets opened"), quality["tickets_opened"], "count", url("quality.ticket")),
            (_("of which still open"), quality["tickets_open"], "count", url("quality.ticket", a="open")),
            (_("of which escalated"), quality["tickets_escalated"], "count", url("quality.ticket", c="escalated")),
            (_("Tickets closed by their deadline"), quality["tickets_closed_on_time_pct"], "pct", None),
            (_("Supervision tickets open now (opened at any time)"), quality["tickets_open_now"], "count",
             None),
            (_("Enterprise check-up visits"), checkups["visits"], "count", url("checkup.visit")),
            (_("Workers interviewed"), checkups["workers_interviewed"], "count", None),
            (_("Legal opinions"), checkups["opinions"], "count", url("checkup.visit", c="opinion")),
            (_("Reports issued"), checkups["reports"], "count", url("checkup.visit", b="report")),
            (_("Outreach activities held"), outreach["activities"], "count", url("education.activity", b="held")),
            (_("People attending"), outreach["attendance"], "count", None),
            (_("Outreach activities planned"), outreach["planned"], "count",
             url("education.activity", b="planned")),
        ],
        "grades": grades,
        "methods": [(methods.get(code, code), n, url("quality.evaluation", a=code))
                    for code, n in sorted(quality["evaluations_by_method"].items(), key=lambda kv: -kv[1])],
        "reasons": [(reasons.get(code, code), n, url("quality.ticket", b=code))
                    for code, n in sorted(quality["tickets_by_reason"].items(), key=lambda kv: -kv[1])],
        "kinds": [(kinds.get(code, code), n, outreach["attendance_by_kind"].get(code, 0),
                   url("education.activity", a=code, b="held")) for code, n in by_kind],
        "audiences": [(audiences.get(code, code), n, url("education.activity", c=code, b="held"))
                      for code, n in sorted(outreach["by_audience"].items(), key=lambda kv: -kv[1])],
        "charts": {"grades": {"labels": [label for label, _n, _u in grades], "data": [n for _l, n, _u in grades]},
                   "outreach": {"labels": [str(kinds.get(code, code)) for code, _n in by_kind],
                                "data": [n for _code, n in by_kind]}},
    }


@require_safe
@require_capability(Capability.DASHBOARD_VIEW)
def quality(request: HttpRequest) -> HttpResponse:
    """Case quality (evaluations, grades, exemplary cases, supervision tickets), enterprise check-ups and
    legal education outreach, from the tallies; each number opens its records."""
    _keep_current_without_beat()
    form, period, region = _period_and_region(request)
    context = quality_context(user=request.user, period=period, region=region)
    if request.GET.get("format") == "xlsx" and not form.errors:
        return _figures_xlsx(request, title=_("Quality, check-ups and outreach"), name="quality", period=period,
                             region=region, rows=context["rows"])
    return render(request, "stats/quality.html", {"form": form, "period": period, "region": region, **context},
                  status=400 if form.errors else 200)


def _figures_xlsx(request: HttpRequest, *, title: str, name: str, period: Period, region,
                  rows: list[tuple]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in _filters(period, region):
        sheet.append([label, value])
    sheet.append([_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M"), str(request.user)])
    sheet.append([])
    sheet.append([_("Figure"), _("This period")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for label, value, _unit, _url in rows:
        sheet.append([str(label), float(value) if isinstance(value, Decimal) else value])
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 20
    buffer = io.BytesIO()
    book.save(buffer)
    audit_record(actor=request.user, action="stats.export", object_type=f"stats.{name}",
                 extra={"start": period.start.isoformat(), "end": period.end.isoformat(),
                        "region": region.code if region is not None else ""})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{period.start}-{period.end}.xlsx"'
    return response


@require_safe
@require_capability(Capability.DASHBOARD_VIEW)
def network(request: HttpRequest) -> HttpResponse:
    """The service network and the services around legal aid: points and their coverage, mediation,
    video consultation, enterprise check-ups, case quality grades and outreach."""
    from open12348.mediation.choices import DisputeType
    from open12348.network.choices import ServicePointKind
    from open12348.quality.choices import GRADE_ORDER

    _keep_current_without_beat()
    form, period, region = _period_and_region(request)
    figures = network_figures(user=request.user, period=period, region=region)
    kinds = dict(ServicePointKind.choices)
    links = {key: _drill_url(key, period=period, region=region) for key in (
        "checkup_visits", "checkup_opinions", "checkup_reports", "checkup_applications", "outreach_held",
        "graded", "disputes")}
    return render(request, "stats/network.html", {
        "form": form, "period": period, "region": region, "figures": figures, "links": links,
        "points": [(kinds[k], figures["service_points"].get(k, 0)) for k in ServicePointKind.values],
        "grades": [(g, figures["quality_grades"].get(g, 0),
                    _records_url("quality.grade", period=period, region=region, a=g)) for g in GRADE_ORDER],
        "disputes": sorted(((dict(DisputeType.choices).get(k, k), n) for k, n in
                            figures["mediation"]["by_type"].items()), key=lambda kv: -kv[1]),
    }, status=400 if form.errors else 200)

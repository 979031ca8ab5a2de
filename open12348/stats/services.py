"""Keeping the tallies exact: refresh a record's cells when it changes, sweep for changed records,
rebuild a source from scratch, and check the tallies against a direct count of the records."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from open12348.audit.services import audit_record
from open12348.network.models import Region

from .models import Contribution, Grain, Tally, Watermark
from .sources import MEASURES, SOURCES, Row

log = logging.getLogger(__name__)

BATCH = 2000
# A record saved just before a sweep may commit just after it: each sweep reads again this far back
# (refreshing a record twice changes nothing).
SWEEP_OVERLAP = dt.timedelta(minutes=10)

Cells = dict[tuple, list]


def _zero() -> list:
    return [0, 0, Decimal(0), 0, 0]


def _add(cells: Cells, row: Row, sign: int = 1) -> None:
    cell = cells[row.key]
    for i, name in enumerate(MEASURES):
        cell[i] += sign * getattr(row, name)


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _lock(source: str) -> Watermark:
    Watermark.objects.get_or_create(source=source)
    return Watermark.objects.select_for_update().get(source=source)


def _cell_filter(key: tuple) -> dict:
    metric, grain, day, region_id, a, b, c = key
    return {"metric": metric, "grain": grain, "day": day, "region_id": region_id, "a": a, "b": b, "c": c}


def _ancestry(region_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Each region with the regions above it (by its path of codes): two small queries."""
    wanted = set(region_ids)
    regions = Region.objects.using(DEFAULT_DB_ALIAS)
    if len(wanted) <= 5000:
        regions = regions.filter(pk__in=wanted)
    paths = dict(regions.values_list("pk", "path"))
    prefixes = {"/".join(p.strip("/").split("/")[:d]) + "/" for p in paths.values()
                for d in range(1, p.count("/") + 1)}
    ids = dict(Region.objects.using(DEFAULT_DB_ALIAS).filter(path__in=prefixes).values_list("path", "pk"))
    return {pk: tuple(ids["/".join(path.strip("/").split("/")[:d]) + "/"] for d in range(1, path.count("/") + 1))
            for pk, path in paths.items()}


def _grains(cells: Cells) -> Cells:
    """Day cells (metric, day, region, a, b, c) as the cells that are kept, keyed (metric, grain, day,
    region, a, b, c): the day's cell of the record's own region; and the month's (dated the 1st) and
    the year's (1 January) cells of that region and of every region above it, so that a month's or a
    year's cell of a region holds its whole subtree (a province reads one row, not 181 counties')."""
    out: Cells = defaultdict(_zero)
    ancestry = _ancestry(key[2] for key in cells)

    def add(key: tuple, measures: list) -> None:
        cell = out[key]
        for i, value in enumerate(measures):
            cell[i] += value

    for (metric, day, region_id, a, b, c), measures in cells.items():
        add((metric, Grain.DAY, day, region_id, a, b, c), measures)
        month, year = day.replace(day=1), day.replace(month=1, day=1)
        for region in ancestry[region_id]:
            add((metric, Grain.MONTH, month, region, a, b, c), measures)
            add((metric, Grain.YEAR, year, region, a, b, c), measures)
    return out


def _apply(deltas: Cells) -> None:
    """Add the deltas to their cells at every grain (the source's lock is held, and sources own
    disjoint metrics, so no one else writes these cells meanwhile); cells that fall to no records go."""
    for key, (n, people, amount, duration, on_time) in _grains(deltas).items():
        if not (n or people or amount or duration or on_time):
            continue
        cell = _cell_filter(key)
        if not Tally.objects.filter(**cell).update(n=F("n") + n, people=F("people") + people,
                                                   amount=F("amount") + amount, duration=F("duration") + duration,
                                                   on_time=F("on_time") + on_time):
            Tally.objects.create(**cell, n=n, people=people, amount=amount, duration=duration, on_time=on_time)
        if n < 0:
            Tally.objects.filter(**cell, n=0).delete()


@transaction.atomic
def stats_refresh(*, source: str, ids: Iterable[int]) -> int:
    """Count the given records again: each leaves the cells it was in and enters the cells it is in
    now; a record that no longer exists leaves its cells. Returns how many records changed cells."""
    spec = SOURCES[source]
    _lock(source)
    changed = 0
    for chunk in _chunks(sorted(set(ids))):
        now = spec.rows_for(spec.queryset().filter(pk__in=chunk))
        before = {c.record_id: c for c in
                  Contribution.objects.using(DEFAULT_DB_ALIAS).filter(source=source, record_id__in=chunk)}
        deltas: Cells = defaultdict(_zero)
        create, update, gone = [], [], []
        for pk in chunk:
            old = [Row.from_json(r) for r in before[pk].rows] if pk in before else []
            new = now.get(pk, [])
            if old == new:
                continue
            changed += 1
            for row in old:
                _add(deltas, row, -1)
            for row in new:
                _add(deltas, row)
            if pk not in now:
                gone.append(pk)
            elif pk in before:
                before[pk].rows = [r.to_json() for r in new]
                update.append(before[pk])
            else:
                create.append(Contribution(source=source, record_id=pk, rows=[r.to_json() for r in new]))
        _apply(deltas)
        Contribution.objects.bulk_create(create)
        Contribution.objects.bulk_update(update, ["rows"])
        Contribution.objects.filter(source=source, record_id__in=gone).delete()
    return changed


def stats_sweep(*, until: dt.datetime | None = None) -> dict[str, int]:
    """Refresh every record saved since the last sweep (the periodic job). A source never built is
    built whole."""
    done = {}
    for name, spec in SOURCES.items():
        with transaction.atomic():
            mark = _lock(name)
            if mark.seen_until is None:
                done[name] = stats_rebuild(source=name)
                continue
            until_now = until or timezone.now()
            model = spec.model()
            ids = [pk for qs in spec.changed_between(mark.seen_until - SWEEP_OVERLAP, until_now)
                   for pk in qs.values_list("pk", flat=True)]
            # Records deleted since (legal records are kept, but a test record or a merged duplicate
            # may go): contributions whose record is no more (an anti-join on the primary key).
            ids += Contribution.objects.using(DEFAULT_DB_ALIAS).filter(source=name).filter(
                ~Exists(model._default_manager.filter(pk=OuterRef("record_id")))).values_list("record_id", flat=True)
            done[name] = stats_refresh(source=name, ids=ids)
            mark.seen_until = until_now
            mark.save(update_fields=["seen_until"])
    return done


def _recount(source: str) -> tuple[Cells, list[Contribution]]:
    spec = SOURCES[source]
    cells: Cells = defaultdict(_zero)
    contributions = []
    for record in spec.queryset().order_by("pk").iterator(chunk_size=BATCH):
        rows = spec.rows(record)
        for row in rows:
            _add(cells, row)
        contributions.append(Contribution(source=source, record_id=record.pk, rows=[r.to_json() for r in rows]))
    return cells, contributions


@transaction.atomic
def stats_rebuild(*, source: str) -> int:
    """Throw the source's tallies away and count every record again (the nightly job, and the cure
    for any difference the check finds). Returns how many records were counted."""
    spec = SOURCES[source]
    mark = _lock(source)
    started = timezone.now()
    cells, contributions = _recount(source)
    Tally.objects.filter(metric__in=spec.metrics).delete()
    Contribution.objects.filter(source=source).delete()
    Contribution.objects.bulk_create(contributions, batch_size=BATCH)
    # Written in the order the dashboard reads them (a region's cells of a metric and grain together),
    # so that reading a region's years touches a few pages instead of one page per row.
    ordered = sorted(_grains(cells).items(), key=lambda item: (item[0][0], item[0][1], item[0][3], item[0][2]))
    Tally.objects.bulk_create(
        (Tally(**_cell_filter(key), n=n, people=people, amount=amount, duration=duration, on_time=on_time)
         for key, (n, people, amount, duration, on_time) in ordered if n),
        batch_size=BATCH,
    )
    mark.seen_until = mark.rebuilt_at = started
    mark.save(update_fields=["seen_until", "rebuilt_at"])
    audit_record(actor=None, action="stats.rebuild", object_type="stats.source", object_id=source,
                 extra={"records": len(contributions), "cells": len(cells)})
    return len(contributions)


# --- the consistency check ------------------------------------------------------------------------

@dataclass
class CheckResult:
    source: str
    records: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _stored(metrics: Iterable[str]) -> Cells:
    cells: Cells = {}
    stored = Tally.objects.using(DEFAULT_DB_ALIAS).filter(metric__in=list(metrics))
    for t in stored.values_list("metric", "grain", "day", "region_id", "a", "b", "c", *MEASURES):
        cells[t[:7]] = list(t[7:])
    return cells


def _direct(source: str) -> dict[tuple, tuple[int, int]]:
    """The records counted straight from their own table by day and region (GROUP BY), independent
    of the source's row code: (metric, day, region) -> (records, people)."""
    model = SOURCES[source].model()
    people, only = None, Q()
    if source == "legalaid.application":
        metric, day, people = "aid.applied", TruncDate("received_at"), Sum("people_count")
        region = _township_or("residence", "region")
    elif source == "legalaid.case":
        metric, day = "aid.case", TruncDate(Coalesce("assigned_at", "created_at"))
        region = _township_or("application__residence", "region")
    elif source == "hotline.workorder":
        metric, day, region = "hotline.call", TruncDate("rang_at"), F("hotline__region_id")
    elif source == "hotline.callback":
        metric, day, region = "hotline.callback", F("due_on"), F("hotline__region_id")
    elif source == "mediation.dispute":
        metric, day, region = "mediation.case", F("received_on"), F("region_id")
    elif source == "video.session":
        metric, region = "video.session", F("region_id")
        day = TruncDate(Coalesce("waiting_since", "scheduled_at", "created_at"))
    elif source == "quality.evaluation":
        metric, day, region = "quality.evaluation", F("evaluated_on"), F("case__region_id")
    elif source == "quality.grade":
        metric, day, region = "quality.grade", TruncDate("graded_at"), F("case__region_id")
    elif source == "quality.ticket":
        metric, day, region = "quality.ticket", TruncDate("opened_at"), F("case__region_id")
    elif source == "quality.exemplary":
        metric, day, region = "quality.exemplary", F("nomination__session__held_on"), F("region_id")
    elif source == "checkup.visit":
        metric, day, region, people = "checkup.visit", F("visited_on"), F("region_id"), Sum("workers_interviewed")
        only = ~Q(status="planned") & Q(visited_on__isnull=False)
    elif source == "education.activity":
        metric, day, region = "education.activity", TruncDate("starts_at"), F("region_id")
        people = Sum(Coalesce("attendance", 0))
    else:
        raise KeyError(source)
    counted = (model._default_manager.filter(only).order_by().annotate(d=day, r=region).values("d", "r")
               .annotate(n=Count("pk")))
    if people is not None:
        counted = counted.annotate(p=people)
    return {(metric, row["d"], row["r"]): (row["n"], row.get("p")) for row in counted}


def _township_or(residence: str, region: str) -> Case:
    """In SQL, the region the source counts a legal aid record in: the township of residence when it is a
    township of the record's region, else the region."""
    return Case(When(**{f"{residence}__parent": F(region)}, then=F(residence)), default=F(region))


def stats_check(*, source: str) -> CheckResult:
    """Compare the stored tallies with (1) a direct GROUP BY over the records and (2) a full recount
    through the source's rows; every difference is reported, nothing is changed."""
    spec = SOURCES[source]
    stored = _stored(spec.metrics)
    result = CheckResult(source=source)
    direct = _direct(source)
    main_metric = next(iter({k[0] for k in direct}), None)
    if main_metric is not None:
        by_day: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for (metric, grain, day, region_id, *_dims), cell in stored.items():
            if metric == main_metric and grain == Grain.DAY:
                by_day[(metric, day, region_id)][0] += cell[0]
                by_day[(metric, day, region_id)][1] += cell[1]
        for key in sorted(set(direct) | set(by_day), key=str):
            n, people = direct.get(key, (0, None))
            got = by_day.get(key, [0, 0])
            if got[0] != n or (people is not None and got[1] != people):
                result.differences.append(f"{key[0]} {key[1]} region {key[2]}: tallies {got[0]} records / "
                                          f"{got[1]} people, the records {n} / {people if people is not None else '-'}")
    truth, contributions = _recount(source)
    result.records = len(contributions)
    truth = {k: v for k, v in _grains(truth).items() if v[0]}
    for key in sorted(set(truth) | set(stored), key=str):
        if truth.get(key) != stored.get(key):
            result.differences.append(f"{' '.join(map(str, key))}: tallies {stored.get(key)}, recount {truth.get(key)}")
    if result.differences:
        log.warning("stats check of %s found %d differences", source, len(result.differences))
    return result

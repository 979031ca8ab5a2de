"""Summary tables the dashboard reads instead of the records.

A `Tally` row is one cell of a figure: how many records of a metric fell on a day in a region with
up to three dimension values (`a`, `b`, `c`; what each means is written beside the metric in
`sources.py`), with their sums. A `Contribution` remembers which cells one record was counted in,
so that when the record changes (a case moved to another county, an application withdrawn) the
old cells lose it and the new ones gain it: the tallies stay exact without recounting.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    DAY = "d", _("Day")
    MONTH = "m", _("Month")
    YEAR = "y", _("Year")


class Tally(models.Model):
    """Kept at three grains: a day's cell, and the same records summed over its month (day = the
    1st) and its year (day = 1 January), so that "since 2019" reads a few years' rows instead of
    every day's."""

    metric = models.CharField(_("metric"), max_length=32)
    grain = models.CharField(_("grain"), max_length=1, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField(_("day"))
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    a = models.CharField(max_length=40, blank=True, default="")
    b = models.CharField(max_length=40, blank=True, default="")
    c = models.CharField(max_length=40, blank=True, default="")
    n = models.BigIntegerField(_("records"), default=0)
    people = models.BigIntegerField(_("people"), default=0)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2, default=0)
    duration = models.BigIntegerField(_("duration (days or seconds, summed)"), default=0)
    on_time = models.BigIntegerField(_("records within their target"), default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["metric", "grain", "day", "region", "a", "b", "c"],
                                    name="stats_tally_grain_cell"),
        ]
        indexes = [
            models.Index(fields=["metric", "grain", "day"], name="stats_tally_grain_day_idx"),
            # A region's own month and year cells (the top of a user's scope, each county of the map).
            models.Index(fields=["metric", "grain", "region", "day"], name="stats_tally_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.grain}{self.day} {self.region_id} {self.a}/{self.b}/{self.c}: {self.n}"


class Contribution(models.Model):
    """The cells one record was last counted in (a list of `Row`s as JSON)."""

    source = models.CharField(max_length=32)
    record_id = models.BigIntegerField()
    rows = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "record_id"], name="stats_contribution_record")]

    def __str__(self) -> str:
        return f"{self.source}:{self.record_id}"


class Watermark(models.Model):
    """How far the sweep has read a source's changes (by the records' `updated_at`). The row is
    also the source's lock: one refresh at a time per source."""

    source = models.CharField(max_length=32, unique=True)
    seen_until = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source} ≤ {self.seen_until}"

"""Quality sampling of calls: a reproducible random draw, and each drawn call's review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ReviewStatus
from .calls import WorkOrder
from .hotline import Hotline


class CallSample(models.Model):
    """A draw of answered calls for review. The seed is kept, so the draw can be repeated and checked."""

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.PROTECT, related_name="samples")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    rate = models.DecimalField(_("share drawn"), max_digits=4, decimal_places=3)
    seed = models.BigIntegerField(_("random seed"))
    pool_size = models.PositiveIntegerField(_("calls in the period"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call sample")
        verbose_name_plural = _("call samples")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} ({self.rate})"


class CallReview(models.Model):
    sample = models.ForeignKey(CallSample, verbose_name=_("sample"), on_delete=models.CASCADE,
                               related_name="reviews")
    work_order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE,
                                   related_name="reviews")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person reviewed"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    scores = models.JSONField(_("item scores"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    forbidden_found = models.JSONField(_("forbidden phrases found"), default=list, blank=True)
    feedback = models.TextField(_("feedback to the person"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call review")
        verbose_name_plural = _("call reviews")
        ordering = ["sample", "work_order"]
        constraints = [models.UniqueConstraint(fields=["sample", "work_order"], name="hotline_review_once_per_sample")]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.work_order_id}"

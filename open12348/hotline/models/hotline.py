"""A hotline centre with its configurable service standards, and the telephony systems that report to it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from open12348.core.models import TimeStampedModel


class Hotline(TimeStampedModel):
    """One 12348 hotline centre (a city's or a county's seats) and its service standards.

    The defaults are the local standards RULES.md §8 names: Wuhan's pick-up within 3 s, Anhui's
    answer rate ≥ 95 %, satisfaction ≥ 90 % and 5 % quality inspection, Puyang's 3 days for a
    difficult question, Shandong's 5 working days for feedback. No national rule fixes the callback
    time for missed calls or how long recordings are kept: both are settings here.
    """

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="hotlines")
    number = models.CharField(_("telephone number"), max_length=20, default="12348")
    callback_working_days = models.PositiveSmallIntegerField(
        _("working days to call back a missed call or message"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_("The callback is due at the end of this many working days after the call."))
    callback_max_attempts = models.PositiveSmallIntegerField(
        _("call-back attempts before a caller may be recorded as not reachable"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)])
    dissatisfied_working_days = models.PositiveSmallIntegerField(
        _("working days for a supervisor to call back a dissatisfied caller"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(15)])
    follow_up_working_days = models.PositiveSmallIntegerField(
        _("working days to give feedback on a follow-up"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(15)])
    expert_answer_days = models.PositiveSmallIntegerField(
        _("days to answer a question booked for an expert"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)])
    answer_within_seconds = models.PositiveSmallIntegerField(
        _("seconds within which a ringing call should be picked up"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(120)])
    answer_rate_target = models.DecimalField(
        _("answer rate target"), max_digits=4, decimal_places=3, default=Decimal("0.950"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))])
    satisfaction_target = models.DecimalField(
        _("satisfaction target"), max_digits=4, decimal_places=3, default=Decimal("0.900"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))])
    sample_rate = models.DecimalField(
        _("share of answered calls drawn for quality review"), max_digits=4, decimal_places=3,
        default=Decimal("0.050"), validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal(1))])
    rating_by_sms = models.BooleanField(
        _("send a rating link by SMS after each answered call"), default=False,
        help_text=_("Leave off when the telephony system asks for the rating by IVR at the end of the call."))
    recording_keep_days = models.PositiveIntegerField(
        _("days recordings are kept"), default=180, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = ["region__code", "id"]

    def __str__(self) -> str:
        return self.name


class TelephonyClient(TimeStampedModel):
    """A telephony system allowed to report call events, by a bearer token shown once at issue.

    Only a SHA-256 hash of the token is kept (the token is 256 random bits, so a slow hash adds
    nothing); the prefix finds the row, and the hash is compared in constant time.
    """

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.PROTECT,
                                related_name="telephony_clients")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("token prefix"), max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("telephony system")
        verbose_name_plural = _("telephony systems")
        ordering = ["hotline", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

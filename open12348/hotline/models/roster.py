"""The duty roster: seats, shifts, the pool of duty people, their leave, and who is on which slot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from open12348.core.models import TimeStampedModel

from ..choices import MemberKind, RosterSource, SeatKind, ShiftDays
from .hotline import Hotline


class Seat(models.Model):
    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="seats")
    code = models.CharField(_("seat number"), max_length=20, help_text=_("As the telephony system names the seat."))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("who sits here"), max_length=10, choices=SeatKind.choices, default=SeatKind.ANY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["hotline", "code"]
        constraints = [models.UniqueConstraint(fields=["hotline", "code"], name="hotline_seat_code_unique")]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A staffed period. Every active seat is staffed on every shift; other hours go to voice mail."""

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="shifts")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    days = models.CharField(_("days"), max_length=10, choices=ShiftDays.choices, default=ShiftDays.WORKING)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["hotline", "starts", "code"]
        constraints = [
            models.UniqueConstraint(fields=["hotline", "code"], name="hotline_shift_code_unique"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="hotline_shift_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts:%H:%M}–{self.ends:%H:%M}"


class PoolMember(TimeStampedModel):
    """A duty lawyer or staff member on the hotline's rotation."""

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="pool")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="hotline_pools")
    kind = models.CharField(_("kind"), max_length=10, choices=MemberKind.choices, default=MemberKind.LAWYER)
    practitioner = models.ForeignKey("network.Practitioner", verbose_name=_("practitioner"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(_("on the rotation"), default=True)

    class Meta:
        verbose_name = _("duty pool member")
        verbose_name_plural = _("duty pool")
        ordering = ["hotline", "user__username"]
        constraints = [models.UniqueConstraint(fields=["hotline", "user"], name="hotline_pool_member_unique")]

    def __str__(self) -> str:
        return str(self.user)


class Leave(models.Model):
    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="leaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="+")
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["-starts"]
        constraints = [models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="hotline_leave_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.user} {self.starts}–{self.ends}"


class RosterEntry(models.Model):
    """One person at one seat on one shift of one day."""

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="roster")
    date = models.DateField(_("date"))
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="entries")
    seat = models.ForeignKey(Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="hotline_duties")
    source = models.CharField(_("how assigned"), max_length=12, choices=RosterSource.choices,
                              default=RosterSource.GENERATED)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["date", "shift__starts", "seat__code"]
        constraints = [
            models.UniqueConstraint(fields=["date", "shift", "seat"], name="hotline_roster_one_per_seat"),
            models.UniqueConstraint(fields=["date", "shift", "user"], name="hotline_roster_one_seat_per_person"),
        ]
        indexes = [
            models.Index(fields=["hotline", "date"], name="hotline_roster_day_idx"),
            models.Index(fields=["user", "date"], name="hotline_roster_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.shift_id}/{self.seat_id} {self.user_id}"

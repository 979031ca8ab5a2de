"""Remote video consultation: a township office (the requesting point) talks with a county or city
legal aid centre (the serving point) in the browser.

The visitor's name, phone and question, the lawyer's notes and the materials shown are personal
data: encrypted at rest (files are kept under their content hash, never the uploader's name).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.models import TimelineEvent, TimeStampedModel

from .choices import VideoInviteeKind, VideoSessionMode, VideoSessionStatus


def new_room() -> str:
    return secrets.token_hex(16)


class VideoSession(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    room = models.CharField(_("room"), max_length=40, unique=True, default=new_room, editable=False)
    requesting_point = models.ForeignKey(
        "network.Institution", verbose_name=_("requesting point"), on_delete=models.PROTECT, related_name="+")
    serving_point = models.ForeignKey(
        "network.Institution", verbose_name=_("serving point"), on_delete=models.PROTECT, related_name="+")
    # The requesting point's region: what data scope sees (the serving centre's region contains it).
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="video_sessions")
    mode = models.CharField(_("when"), max_length=12, choices=VideoSessionMode.choices)
    scheduled_at = models.DateTimeField(_("booked for"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=VideoSessionStatus.choices)
    visitor_name = models.CharField(_("visitor's name"), max_length=50)
    visitor_phone = EncryptedTextField(_("visitor's phone"), blank=True)
    topic = EncryptedTextField(_("what the visitor wants to ask"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("served by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    recording_requested = models.BooleanField(_("recording requested"), default=False)
    application = models.ForeignKey("legalaid.Application", verbose_name=_("legal aid application"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("video consultation")
        verbose_name_plural = _("video consultations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["serving_point", "status", "waiting_since"], name="video_queue_idx"),
            models.Index(fields=["requesting_point", "-created_at"], name="video_requesting_idx"),
            models.Index(fields=["region", "status"], name="video_region_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def waiting_seconds(self) -> int | None:
        if self.waiting_since is None or self.taken_at is None:
            return None
        return max(0, int((self.taken_at - self.waiting_since).total_seconds()))

    @property
    def duration_seconds(self) -> int | None:
        if self.taken_at is None or self.ended_at is None:
            return None
        return max(0, int((self.ended_at - self.taken_at).total_seconds()))


class VideoSessionEvent(TimelineEvent):
    session = models.ForeignKey(VideoSession, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("video consultation event")
        verbose_name_plural = _("video consultation events")
        ordering = ["at", "id"]


class Invitation(TimeStampedModel):
    """A link that lets one person join one room until it expires (the token is signed, see invites.py)."""

    session = models.ForeignKey(VideoSession, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("who"), max_length=10, choices=VideoInviteeKind.choices)
    name = models.CharField(_("name of the person"), max_length=50)
    # A staff member invited to a joint consultation joins signed in; others through the link.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff account"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=32, default=new_room, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """One connection to the room: who, when they joined and left. Open rows are who is in the room."""

    session = models.ForeignKey(VideoSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField(_("name of the person"), max_length=60)
    side = models.CharField(_("side"), max_length=12)
    peer = models.CharField(max_length=32, unique=True)
    joined_at = models.DateTimeField(_("joined at"))
    # Refreshed by the call page's heartbeat: a row not seen for a while is a connection that died
    # without saying goodbye (a server restart), and no longer counts as present.
    seen_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("seconds in the room"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["joined_at", "id"]
        indexes = [models.Index(fields=["session", "left_at"], name="video_presence_idx")]

    def __str__(self) -> str:
        return self.display_name


class Note(models.Model):
    session = models.ForeignKey(VideoSession, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("consultation note")
        verbose_name_plural = _("consultation notes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.pk}"


def material_path(instance, filename: str) -> str:
    return f"video/{instance.session_id}/{instance.sha256[:2]}/{instance.sha256}"


class SharedMaterial(models.Model):
    """A document shown during the call (a contract, a pay slip), kept with the consultation."""

    session = models.ForeignKey(VideoSession, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("material shown")
        verbose_name_plural = _("materials shown")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "sha256"], name="video_material_once")]

    def __str__(self) -> str:
        return self.original_name


class RecordingConsent(models.Model):
    """One participant's consent to recording. Recording needs everyone's, and the site enabling it."""

    session = models.ForeignKey(VideoSession, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField(_("name of the person"), max_length=60)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("consent to recording")
        verbose_name_plural = _("consents to recording")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], condition=models.Q(user__isnull=False),
                                    name="video_consent_user_once"),
            models.UniqueConstraint(fields=["session", "invitation"], condition=models.Q(invitation__isnull=False),
                                    name="video_consent_invitation_once"),
        ]

    def __str__(self) -> str:
        return self.display_name

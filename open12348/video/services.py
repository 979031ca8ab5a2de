"""Writes of remote video consultation.

Who may do what:
- the requesting point (a township judicial office, staff with VIDEO_REQUEST who belong to it) asks
  for a consultation now or books a slot, puts a booked slot in the queue, invites the visitor;
- the serving point (a county or city legal aid centre, staff with VIDEO_SERVE who belong to it)
  takes a consultation from its queue, writes notes, ends it and turns it into an application;
- invited people (a visitor on their phone, a second lawyer for a joint consultation) join that one
  room until their invitation expires.

Every write is audited; refusals write nothing but an audit row of the refusal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.masking import mask_phone
from open12348.legalaid.materials import clean_file_name, detect_type, read_upload, scan_upload
from open12348.network.choices import InstitutionKind

from . import workflow
from .choices import VideoInviteeKind, VideoSessionMode, VideoSessionStatus
from .models import (
    Attendance,
    Invitation,
    Note,
    RecordingConsent,
    SharedMaterial,
    VideoSession,
    VideoSessionEvent,
)

log = logging.getLogger(__name__)

INVITE_SALT = "open12348.video.invitation"
DEFAULT_INVITATION_HOURS = 4
DEFAULT_MAX_PARTICIPANTS = 4
NOTE_MAX = 5000
TOPIC_MAX = 2000
REQUESTING_KINDS = frozenset({InstitutionKind.JUDICIAL_OFFICE, InstitutionKind.LEGAL_SERVICE_OFFICE,
                              InstitutionKind.LEGAL_AID_CENTRE})

SIDE_REQUESTING, SIDE_SERVING, SIDE_INVITED = "requesting", "serving", "invited"


# --- settings -----------------------------------------------------------------------------------

def invitation_hours() -> int:
    return int(getattr(settings, "VIDEO_INVITATION_HOURS", DEFAULT_INVITATION_HOURS))


def max_participants() -> int:
    return int(getattr(settings, "VIDEO_MAX_PARTICIPANTS", DEFAULT_MAX_PARTICIPANTS))


def recording_enabled() -> bool:
    return bool(getattr(settings, "VIDEO_RECORDING_ENABLED", False))


def ice_servers() -> list[dict[str, Any]]:
    """RTCPeerConnection's iceServers. None by default: on one network host candidates suffice;
    real networks need STUN and TURN (docs/video.md)."""
    return list(getattr(settings, "VIDEO_ICE_SERVERS", []))


# --- who is who ---------------------------------------------------------------------------------

def _forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def member_of(user, institution_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or institution_id is None:
        return False
    return user.memberships.filter(is_active=True, institution_id=institution_id).exists()


def is_requesting_staff(user, session: VideoSession) -> bool:
    return user_can(user, Capability.VIDEO_REQUEST) and member_of(user, session.requesting_point_id)


def is_serving_staff(user, session: VideoSession) -> bool:
    return user_can(user, Capability.VIDEO_SERVE) and member_of(user, session.serving_point_id)


def invitation_of_user(user, session: VideoSession) -> Invitation | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (session.invitations.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-expires_at").first())


@dataclass(frozen=True)
class Participant:
    """Someone let into a room: a staff member of either point, or the holder of an invitation."""

    name: str
    side: str
    user: Any = None
    invitation: Invitation | None = None


def participant_for(*, session: VideoSession, user=None, invitation: Invitation | None = None) -> Participant | None:
    """Who `user` (signed in) or the holder of `invitation` is in this room, or None: refused."""
    if session.status in workflow.CLOSED:
        return None
    if invitation is not None:
        if invitation.session_id != session.pk or not invitation_is_valid(invitation):
            return None
        if invitation.user_id is not None and (user is None or user.pk != invitation.user_id):
            return None  # a staff member's invitation is used signed in as that member
        return Participant(name=invitation.name, side=SIDE_INVITED, user=user if invitation.user_id else None,
                           invitation=invitation)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    name = str(user)
    if is_serving_staff(user, session):
        return Participant(name=name, side=SIDE_SERVING, user=user)
    if is_requesting_staff(user, session):
        return Participant(name=name, side=SIDE_REQUESTING, user=user)
    own = invitation_of_user(user, session)
    if own is not None:
        return Participant(name=name, side=SIDE_INVITED, user=user, invitation=own)
    return None


def invitation_is_valid(invitation: Invitation, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return invitation.revoked_at is None and invitation.expires_at > now


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITE_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link's token names, if the signature holds and it has not expired or been revoked."""
    try:
        data = signing.loads(str(token or ""), salt=INVITE_SALT,
                             max_age=dt.timedelta(hours=max(invitation_hours(), 1) * 2))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    invitation = (Invitation.objects.select_related("session").filter(pk=data.get("i"), nonce=data.get("n"))
                  .first())
    if invitation is None or not invitation_is_valid(invitation):
        return None
    return invitation


# --- helpers ------------------------------------------------------------------------------------

def timeline(session: VideoSession, *, actor, kind: str, from_status: str = "", to_status: str = "",
             note: str = "", data: dict | None = None) -> VideoSessionEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return VideoSessionEvent.objects.create(session=session, actor=user, kind=kind, from_status=from_status,
                                            to_status=to_status, note=note, data=data or {})


def _locked(session: VideoSession) -> VideoSession:
    return VideoSession.objects.select_for_update(of=("self",)).get(pk=session.pk)


def _text(value: str, *, field: str, message: str, limit: int, required: bool = True) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ApplicationError(message, code=f"{field}_required", field=field)
    if len(value) > limit:
        raise ApplicationError(_("This text is too long (at most %(limit)d characters).") % {"limit": limit},
                               code=f"{field}_too_long", field=field)
    return value


def requesting_points_for(user):
    """The points `user` may ask from: their own organisations, if they hold VIDEO_REQUEST."""
    from open12348.network.models import Institution

    if not user_can(user, Capability.VIDEO_REQUEST):
        return Institution.objects.none()
    return (Institution.objects.filter(kind__in=REQUESTING_KINDS, memberships__user=user,
                                       memberships__is_active=True).select_related("region").distinct()
            .order_by("name"))


def serving_points_for(requesting_point):
    """The legal aid centres that may serve a point: those whose region contains the point's region."""
    from open12348.network.models import Institution

    paths = [requesting_point.region.path[:i + 1] for i, ch in enumerate(requesting_point.region.path) if ch == "/"]
    return (Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE, region__path__in=paths)
            .exclude(pk=requesting_point.pk).select_related("region").order_by("-region__depth", "name"))


def _after_commit_tell_room(session: VideoSession, message: dict) -> None:
    room = session.room

    def send() -> None:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group_name(room), {"type": "room.event", "message": message})
        except Exception:  # the call page finds out on its own when the room closes
            log.exception("telling video room %s failed", room)

    transaction.on_commit(send)


def group_name(room: str) -> str:
    return f"video.{room}"


# --- the consultation ---------------------------------------------------------------------------

@transaction.atomic
def session_request(*, actor, requesting_point, serving_point, mode: str, visitor_name: str,
                    visitor_phone: str = "", topic: str = "", scheduled_at: dt.datetime | None = None,
                    recording_requested: bool = False, now: dt.datetime | None = None) -> VideoSession:
    """A township office asks a legal aid centre for a video consultation, now or at a booked time."""
    now = now or timezone.now()
    if not user_can(actor, Capability.VIDEO_REQUEST) or not member_of(actor, requesting_point.pk):
        raise _forbidden()
    if requesting_point.kind not in REQUESTING_KINDS:
        raise _forbidden()
    if not serving_points_for(requesting_point).filter(pk=serving_point.pk).exists():
        raise ApplicationError(_("Choose the legal aid centre of your county or of the city."),
                               code="serving_point_invalid", field="serving_point")
    if mode not in VideoSessionMode.values:
        raise ApplicationError(_("Choose now or a booked time."), code="mode_invalid", field="mode")
    if mode == VideoSessionMode.SCHEDULED:
        if scheduled_at is None or scheduled_at <= now:
            raise ApplicationError(_("Choose a time in the future."), code="scheduled_at_invalid",
                                   field="scheduled_at")
    else:
        scheduled_at = None
    visitor_name = _text(visitor_name, field="visitor_name", message=_("Enter the visitor's name."), limit=50)
    visitor_phone = _text(visitor_phone, field="visitor_phone", message="", limit=20, required=False)
    topic = _text(topic, field="topic", message="", limit=TOPIC_MAX, required=False)
    if recording_requested and not recording_enabled():
        recording_requested = False
    status = VideoSessionStatus.WAITING if mode == VideoSessionMode.ON_DEMAND else VideoSessionStatus.REQUESTED
    session = VideoSession.objects.create(
        number=f"tmp-{now.timestamp()}"[:20], requesting_point=requesting_point, serving_point=serving_point,
        region=requesting_point.region, mode=mode, scheduled_at=scheduled_at, status=status,
        visitor_name=visitor_name, visitor_phone=visitor_phone, topic=topic, requested_by=actor,
        waiting_since=now if status == VideoSessionStatus.WAITING else None, recording_requested=recording_requested)
    session.number = f"SP{timezone.localtime(now):%Y}{session.pk:06d}"
    session.save(update_fields=["number"])
    session.created_at = now
    VideoSession.objects.filter(pk=session.pk).update(created_at=now)
    timeline(session, actor=actor, kind="requested", to_status=status, data={"mode": mode})
    _notify_serving(session, actor=actor)
    audit_record(actor=actor, action="video.session.request", obj=session,
                 changes={"after": {"status": status, "mode": mode, "serving_point": serving_point.pk,
                                    "scheduled_at": scheduled_at}},
                 extra={"visitor_phone": mask_phone(visitor_phone) if visitor_phone else ""})
    return session


def _notify_serving(session: VideoSession, *, actor) -> None:
    """Tell the serving centre's staff in their console inbox (no personal data in the notice)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from open12348.notifications.services import notify

    staff = (get_user_model().objects.filter(memberships__institution=session.serving_point,
                                             memberships__is_active=True, is_active=True).distinct())
    if session.status == VideoSessionStatus.WAITING:
        title = _("%(point)s has a visitor waiting for a video consultation.") % {
            "point": session.requesting_point.name}
    else:
        title = _("%(point)s booked a video consultation for %(when)s.") % {
            "point": session.requesting_point.name,
            "when": timezone.localtime(session.scheduled_at).strftime("%Y-%m-%d %H:%M")}
    for user in staff:
        if user_can(user, Capability.VIDEO_SERVE):
            notify(recipient=user, kind="video.session.requested", title=title, obj=session, actor=actor,
                   url=reverse("video:session", args=[session.pk]), dedupe_key=f"video.session:{session.pk}:requested")


def _may_transition(actor, session: VideoSession, action: str) -> bool:
    if action == "queue":
        return is_requesting_staff(actor, session)
    if action in ("take", "end"):
        return is_serving_staff(actor, session)
    if action == "cancel":
        return is_requesting_staff(actor, session) or is_serving_staff(actor, session)
    return False


@transaction.atomic
def session_transition(*, actor, session: VideoSession, action: str, note: str = "",
                       now: dt.datetime | None = None) -> VideoSession:
    """Move a consultation along the table in workflow.py: queue, take, end or cancel."""
    now = now or timezone.now()
    if action not in workflow.TRANSITIONS or not _may_transition(actor, session, action):
        raise _forbidden()
    session = _locked(session)
    to = workflow.target(action, session.status)
    if to is None:
        raise ConflictError(_("This consultation has moved on; reload the page."), code="status")
    before = {"status": session.status}
    fields = ["status", "version", "updated_at"]
    if action == "queue":
        session.waiting_since = now
        fields.append("waiting_since")
    elif action == "take":
        session.taken_at, session.served_by = now, actor
        if session.waiting_since is None:
            session.waiting_since = now
        fields += ["taken_at", "served_by", "waiting_since"]
    elif action in ("end", "cancel"):
        session.ended_at = now
        fields.append("ended_at")
        session.invitations.filter(revoked_at__isnull=True).update(revoked_at=now)
    from_status, session.status = session.status, to
    session.version += 1
    session.save(update_fields=fields)
    timeline(session, actor=actor, kind=action, from_status=from_status, to_status=to, note=note[:500])
    audit_record(actor=actor, action=f"video.session.{action}", obj=session,
                 changes={"before": before, "after": {"status": to}})
    if to in workflow.CLOSED:
        _after_commit_tell_room(session, {"type": "ended"})
    return session


# --- invitations --------------------------------------------------------------------------------

@transaction.atomic
def invitation_create(*, actor, session: VideoSession, kind: str, name: str, user=None,
                      hours: int | None = None, now: dt.datetime | None = None) -> tuple[Invitation, str]:
    """An invitation for one person to this room, valid for a few hours; returns it and its link's token."""
    now = now or timezone.now()
    if not (is_requesting_staff(actor, session) or is_serving_staff(actor, session)):
        raise _forbidden()
    if session.status in workflow.CLOSED:
        raise ConflictError(_("This consultation is over."), code="closed")
    if kind not in VideoInviteeKind.values:
        raise ApplicationError(_("Say who is invited."), code="kind_invalid", field="kind")
    if user is not None and not user_can(user, Capability.VIDEO_SERVE):
        raise ApplicationError(_("Only lawyers and legal aid staff can be invited by their account."),
                               code="user_invalid", field="user")
    name = _text(name or (str(user) if user else ""), field="name", message=_("Enter the name of the person invited."),
                 limit=50)
    hours = max(1, min(int(hours or invitation_hours()), invitation_hours()))
    invitation = Invitation.objects.create(session=session, kind=kind, name=name, user=user, created_by=actor,
                                           expires_at=now + dt.timedelta(hours=hours))
    timeline(session, actor=actor, kind="invited", note=name, data={"invitation": invitation.pk, "kind": kind})
    audit_record(actor=actor, action="video.invitation.create", obj=invitation,
                 extra={"session": session.pk, "kind": kind, "user": user.pk if user else None,
                        "expires_at": invitation.expires_at})
    return invitation, invitation_token(invitation)


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    session = invitation.session
    if not (is_requesting_staff(actor, session) or is_serving_staff(actor, session)):
        raise _forbidden()
    if invitation.revoked_at is None:
        invitation.revoked_at = now or timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        timeline(session, actor=actor, kind="invitation_revoked", note=invitation.name)
        audit_record(actor=actor, action="video.invitation.revoke", obj=invitation, extra={"session": session.pk})
    return invitation


# --- joining and leaving (called by the signalling consumer) -------------------------------------

def _room_session(room: str) -> VideoSession | None:
    return VideoSession.objects.select_related("requesting_point", "serving_point").filter(room=room).first()


@transaction.atomic
def attendance_join(*, room: str, user=None, token: str = "", peer: str,
                    now: dt.datetime | None = None) -> Attendance | None:
    """Let someone into a room, or refuse (None). Both are audited; a refusal writes nothing else."""
    now = now or timezone.now()
    session = _room_session(room)
    invitation = invitation_from_token(token) if token else None
    user = user if getattr(user, "is_authenticated", False) else None
    participant = None
    reason = "no_session" if session is None else ""
    if session is not None:
        if token and invitation is None:
            reason = "invitation_invalid"
        else:
            participant = participant_for(session=session, user=user, invitation=invitation)
            reason = "" if participant else ("closed" if session.status in workflow.CLOSED else "not_invited")
    if participant is not None:
        _close_stale(session=session, now=now)
        present = Attendance.objects.filter(session=session, left_at__isnull=True).count()
        if present >= max_participants():
            participant, reason = None, "room_full"
    if participant is None:
        audit_record(actor=user, action="video.session.join", result="denied",
                     object_type="video.videosession", object_id=str(session.pk) if session else "",
                     object_repr=session.number if session else room[:40],
                     extra={"reason": reason, "invitation": invitation.pk if invitation else None})
        return None
    attendance = Attendance.objects.create(
        session=session, user=participant.user, invitation=participant.invitation,
        display_name=participant.name[:60], side=participant.side, peer=peer, joined_at=now, seen_at=now)
    timeline(session, actor=user, kind="joined", note=participant.name,
             data={"side": participant.side, "invitation": participant.invitation.pk if participant.invitation else None})
    audit_record(actor=user, action="video.session.join", obj=session,
                 extra={"side": participant.side, "name": participant.name,
                        "invitation": participant.invitation.pk if participant.invitation else None})
    return attendance


PRESENCE_TIMEOUT = dt.timedelta(seconds=90)


def _close_stale(*, session: VideoSession, now: dt.datetime) -> None:
    """Connections not heard of for a while (the server restarted under them) have left."""
    for row in Attendance.objects.filter(session=session, left_at__isnull=True, seen_at__lt=now - PRESENCE_TIMEOUT):
        row.left_at = row.seen_at
        row.duration_seconds = max(0, int((row.seen_at - row.joined_at).total_seconds()))
        row.save(update_fields=["left_at", "duration_seconds"])
        audit_record(actor=row.user, action="video.session.leave", obj=session,
                     extra={"name": row.display_name, "side": row.side, "seconds": row.duration_seconds,
                            "stale": True})


def attendance_seen(*, peer: str, now: dt.datetime | None = None) -> None:
    Attendance.objects.filter(peer=peer, left_at__isnull=True).update(seen_at=now or timezone.now())


@transaction.atomic
def attendance_leave(*, peer: str, now: dt.datetime | None = None) -> Attendance | None:
    now = now or timezone.now()
    attendance = (Attendance.objects.select_for_update(of=("self",)).select_related("session", "user")
                  .filter(peer=peer, left_at__isnull=True).first())
    if attendance is None:
        return None
    attendance.left_at = now
    attendance.duration_seconds = max(0, int((now - attendance.joined_at).total_seconds()))
    attendance.save(update_fields=["left_at", "duration_seconds"])
    timeline(attendance.session, actor=attendance.user, kind="left", note=attendance.display_name,
             data={"seconds": attendance.duration_seconds})
    audit_record(actor=attendance.user, action="video.session.leave", obj=attendance.session,
                 extra={"name": attendance.display_name, "side": attendance.side,
                        "seconds": attendance.duration_seconds})
    return attendance


def present_peers(*, room: str, exclude: str = "", now: dt.datetime | None = None) -> list[dict[str, str]]:
    now = now or timezone.now()
    rows = (Attendance.objects.filter(session__room=room, left_at__isnull=True, seen_at__gte=now - PRESENCE_TIMEOUT)
            .exclude(peer=exclude)
            .order_by("joined_at", "id").values("peer", "display_name", "side"))
    return [{"id": r["peer"], "name": r["display_name"], "side": r["side"]} for r in rows]


# --- during and after ---------------------------------------------------------------------------

def _may_write_notes(actor, session: VideoSession) -> bool:
    if is_serving_staff(actor, session):
        return True
    return user_can(actor, Capability.VIDEO_SERVE) and invitation_of_user(actor, session) is not None


@transaction.atomic
def note_add(*, actor, session: VideoSession, text: str, now: dt.datetime | None = None) -> Note:
    """The lawyer's note on the consultation (what was asked, what was advised)."""
    if not _may_write_notes(actor, session):
        raise _forbidden()
    text = _text(text, field="text", message=_("Write the note first."), limit=NOTE_MAX)
    note = Note.objects.create(session=session, author=actor, text=text, at=now or timezone.now())
    timeline(session, actor=actor, kind="note")
    audit_record(actor=actor, action="video.note.add", obj=session, extra={"note": note.pk})
    return note


def material_add(*, actor, session: VideoSession, upload, now: dt.datetime | None = None) -> SharedMaterial:
    """Keep a document shown in the call. Checked like legal aid materials: by its bytes, not its name."""
    if participant_for(session=session, user=actor) is None and not (
            is_requesting_staff(actor, session) or is_serving_staff(actor, session)):
        raise _forbidden()
    data = read_upload(upload)
    file_type = detect_type(data)
    scan_upload(data)
    sha256 = hashlib.sha256(data).hexdigest()
    if SharedMaterial.objects.filter(session=session, sha256=sha256).exists():
        raise ConflictError(_("This file is already kept with the consultation."), code="duplicate", field="file")
    row = SharedMaterial(session=session, original_name=clean_file_name(getattr(upload, "name", ""),
                                                                        file_type=file_type),
                         content_type=file_type.content_type, size=len(data), sha256=sha256, uploaded_by=actor,
                         at=now or timezone.now())
    try:
        row.file.save(sha256, ContentFile(data), save=False)
    except Exception as exc:
        log.exception("storing a video consultation material failed")
        raise ApplicationError(_("The file could not be saved just now. Please try again."), code="storage_failed",
                               field="file", status=503) from exc
    try:
        with transaction.atomic():
            row.save()
            timeline(session, actor=actor, kind="material", note=row.original_name)
            audit_record(actor=actor, action="video.material.add", obj=session,
                         extra={"material": row.pk, "sha256": sha256, "size": len(data)})
    except Exception:
        row.file.storage.delete(row.file.name)
        raise
    return row


@transaction.atomic
def consent_give(*, session: VideoSession, user=None, invitation: Invitation | None = None,
                 now: dt.datetime | None = None) -> RecordingConsent:
    """One participant agrees to the consultation being recorded."""
    if not recording_enabled():
        raise ApplicationError(_("Recording is not enabled on this site."), code="recording_disabled")
    participant = participant_for(session=session, user=user, invitation=invitation)
    if participant is None:
        raise _forbidden()
    lookup = {"invitation": participant.invitation} if participant.user is None else {"user": participant.user}
    consent, created = RecordingConsent.objects.get_or_create(
        session=session, **lookup, defaults={"display_name": participant.name[:60], "at": now or timezone.now()})
    if created:
        timeline(session, actor=participant.user, kind="consent", note=participant.name)
        audit_record(actor=participant.user, action="video.recording.consent", obj=session,
                     extra={"name": participant.name, "invitation": participant.invitation.pk
                            if participant.invitation else None})
    return consent


def recording_allowed(session: VideoSession) -> bool:
    """Recording may run only if the site enables it and everyone now in the room has consented."""
    if not recording_enabled() or not session.recording_requested:
        return False
    present = list(Attendance.objects.filter(session=session, left_at__isnull=True).values("user_id", "invitation_id"))
    if not present:
        return False
    users = set(session.consents.exclude(user=None).values_list("user_id", flat=True))
    invitations = set(session.consents.exclude(invitation=None).values_list("invitation_id", flat=True))
    return all((p["user_id"] in users) if p["user_id"] else (p["invitation_id"] in invitations) for p in present)


def session_to_application(*, actor, session: VideoSession, centre, applicant: dict[str, Any],
                           details: dict[str, Any]):
    """Register a legal aid application from the consultation (channel "video") and link the two.
    Submitting twice gives the one application (the consultation is its idempotency key)."""
    from open12348.legalaid.eligibility.codes import Channel
    from open12348.legalaid.services import application_create

    if not (is_serving_staff(actor, session) or is_requesting_staff(actor, session)):
        raise _forbidden()
    with transaction.atomic():
        session = _locked(session)
        if session.application_id:
            raise ConflictError(_("This consultation was already turned into an application."), code="already")
        application = application_create(
            actor=actor, centre=centre, channel=Channel.VIDEO, applicant=applicant, details=details,
            channel_detail=_("Video consultation %(number)s") % {"number": session.number},
            idempotency_key=f"video.session:{session.pk}")
        session.application = application
        session.version += 1
        session.save(update_fields=["application", "version", "updated_at"])
        timeline(session, actor=actor, kind="application", note=application.number,
                 data={"application": application.pk})
        audit_record(actor=actor, action="video.session.to_application", obj=session,
                     changes={"before": {"application": None}, "after": {"application": application.pk}})
    return application


def legal_aid_prefill(session: VideoSession) -> dict[str, Any]:
    """The intake form's initial values from the consultation (the staff member checks them)."""
    notes = "\n".join(n.text for n in session.notes.all())
    facts = "\n".join(part for part in (session.topic, notes) if part)
    return {"centre": session.serving_point_id, "applicant_name": session.visitor_name,
            "applicant_phone": session.visitor_phone, "matter": "CV-OTHER", "category": "civil",
            "aid_form": "civil_litigation", "stage": "not_started", "facts": facts}

"""Staff screens of video consultation, the call page, and the invited visitor's page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from open12348.accounts.permissions import require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.hotline.forms import LegalAidReferralForm
from open12348.legalaid.forms import apply_application_error

from . import selectors, services, workflow
from .access import VIDEO_CAPABILITIES, access_session
from .forms import InviteForm, MaterialForm, NoteForm, RequestForm, UtilisationForm
from .models import SharedMaterial


def _any_video(user) -> bool:
    return any(user_can(user, cap) for cap in VIDEO_CAPABILITIES)


def _labels() -> dict[str, str]:
    """Everything the call page's script may show, translated here (the script holds no text)."""
    return {
        "ready": _("Press “Join the call” when the visitor is ready."),
        "camera": _("Starting the camera and microphone…"),
        "no_camera": _("No camera or microphone could be used; you can still hear and see the others."),
        "connecting": _("Connecting…"),
        "waiting": _("In the room. Waiting for the other side to join…"),
        "connected": _("Connected."),
        "reconnecting": _("The connection was lost. Reconnecting…"),
        "refused": _("You cannot join this consultation: the link has expired or is not for you."),
        "ended": _("The consultation has ended."),
        "left": _("You have left the call."),
        "audio_off": _("Mute"), "audio_on": _("Unmute"),
        "video_off": _("Camera off"), "video_on": _("Camera on"),
    }


def _event_labels() -> dict[str, str]:
    return {
        "requested": _("Requested"), "queue": _("Joined the queue"), "take": _("Taken"), "end": _("Ended"),
        "cancel": _("Cancelled"), "invited": _("Invitation made"), "invitation_revoked": _("Invitation withdrawn"),
        "joined": _("Joined the call"), "left": _("Left the call"), "note": _("Note added"),
        "material": _("Document kept"), "consent": _("Consented to recording"),
        "application": _("Turned into a legal aid application"),
    }


def _side_labels() -> dict[str, str]:
    return {services.SIDE_REQUESTING: _("Township office"), services.SIDE_SERVING: _("Legal aid centre"),
            services.SIDE_INVITED: _("Invited")}


def _call_context(session, *, ws: str, participant, token: str = "") -> dict:
    return {"session": session, "participant": participant,
            "config": {"ws": ws, "ice": services.ice_servers(), "labels": _labels()},
            "recording_enabled": services.recording_enabled() and session.recording_requested, "token": token}


def _labelled(rows, attribute: str, labels: dict[str, str]) -> list:
    rows = list(rows)
    for row in rows:
        row.label = labels.get(getattr(row, attribute), getattr(row, attribute))
    return rows


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _any_video(user):
        audit_record(actor=user, action="auth.permission_denied", result="denied",
                     extra={"capability": Capability.VIDEO_REQUEST, "path": request.path[:200]})
        raise PermissionDenied
    context = {
        "can_request": user_can(user, Capability.VIDEO_REQUEST) and services.requesting_points_for(user).exists(),
        "can_serve": user_can(user, Capability.VIDEO_SERVE),
        "can_manage": user_can(user, Capability.VIDEO_MANAGE),
        "queue": selectors.queue_for(user) if user_can(user, Capability.VIDEO_SERVE) else [],
        "booked": selectors.booked_for(user),
        "sessions": selectors.own_sessions(user),
    }
    return render(request, "video/home.html", context)


@never_cache
@require_capability(Capability.VIDEO_SERVE)
def queue(request: HttpRequest) -> HttpResponse:
    """The waiting queue alone, for the home page to refresh every few seconds."""
    return render(request, "video/_queue.html", {"queue": selectors.queue_for(request.user)})


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.VIDEO_REQUEST)
def request_create(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_request(
                actor=request.user, requesting_point=data["requesting_point"], serving_point=data["serving_point"],
                mode=data["mode"], scheduled_at=data.get("scheduled_at"), visitor_name=data["visitor_name"],
                visitor_phone=data["visitor_phone"], topic=data["topic"],
                recording_requested=bool(data.get("recording_requested")))
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            if session.status == workflow.S.WAITING:
                messages.success(request, _("The legal aid centre sees the visitor in its queue now."))
                return redirect("video:call", pk=session.pk)
            messages.success(request, _("The consultation is booked."))
            return redirect("video:session", pk=session.pk)
    return render(request, "video/request_form.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@never_cache
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    user = request.user
    staff_side = services.is_requesting_staff(user, session) or services.is_serving_staff(user, session)
    audit_record(actor=user, action="video.session.view", obj=session)
    actions = [a for a in workflow.actions_from(session.status) if services._may_transition(user, session, a)]
    context = {
        "session": session, "actions": actions, "staff_side": staff_side,
        "can_join": services.participant_for(session=session, user=user) is not None,
        "can_note": services._may_write_notes(user, session),
        "can_apply": (staff_side and not session.application_id and user_can(user, Capability.AID_INTAKE)
                      and session.status != workflow.S.CANCELLED),
        "events": _labelled(session.events.select_related("actor"), "kind", _event_labels()),
        "attendance": _labelled(session.attendance.all(), "side", _side_labels()),
        "notes": session.notes.select_related("author"),
        "materials": session.materials.all(),
        "invitations": session.invitations.select_related("user"),
        "consents": session.consents.all(),
        "recording_allowed": services.recording_allowed(session),
        "invite_form": InviteForm(), "note_form": NoteForm(), "material_form": MaterialForm(),
        "now": timezone.now(),
        "new_link": request.session.pop(f"video.link.{session.pk}", None),
    }
    return render(request, "video/session.html", context)


@require_POST
@login_required
def session_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    if action not in workflow.TRANSITIONS:
        raise Http404
    try:
        services.session_transition(actor=request.user, session=session, action=action)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("video:session", pk=pk)
    if action == "take":
        return redirect("video:call", pk=pk)
    return redirect("video:session", pk=pk)


@never_cache
@login_required
def call(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    participant = services.participant_for(session=session, user=request.user)
    if participant is None:
        messages.error(request, _("You cannot join this consultation."))
        return redirect("video:session", pk=pk)
    context = _call_context(session, ws=f"/ws/video/{session.room}/", participant=participant)
    context.update({"note_form": NoteForm(), "can_note": services._may_write_notes(request.user, session),
                    "notes": session.notes.select_related("author"), "staff": True,
                    "can_end": services._may_transition(request.user, session, "end")
                    and workflow.target("end", session.status) is not None})
    return render(request, "video/call.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def guest_join(request: HttpRequest, token: str) -> HttpResponse:
    """The invited visitor's page: no account, only this room, only until the link expires."""
    invitation = services.invitation_from_token(token)
    user = request.user if request.user.is_authenticated else None
    participant = (services.participant_for(session=invitation.session, user=user, invitation=invitation)
                   if invitation else None)
    if participant is None:
        audit_record(actor=user, action="video.session.join", result="denied",
                     object_type="video.videosession", object_id=str(invitation.session_id) if invitation else "",
                     extra={"reason": "invitation_invalid", "page": True})
        return render(request, "video/guest_refused.html", status=403)
    session = invitation.session
    if request.method == "POST" and request.POST.get("consent") == "yes":
        try:
            services.consent_give(session=session, user=participant.user, invitation=invitation)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("video:join", token=token)
    context = _call_context(session, ws=f"/ws/video/{session.room}/?t={token}", participant=participant,
                            token=token)
    context["consented"] = session.consents.filter(invitation=invitation).exists()
    return render(request, "video/guest.html", context)


@require_POST
@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            _invitation, token = services.invitation_create(actor=request.user, session=session,
                                                            kind=form.cleaned_data["kind"],
                                                            name=form.cleaned_data["name"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            request.session[f"video.link.{session.pk}"] = request.build_absolute_uri(
                reverse("video:join", kwargs={"token": token}))
    else:
        messages.error(request, _("Enter the name of the person invited."))
    return redirect("video:session", pk=pk)


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    invitation = session.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("video:session", pk=pk)


@require_POST
@login_required
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.user, session=session, text=form.cleaned_data["text"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Write the note first."))
    if request.headers.get("HX-Request"):
        return render(request, "video/_notes.html", {"notes": session.notes.select_related("author"),
                                                     "session": session, "note_form": NoteForm(), "can_note": True})
    return redirect(request.POST.get("back") == "call" and "video:call" or "video:session", pk=pk)


@require_POST
@login_required
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(actor=request.user, session=session, upload=form.cleaned_data["file"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The document is kept with the consultation."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("video:session", pk=pk)


@never_cache
@login_required
def material_download(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    session = access_session(user=request.user, id=pk)
    material = SharedMaterial.objects.filter(session=session, pk=material_id).first()
    if material is None:
        raise Http404
    audit_record(actor=request.user, action="video.material.download", obj=session, extra={"material": material.pk})
    response = FileResponse(material.file.open("rb"), content_type=material.content_type, as_attachment=True,
                            filename=material.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@require_capability(Capability.AID_INTAKE)
def to_application(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the consultation into a legal aid application: the intake form pre-filled, checked by staff."""
    session = access_session(user=request.user, id=pk)
    if session.application_id:
        messages.info(request, _("This consultation was already turned into an application."))
        return redirect("video:session", pk=pk)
    form = LegalAidReferralForm(request.POST or None, initial=services.legal_aid_prefill(session), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applicant = {"name": data["applicant_name"], "phone": data["applicant_phone"],
                     "id_number": data["applicant_id_number"]}
        details = {name: data[name] for name in ("matter", "matter_subtype", "category", "aid_form", "stage",
                                                 "cause", "facts")}
        try:
            application = services.session_to_application(actor=request.user, session=session,
                                                          centre=data["centre"], applicant=applicant, details=details)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Legal aid application %(number)s was registered from this consultation.")
                             % {"number": application.number})
            return redirect("video:session", pk=pk)
    return render(request, "video/to_application.html", {"session": session, "form": form},
                  status=400 if form.is_bound and form.errors else 200)


@never_cache
@require_capability(Capability.VIDEO_MANAGE)
def utilisation(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = UtilisationForm(request.GET or None)
    start, end = today - dt.timedelta(days=180), today
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    if end < start:
        start, end = end, start
    figures = selectors.utilisation(user=request.user, start=start, end=end)
    return render(request, "video/utilisation.html", {"form": form, "figures": figures})

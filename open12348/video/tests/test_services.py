"""Services of video consultation: who may do what, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.notifications.models import Notification
from open12348.video import services
from open12348.video.models import Invitation, Note, SharedMaterial, VideoSession, VideoSessionEvent

from .conftest import request_now

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_asking_now_puts_the_visitor_in_the_county_centres_queue(world):
    session = request_now(world)
    assert session.status == "waiting" and session.waiting_since is not None
    assert session.region == world["weidong_township"] and session.number.startswith("SP")
    assert session.visitor_phone == "13803751234"
    assert VideoSession.objects.filter(visitor_phone="13803751234").count() == 0  # encrypted at rest
    audit = AuditEvent.objects.get(action="video.session.request")
    assert "13803751234" not in str(audit.extra) and audit.extra["visitor_phone"] != ""


def test_a_booked_slot_waits_until_the_visitor_is_there(world):
    when = timezone.now() + dt.timedelta(days=1)
    session = request_now(world, mode="scheduled", scheduled_at=when)
    assert session.status == "requested" and session.waiting_since is None
    services.session_transition(actor=world["station"], session=session, action="queue")
    session.refresh_from_db()
    assert session.status == "waiting" and session.waiting_since is not None


def test_a_booking_needs_a_future_time(world):
    with pytest.raises(ApplicationError) as exc:
        request_now(world, mode="scheduled", scheduled_at=timezone.now() - dt.timedelta(hours=1))
    assert exc.value.field == "scheduled_at"
    assert not VideoSession.objects.exists()


def test_only_a_centre_above_the_township_serves_it(world):
    for centre in (world["other_centre"], world["firm"]):
        with pytest.raises(ApplicationError) as exc:
            request_now(world, serving_point=centre)
        assert exc.value.code == "serving_point_invalid"
    assert request_now(world, serving_point=world["city_centre"]).serving_point == world["city_centre"]


@pytest.mark.parametrize("who", ["reviewer", "outsider", "lawyer", "admin"])
def test_only_staff_of_the_township_office_ask(world, who):
    with pytest.raises(ApplicationError) as exc:
        request_now(world, actor=world[who])
    assert exc.value.status == 403
    assert not VideoSession.objects.exists() and not AuditEvent.objects.filter(action="video.session.request").exists()


def test_taking_and_ending_record_wait_and_duration(world):
    start = timezone.now()
    session = request_now(world, now=start)
    services.session_transition(actor=world["reviewer"], session=session, action="take",
                                now=start + dt.timedelta(minutes=7))
    services.session_transition(actor=world["reviewer"], session=session, action="end",
                                now=start + dt.timedelta(minutes=37))
    session.refresh_from_db()
    assert (session.status, session.served_by, session.waiting_seconds, session.duration_seconds) == (
        "ended", world["reviewer"], 420, 1800)
    assert list(session.events.values_list("kind", flat=True)) == ["requested", "take", "end"]


@pytest.mark.parametrize(("who", "action"), [("station", "take"), ("outsider", "take"), ("lawyer", "take"),
                                             ("outsider", "cancel"), ("reviewer", "queue"), ("admin", "take")])
def test_refused_transitions_change_nothing(world, who, action):
    session = request_now(world)
    before = (session.status, session.version, VideoSessionEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as exc:
        services.session_transition(actor=world[who], session=session, action=action)
    assert exc.value.status == 403
    session.refresh_from_db()
    assert (session.status, session.version, VideoSessionEvent.objects.count(), AuditEvent.objects.count()) == before


def test_a_transition_the_table_does_not_allow_is_a_conflict(world):
    session = request_now(world)
    with pytest.raises(ApplicationError) as exc:
        services.session_transition(actor=world["reviewer"], session=session, action="end")
    assert exc.value.status == 409
    assert VideoSession.objects.get().status == "waiting"


def test_invitation_tokens_name_one_room_until_expiry(world):
    session = request_now(world)
    now = timezone.now()
    invitation, token = services.invitation_create(actor=world["station"], session=session, kind="visitor",
                                                   name="李大爷", now=now)
    assert invitation.expires_at == now + dt.timedelta(hours=services.DEFAULT_INVITATION_HOURS)
    assert services.invitation_from_token(token) == invitation
    assert services.invitation_from_token(token + "x") is None
    assert services.invitation_from_token("") is None
    assert services.participant_for(session=session, invitation=invitation).side == "invited"
    other = request_now(world, visitor_name="张三")
    assert services.participant_for(session=other, invitation=invitation) is None
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=now - dt.timedelta(seconds=1))
    assert services.invitation_from_token(token) is None


def test_ending_revokes_the_invitations(world):
    session = request_now(world)
    invitation, token = services.invitation_create(actor=world["station"], session=session, kind="visitor",
                                                   name="李大爷")
    services.session_transition(actor=world["reviewer"], session=session, action="take")
    services.session_transition(actor=world["reviewer"], session=session, action="end")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and services.invitation_from_token(token) is None


def test_an_outsider_cannot_invite(world):
    session = request_now(world)
    with pytest.raises(ApplicationError):
        services.invitation_create(actor=world["outsider"], session=session, kind="visitor", name="某人")
    assert not Invitation.objects.exists()


def test_a_second_lawyer_joins_a_joint_consultation_by_invitation(world):
    session = request_now(world)
    assert services.participant_for(session=session, user=world["lawyer"]) is None
    services.invitation_create(actor=world["reviewer"], session=session, kind="lawyer", name="",
                               user=world["lawyer"])
    participant = services.participant_for(session=session, user=world["lawyer"])
    assert participant.side == "invited" and participant.name == "王律师"
    services.note_add(actor=world["lawyer"], session=session, text="建议先协商，再起诉。")
    assert Note.objects.get().text == "建议先协商，再起诉。"


def test_only_the_serving_side_writes_notes(world):
    session = request_now(world)
    for who in ("station", "outsider"):
        with pytest.raises(ApplicationError):
            services.note_add(actor=world[who], session=session, text="不该写")
    assert not Note.objects.exists()
    services.note_add(actor=world["reviewer"], session=session, text="询问了赡养情况。")
    assert session.notes.count() == 1


def test_materials_are_checked_by_their_bytes(world):
    session = request_now(world)
    with pytest.raises(ApplicationError) as exc:
        services.material_add(actor=world["station"], session=session,
                              upload=SimpleUploadedFile("合同.pdf", b"MZ not a pdf at all"))
    assert exc.value.field == "file" and not SharedMaterial.objects.exists()
    row = services.material_add(actor=world["station"], session=session,
                                upload=SimpleUploadedFile("../工资条.png", PNG))
    assert (row.original_name, row.content_type) == ("工资条.png", "image/png")
    with pytest.raises(ApplicationError):
        services.material_add(actor=world["station"], session=session, upload=SimpleUploadedFile("b.png", PNG))
    with pytest.raises(ApplicationError):
        services.material_add(actor=world["outsider"], session=session, upload=SimpleUploadedFile("c.png", PNG + b"1"))
    assert SharedMaterial.objects.count() == 1


def test_recording_needs_the_site_and_everyone_present(world, settings):
    session = request_now(world, recording_requested=True)
    assert not session.recording_requested  # the site does not enable recording
    with pytest.raises(ApplicationError):
        services.consent_give(session=session, user=world["station"])
    settings.VIDEO_RECORDING_ENABLED = True
    session = request_now(world, recording_requested=True)
    invitation, _token = services.invitation_create(actor=world["station"], session=session, kind="visitor",
                                                    name="李大爷")
    services.attendance_join(room=session.room, user=world["station"], peer="a" * 16)
    services.attendance_join(room=session.room, token=_token, peer="b" * 16)
    services.consent_give(session=session, user=world["station"])
    assert not services.recording_allowed(session)
    services.consent_give(session=session, invitation=invitation)
    assert services.recording_allowed(session)
    with pytest.raises(ApplicationError):
        services.consent_give(session=session, user=world["outsider"])


def test_stale_connections_stop_counting_as_present(world):
    session = request_now(world)
    then = timezone.now() - dt.timedelta(minutes=10)
    services.attendance_join(room=session.room, user=world["station"], peer="a" * 16, now=then)
    assert services.present_peers(room=session.room) == []
    services.attendance_join(room=session.room, user=world["reviewer"], peer="b" * 16)
    stale = session.attendance.get(peer="a" * 16)
    assert stale.left_at == then and stale.duration_seconds == 0
    assert [p["name"] for p in services.present_peers(room=session.room)] == ["孙建国"]


def test_the_serving_centre_is_told_without_personal_data(world):
    session = request_now(world)
    notices = {n.recipient.username: n for n in
               Notification.objects
               .filter(kind="video.session.requested").select_related("recipient")}
    assert set(notices) == {"reviewer", "director"}
    assert "李大爷" not in notices["reviewer"].title and "13803751234" not in notices["reviewer"].title
    assert notices["reviewer"].object_id == str(session.pk)

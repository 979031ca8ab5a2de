"""The signalling consumer, driven by channels' WebsocketCommunicator through the project's router
and Channels' auth middleware with a real session cookie."""

from __future__ import annotations

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from django.conf import settings
from django.test import Client
from django.utils import timezone

from config.routing import websocket_urlpatterns
from open12348.audit.models import AuditEvent
from open12348.video import services
from open12348.video.models import Attendance, VideoSessionEvent

from .communicator import WebsocketCommunicator
from .conftest import make_world, request_now

pytestmark = pytest.mark.django_db(transaction=True)

APP = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def communicator(room: str, *, user: str | None = None, token: str = "") -> WebsocketCommunicator:
    """`user` is the session cookie (cookie_for), made before the event loop starts."""
    headers = [(b"origin", b"http://127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", user.encode()))
    path = f"/ws/video/{room}/" + (f"?t={token}" if token else "")
    return WebsocketCommunicator(APP, path, headers=headers)


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


@pytest.fixture
def world_tx(transactional_db):
    world = make_world()
    world["cookie"] = {name: cookie_for(world[name]) for name in ("station", "reviewer", "outsider", "lawyer")}
    return world


def test_join_offer_answer_candidate_and_leave_are_relayed(world_tx):
    world = world_tx
    session = request_now(world)
    services.session_transition(actor=world["reviewer"], session=session, action="take")

    async def scenario():
        station = communicator(session.room, user=world["cookie"]["station"])
        assert (await station.connect())[0]
        await station.send_json_to({"type": "join"})
        peers = await station.receive_json_from()
        assert peers["type"] == "peers" and peers["peers"] == []
        station_id = peers["you"]

        lawyer = communicator(session.room, user=world["cookie"]["reviewer"])
        assert (await lawyer.connect())[0]
        await lawyer.send_json_to({"type": "join"})
        peers = await lawyer.receive_json_from()
        lawyer_id = peers["you"]
        assert [p["id"] for p in peers["peers"]] == [station_id]
        assert peers["peers"][0]["name"] == "韩梅" and peers["peers"][0]["side"] == "requesting"
        joined = await station.receive_json_from()
        assert joined == {"type": "joined", "peer": {"id": lawyer_id, "name": "孙建国", "side": "serving"}}

        # The one already in the room offers to the newcomer; "from" is set by the server.
        await station.send_json_to({"type": "offer", "to": lawyer_id, "from": "forged",
                                    "sdp": {"type": "offer", "sdp": "v=0 offer"}})
        assert await lawyer.receive_json_from() == {"type": "offer", "from": station_id,
                                                    "sdp": {"type": "offer", "sdp": "v=0 offer"}}
        await lawyer.send_json_to({"type": "answer", "to": station_id, "sdp": {"type": "answer", "sdp": "v=0 ans"}})
        assert await station.receive_json_from() == {"type": "answer", "from": lawyer_id,
                                                     "sdp": {"type": "answer", "sdp": "v=0 ans"}}
        candidate = {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0", "sdpMLineIndex": 0}
        await lawyer.send_json_to({"type": "candidate", "to": station_id, "candidate": candidate})
        assert await station.receive_json_from() == {"type": "candidate", "from": lawyer_id, "candidate": candidate}
        # Nothing echoes back to the sender.
        assert await lawyer.receive_nothing(timeout=0.2)

        await lawyer.send_json_to({"type": "leave"})
        assert await station.receive_json_from() == {"type": "leave", "peer": lawyer_id}
        await station.disconnect()
        await lawyer.disconnect()

    run(scenario)
    rows = list(Attendance.objects.filter(session=session).order_by("joined_at"))
    assert [r.display_name for r in rows] == ["韩梅", "孙建国"]
    assert all(r.left_at is not None and r.duration_seconds is not None for r in rows)
    assert AuditEvent.objects.filter(action="video.session.join", result="success").count() == 2
    assert AuditEvent.objects.filter(action="video.session.leave").count() == 2


def test_messages_to_a_peer_reach_only_that_peer(world_tx):
    world = world_tx
    session = request_now(world)
    invitation, token = services.invitation_create(actor=world["station"], session=session, kind="visitor",
                                                   name="李大爷")

    async def scenario():
        a = communicator(session.room, user=world["cookie"]["station"])
        b = communicator(session.room, user=world["cookie"]["reviewer"])
        c = communicator(session.room, token=token)
        ids = []
        for comm in (a, b, c):
            assert (await comm.connect())[0]
            await comm.send_json_to({"type": "join"})
            ids.append((await comm.receive_json_from())["you"])
        while not await a.receive_nothing(timeout=0.1):
            await a.receive_json_from()
        while not await b.receive_nothing(timeout=0.1):
            await b.receive_json_from()
        await a.send_json_to({"type": "offer", "to": ids[2], "sdp": {"type": "offer", "sdp": "x"}})
        assert (await c.receive_json_from())["from"] == ids[0]
        assert await b.receive_nothing(timeout=0.2)
        for comm in (a, b, c):
            await comm.disconnect()

    run(scenario)
    assert Attendance.objects.get(invitation=invitation).side == "invited"


def _refused(room: str, **kwargs):
    async def scenario():
        comm = communicator(room, **kwargs)
        connected, _ = await comm.connect()
        assert connected
        output = await comm.receive_output()
        await comm.wait()
        return output

    return run(scenario)


def test_outsider_is_refused_with_4403_audited_and_nothing_written(world_tx):
    world = world_tx
    session = request_now(world)
    events_before = VideoSessionEvent.objects.count()
    output = _refused(session.room, user=world["cookie"]["outsider"])
    assert output == {"type": "websocket.close", "code": 4403}
    assert not Attendance.objects.exists()
    assert VideoSessionEvent.objects.count() == events_before
    denied = AuditEvent.objects.get(action="video.session.join", result="denied")
    assert denied.actor_id == world["outsider"].pk and denied.extra["reason"] == "not_invited"


@pytest.mark.parametrize("case", ["anonymous", "forged", "expired", "revoked", "other_room", "ended"])
def test_invitations_that_do_not_hold_are_refused(world_tx, case):
    world = world_tx
    session = request_now(world)
    other = request_now(world, visitor_name="张三")
    invitation, token = services.invitation_create(actor=world["station"], session=session, kind="visitor",
                                                   name="李大爷")
    room = session.room
    if case == "anonymous":
        token = ""
    elif case == "forged":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif case == "expired":
        invitation.expires_at = timezone.now() - dt.timedelta(minutes=1)
        invitation.save()
    elif case == "revoked":
        services.invitation_revoke(actor=world["station"], invitation=invitation)
    elif case == "other_room":
        room = other.room
    elif case == "ended":
        services.session_transition(actor=world["reviewer"], session=session, action="cancel")
    assert _refused(room, token=token) == {"type": "websocket.close", "code": 4403}
    assert not Attendance.objects.exists()
    assert AuditEvent.objects.filter(action="video.session.join", result="denied").count() == 1


def test_unknown_room_is_refused(world_tx):
    assert _refused("0" * 32, user=world_tx["cookie"]["station"]) == {"type": "websocket.close", "code": 4403}


def test_room_is_full_after_the_limit(world_tx, settings):
    settings.VIDEO_MAX_PARTICIPANTS = 1
    world = world_tx
    session = request_now(world)

    async def scenario():
        first = communicator(session.room, user=world["cookie"]["station"])
        assert (await first.connect())[0]
        second = communicator(session.room, user=world["cookie"]["reviewer"])
        await second.connect()
        output = await second.receive_output()
        await first.disconnect()
        return output

    assert run(scenario) == {"type": "websocket.close", "code": 4403}
    assert AuditEvent.objects.get(action="video.session.join", result="denied").extra["reason"] == "room_full"


def test_ending_the_consultation_tells_the_room_and_closes_it(world_tx):
    world = world_tx
    session = request_now(world)
    services.session_transition(actor=world["reviewer"], session=session, action="take")

    async def scenario():
        station = communicator(session.room, user=world["cookie"]["station"])
        assert (await station.connect())[0]
        await station.send_json_to({"type": "join"})
        await station.receive_json_from()
        from channels.db import database_sync_to_async

        await database_sync_to_async(services.session_transition)(actor=world["reviewer"], session=session,
                                                                  action="end")
        assert await station.receive_json_from() == {"type": "ended"}
        assert (await station.receive_output())["code"] == 4000

    run(scenario)
    assert Attendance.objects.get().left_at is not None


def test_garbage_and_oversized_messages_are_dropped(world_tx):
    world = world_tx
    session = request_now(world)

    async def scenario():
        station = communicator(session.room, user=world["cookie"]["station"])
        assert (await station.connect())[0]
        await station.send_to(text_data="not json")
        assert await station.receive_json_from() == {"type": "error", "error": "not_json"}
        await station.send_to(text_data='{"type": "offer", "sdp": "' + "x" * 70_000 + '"}')
        assert await station.receive_nothing(timeout=0.2)
        await station.send_json_to({"type": "nonsense"})
        assert await station.receive_json_from() == {"type": "error", "error": "unknown_message"}
        await station.send_json_to({"type": "offer", "to": "someone", "sdp": {"type": "offer", "sdp": "x"}})
        assert await station.receive_nothing(timeout=0.2)  # not joined yet: nothing is relayed
        await station.send_json_to({"type": "ping"})
        assert await station.receive_json_from() == {"type": "pong"}
        await station.disconnect()

    run(scenario)

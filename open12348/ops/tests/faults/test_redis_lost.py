"""Redis, the channel layer of the video rooms, is lost under two connected participants.

The signalling sockets run through the project's router and Channels' auth middleware on a real
channels_redis layer backed by a private Redis. When that Redis is killed (everything it held is
lost, as in a crash) both sockets are closed with code 4503, which the browser (`video/call.js`)
answers by reconnecting with backoff; neither stays "present" as a ghost that would fill the room.
When Redis is back the two reconnect, join, find each other from the database and can signal again.
"""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync

from open12348.video import services
from open12348.video.consumers import UNAVAILABLE
from open12348.video.models import Attendance
from open12348.video.tests.conftest import make_world, request_now
from open12348.video.tests.test_consumer import communicator, cookie_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.fault, pytest.mark.slow]


@pytest.fixture
def redis_layer(private_redis, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [private_redis.url]}}}
    return private_redis


async def join(room: str, cookie: str):
    socket = communicator(room, user=cookie)
    connected, _ = await socket.connect(timeout=5)
    assert connected
    await socket.send_json_to({"type": "join"})
    peers = await socket.receive_json_from(timeout=5)
    assert peers["type"] == "peers"
    return socket, peers


async def closed_code(socket, *, timeout: float) -> int:
    """Wait for the server to close the socket, skipping any message sent before that."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        assert left > 0, "the socket was not closed after Redis was lost"
        output = await socket.receive_output(timeout=left)
        if output["type"] == "websocket.close":
            return output.get("code")


def test_both_participants_are_closed_cleanly_and_find_each_other_again(redis_layer):
    world = make_world()
    session = request_now(world)
    services.session_transition(actor=world["reviewer"], session=session, action="take")
    station_cookie, lawyer_cookie = cookie_for(world["station"]), cookie_for(world["reviewer"])

    async def before_the_loss():
        station, _ = await join(session.room, station_cookie)
        lawyer, peers = await join(session.room, lawyer_cookie)
        assert [p["name"] for p in peers["peers"]] == ["韩梅"]
        assert (await station.receive_json_from(timeout=5))["type"] == "joined"
        redis_layer.kill()
        # Both sockets fail over: the one waiting on the layer first, the other when its own turn to
        # read from the layer (or its next ping) meets the dead connection.
        await lawyer.send_json_to({"type": "ping"})
        codes = [await closed_code(station, timeout=15), await closed_code(lawyer, timeout=15)]
        await station.wait(timeout=5)
        await lawyer.wait(timeout=5)
        return codes

    assert async_to_sync(before_the_loss)() == [UNAVAILABLE, UNAVAILABLE]
    # Nobody is left present: a ghost would count towards the room's limit and appear as a peer.
    assert not Attendance.objects.filter(session=session, left_at__isnull=True).exists()
    assert services.present_peers(room=session.room) == []

    redis_layer.start()  # empty, as after a crash

    async def after_the_restart():
        station, peers = await join(session.room, station_cookie)
        assert peers["peers"] == []
        lawyer, peers = await join(session.room, lawyer_cookie)
        assert [p["name"] for p in peers["peers"]] == ["韩梅"]
        joined = await station.receive_json_from(timeout=5)
        assert joined["type"] == "joined" and joined["peer"]["name"] == "孙建国"
        # Signalling flows again through the new Redis.
        await station.send_json_to({"type": "offer", "to": peers["you"], "sdp": {"type": "offer", "sdp": "v=0"}})
        offer = await lawyer.receive_json_from(timeout=5)
        assert offer["type"] == "offer" and offer["sdp"]["sdp"] == "v=0"
        await station.disconnect()
        await lawyer.disconnect()

    async_to_sync(after_the_restart)()
    assert Attendance.objects.filter(session=session).count() == 4
    assert not Attendance.objects.filter(session=session, left_at__isnull=True).exists()

"""The signalling of a video room: JSON messages over a WebSocket at /ws/video/<room>/.

The server never touches the media: browsers connect to each other (a mesh, RTCPeerConnection per
pair); this consumer only lets people in and relays their session descriptions and ICE candidates.

    client -> server                         server -> client
    {"type": "join"}                          {"type": "peers", "you": id, "peers": [{id, name, side}], "ice": [...]}
                                              to the others: {"type": "joined", "peer": {id, name, side}}
    {"type": "offer", "to": id, "sdp": ...}   to that peer: {"type": "offer", "from": id, "sdp": ...}
    {"type": "answer", "to": id, "sdp": ...}  to that peer: {"type": "answer", "from": id, "sdp": ...}
    {"type": "candidate", "to": id,           to that peer: {"type": "candidate", "from": id, "candidate": ...}
     "candidate": {...}}
    {"type": "ping"} (every 20 s)             {"type": "pong"}; keeps the attendance row present and the
                                              socket in its room's group (a Redis that restarted empty
                                              has forgotten every group)
    {"type": "leave"}                         to the others: {"type": "leave", "peer": id}; the socket closes
                                              {"type": "ended"} when the consultation is ended or cancelled

Who may connect: staff of the two points (signed in), and holders of a valid invitation (signed
in for a staff invitation, or the link's token `?t=` for a visitor). Anyone else is refused with
close code 4403 and the refusal is audited. "from" is always set by the server.

When the channel layer (Redis) is lost, every socket of the room is closed with code 4503
(signalling unavailable) after its attendance row is closed, so nobody is left "present" as a ghost;
the browser reconnects with backoff and, once Redis is back, joins again and gets the room's peers
from the database.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from redis.exceptions import RedisError

from . import services

logger = logging.getLogger(__name__)

REFUSED = 4403
UNAVAILABLE = 4503  # the channel layer is down: the browser retries
LAYER_ERRORS = (RedisError, OSError)
RELAYED = frozenset({"offer", "answer", "candidate"})
MAX_SDP = 30_000
MAX_CANDIDATE = 2_000
MAX_MESSAGE = 64_000


class SignallingConsumer(AsyncJsonWebsocketConsumer):
    room: str = ""
    peer: str = ""
    joined: bool = False
    admitted: bool = False

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except LAYER_ERRORS as exc:
            logger.warning("video room %s: channel layer lost (%s); closing the socket", self.room, exc)
            if self.admitted:
                self.admitted = False
                await database_sync_to_async(services.attendance_leave)(peer=self.peer)
            await self.base_send({"type": "websocket.close", "code": UNAVAILABLE})

    async def connect(self) -> None:
        self.room = str(self.scope["url_route"]["kwargs"]["room"])
        self.peer = secrets.token_hex(8)
        query = parse_qs((self.scope.get("query_string") or b"").decode("latin-1"))
        token = (query.get("t") or [""])[0]
        user = self.scope.get("user")
        attendance = await database_sync_to_async(services.attendance_join)(
            room=self.room, user=user, token=token, peer=self.peer)
        await self.accept()
        if attendance is None:
            await self.close(code=REFUSED)
            return
        self.admitted = True
        self.name, self.side = attendance.display_name, attendance.side
        await self.channel_layer.group_add(services.group_name(self.room), self.channel_name)

    async def disconnect(self, code) -> None:
        await self._leave()

    async def _leave(self) -> None:
        if not self.admitted:
            return
        self.admitted = False
        await self.channel_layer.group_discard(services.group_name(self.room), self.channel_name)
        await database_sync_to_async(services.attendance_leave)(peer=self.peer)
        if self.joined:
            await self._broadcast({"type": "leave", "peer": self.peer})

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if not self.admitted or text_data is None or len(text_data) > MAX_MESSAGE:
            return
        try:
            await super().receive(text_data=text_data, **kwargs)
        except ValueError:  # not JSON
            await self.send_json({"type": "error", "error": "not_json"})

    async def receive_json(self, content, **kwargs) -> None:
        if not self.admitted or not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "join":
            await self._join()
        elif kind in RELAYED:
            if self.joined:  # before "join" there is nobody to talk to
                await self._relay(kind, content)
        elif kind == "leave":
            await self._leave()
            await self.close()
        elif kind == "ping":
            await database_sync_to_async(services.attendance_seen)(peer=self.peer)
            await self.channel_layer.group_add(services.group_name(self.room), self.channel_name)
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "error": "unknown_message"})

    async def _join(self) -> None:
        peers = await database_sync_to_async(services.present_peers)(room=self.room, exclude=self.peer)
        self.joined = True
        await self.send_json({"type": "peers", "you": self.peer, "peers": peers, "ice": services.ice_servers()})
        await self._broadcast({"type": "joined", "peer": {"id": self.peer, "name": self.name, "side": self.side}})

    async def _relay(self, kind: str, content: dict) -> None:
        to = content.get("to")
        if not isinstance(to, str) or not to or to == self.peer:
            return
        message: dict = {"type": kind, "from": self.peer}
        if kind in ("offer", "answer"):
            sdp = content.get("sdp")
            if not isinstance(sdp, dict) or len(str(sdp.get("sdp", ""))) > MAX_SDP:
                return
            message["sdp"] = {"type": str(sdp.get("type", ""))[:10], "sdp": str(sdp.get("sdp", ""))}
        else:
            candidate = content.get("candidate")
            if candidate is not None and (not isinstance(candidate, dict) or len(str(candidate)) > MAX_CANDIDATE):
                return
            message["candidate"] = candidate
        await self.channel_layer.group_send(services.group_name(self.room),
                                            {"type": "room.event", "message": message, "to": to})

    async def _broadcast(self, message: dict) -> None:
        await self.channel_layer.group_send(services.group_name(self.room),
                                            {"type": "room.event", "message": message, "exclude": self.peer})

    async def room_event(self, event: dict) -> None:
        """A message for the room's members; each consumer keeps only what is addressed to it."""
        if not self.admitted:
            return
        if event.get("to") and event["to"] != self.peer:
            return
        if event.get("exclude") == self.peer:
            return
        message = event["message"]
        await self.send_json(message)
        if message.get("type") == "ended":
            await self._leave()
            await self.close(code=4000)

"""Two Chromium pages with fake camera and microphone meet in one room through the platform's
signalling and each receives the other's video; a third page without an invitation is refused; a
page that loses its WebSocket comes back and the call resumes."""

from __future__ import annotations

import pytest

from open12348.audit.models import AuditEvent
from open12348.video import services
from open12348.video.models import Attendance
from open12348.video.tests.conftest import make_world, request_now

# Static files come from WhiteNoise's synchronous iterator; Django warns under ASGI.
pytestmark = pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")

# The remote tiles' state: a live video track that is actually decoding frames.
REMOTES = """() => Array.from(document.querySelectorAll('#video-remotes video.remote')).map(v => ({
    peer: v.closest('[data-peer]').dataset.peer,
    state: v.closest('[data-peer]').dataset.state || '',
    live: !!(v.srcObject && v.srcObject.getVideoTracks().some(t => t.readyState === 'live')),
    audio: !!(v.srcObject && v.srcObject.getAudioTracks().length),
    width: v.videoWidth,
}))"""
SEES_ONE_PEER = """() => {
    const vs = Array.from(document.querySelectorAll('#video-remotes video.remote'));
    return vs.length === 1 && vs[0].srcObject && vs[0].videoWidth > 0
        && vs[0].srcObject.getVideoTracks().some(t => t.readyState === 'live')
        && vs[0].closest('[data-peer]').dataset.state === 'connected';
}"""
OPEN_SOCKET = """(url) => new Promise(resolve => {
    const ws = new WebSocket(url);
    ws.onclose = event => resolve({code: event.code});
    setTimeout(() => resolve({code: 'timeout'}), 10000);
})"""


@pytest.fixture
def world(transactional_db):
    return make_world()


def _join(page, url: str) -> None:
    page.goto(url)
    page.locator("#video-start").click()


def test_two_pages_see_each_other_a_third_is_refused_and_a_lost_socket_resumes(world, page_as, asgi_url, shot):
    session = request_now(world)
    services.session_transition(actor=world["reviewer"], session=session, action="take")
    station = page_as(world["station"])
    lawyer = page_as(world["reviewer"])

    _join(station, f"{asgi_url}/video/{session.pk}/call/")
    station.wait_for_function("() => document.getElementById('video-call').dataset.status === 'waiting'")
    _join(lawyer, f"{asgi_url}/video/{session.pk}/call/")

    # Each side receives the other's media: a live video track with real frames.
    station.wait_for_function(SEES_ONE_PEER)
    lawyer.wait_for_function(SEES_ONE_PEER)
    for page in (station, lawyer):
        [remote] = page.evaluate(REMOTES)
        assert remote["live"] and remote["audio"] and remote["width"] > 0
    shot(station, "station-in-call")
    station_id = station.evaluate("() => window.open12348Video.you")
    lawyer_id = lawyer.evaluate("() => window.open12348Video.you")
    assert station.evaluate(REMOTES)[0]["peer"] == lawyer_id
    assert lawyer.evaluate(REMOTES)[0]["peer"] == station_id

    # A third page without an invitation: the outsider's socket is refused with 4403 ...
    outsider = page_as(world["outsider"])
    outsider.goto(f"{asgi_url}/video/")
    ws_url = asgi_url.replace("http://", "ws://") + f"/ws/video/{session.room}/"
    assert outsider.evaluate(OPEN_SOCKET, ws_url) == {"code": 4403}
    # ... and so is an anonymous visitor whose invitation was withdrawn (the page and the socket).
    invitation, token = services.invitation_create(actor=world["station"], session=session, kind="visitor",
                                                   name="李大爷")
    services.invitation_revoke(actor=world["station"], invitation=invitation)
    visitor = page_as(None)
    response = visitor.goto(f"{asgi_url}/video/j/{token}/")
    assert response.status == 403
    assert visitor.evaluate(OPEN_SOCKET, ws_url + f"?t={token}") == {"code": 4403}
    assert AuditEvent.objects.filter(action="video.session.join", result="denied").count() >= 2
    assert len(station.evaluate(REMOTES)) == 1 and len(lawyer.evaluate(REMOTES)) == 1

    # The station's socket drops: it reconnects, joins again under a new id, the lawyer offers again.
    station.evaluate("() => window.open12348Video.dropSocket()")
    station.wait_for_function("(old) => window.open12348Video.joins === 2 && window.open12348Video.you !== old",
                              arg=station_id)
    station.wait_for_function(SEES_ONE_PEER)
    lawyer.wait_for_function(
        "(old) => { const p = Object.keys(window.open12348Video.peers); return p.length === 1 && p[0] !== old; }",
        arg=station_id)
    lawyer.wait_for_function(SEES_ONE_PEER)
    new_station_id = station.evaluate("() => window.open12348Video.you")
    assert new_station_id != station_id
    assert lawyer.evaluate(REMOTES)[0]["peer"] == new_station_id
    assert station.evaluate(REMOTES)[0]["width"] > 0

    # Leaving is recorded with its duration.
    station.locator("#video-leave").click()
    lawyer.wait_for_function("() => document.querySelectorAll('#video-remotes video.remote').length === 0")
    rows = Attendance.objects.filter(session=session)
    assert rows.filter(side="requesting").count() == 2  # before and after the reconnection
    assert rows.filter(side="requesting", left_at__isnull=True).count() == 0


def test_invited_visitor_joins_from_a_phone_without_an_account(world, page_as, asgi_url, shot, axe_check):
    session = request_now(world)
    services.session_transition(actor=world["reviewer"], session=session, action="take")
    _invitation, token = services.invitation_create(actor=world["station"], session=session, kind="visitor",
                                                    name="李大爷")
    lawyer = page_as(world["reviewer"])
    _join(lawyer, f"{asgi_url}/video/{session.pk}/call/")
    lawyer.wait_for_function("() => document.getElementById('video-call').dataset.status === 'waiting'")
    phone = page_as(None, viewport={"width": 390, "height": 844})
    _join(phone, f"{asgi_url}/video/j/{token}/")
    phone.wait_for_function(SEES_ONE_PEER)
    lawyer.wait_for_function(SEES_ONE_PEER)
    shot(phone, "visitor-phone")
    assert axe_check(phone) == []
    assert axe_check(lawyer, within="main") == []  # the console's own frame is not this app's
    assert Attendance.objects.get(session=session, side="invited").display_name == "李大爷"
    # The record the lawyer sees afterwards: attendance, invitations, timeline.
    services.note_add(actor=world["reviewer"], session=session, text="建议先调解。")
    record = page_as(world["reviewer"])
    record.goto(f"{asgi_url}/video/{session.pk}/")
    assert record.locator("table").first.locator("tbody tr").count() == 2
    shot(record, "record")
    request_now(world, visitor_name="张桂兰")
    record.goto(f"{asgi_url}/video/")
    assert record.locator("#video-queue [data-session]").count() == 1
    shot(record, "home")

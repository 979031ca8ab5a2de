"""Staff screens, the invited visitor's page and turning a consultation into an application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.legalaid.models import Application
from open12348.video import services
from open12348.video.models import Invitation, Note, VideoSession

from .conftest import request_now


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_station_asks_now_and_lands_on_the_call_page(client, world):
    signed_in(client, world["station"])
    form = client.get(reverse("video:request"))
    assert form.status_code == 200 and "卫东区法律援助中心" in form.content.decode()
    assert "新华区法律援助中心" not in form.content.decode()
    response = client.post(reverse("video:request"), {
        "requesting_point": world["office"].pk, "serving_point": world["centre"].pk, "mode": "on_demand",
        "visitor_name": "李大爷", "visitor_phone": "13803751234", "topic": "赡养费"})
    session = VideoSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("video:call", args=[session.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"/ws/video/{session.room}/" in page and "video/call.js" in page


def test_a_booking_without_a_time_shows_the_error_at_the_field(client, world):
    signed_in(client, world["station"])
    response = client.post(reverse("video:request"), {
        "requesting_point": world["office"].pk, "serving_point": world["centre"].pk, "mode": "scheduled",
        "visitor_name": "李大爷"})
    assert response.status_code == 400 and 'data-field="scheduled_at"' in response.content.decode()
    assert not VideoSession.objects.exists()


def test_the_centre_sees_its_queue_with_waiting_time_and_takes(client, world, django_assert_max_num_queries):
    for i in range(5):
        request_now(world, visitor_name=f"访客{i}", now=timezone.now() - dt.timedelta(minutes=12 - i))
    request_now(world, serving_point=world["city_centre"], visitor_name="别的中心")
    signed_in(client, world["reviewer"])
    client.get(reverse("video:home"))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("video:home")).content.decode()
    assert page.count("data-session=") == 5 and "别的中心" not in page.split('id="video-queue"')[1].split("</table>")[0]
    first = VideoSession.objects.filter(serving_point=world["centre"]).order_by("waiting_since").first()
    response = client.post(reverse("video:action", args=[first.pk, "take"]))
    assert response.status_code == 302 and response["Location"] == reverse("video:call", args=[first.pk])
    first.refresh_from_db()
    assert first.status == "in_progress" and first.served_by == world["reviewer"]


def test_an_outsider_gets_404_and_changes_nothing(client, world):
    session = request_now(world)
    signed_in(client, world["outsider"])
    for name in ("video:session", "video:call"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 404
    assert client.post(reverse("video:action", args=[session.pk, "take"])).status_code == 404
    assert client.post(reverse("video:note_add", args=[session.pk]), {"text": "x"}).status_code == 404
    session.refresh_from_db()
    assert session.status == "waiting" and not Note.objects.exists()


def test_the_station_cannot_take_its_own_request(client, world):
    session = request_now(world)
    signed_in(client, world["station"])
    client.post(reverse("video:action", args=[session.pk, "take"]))
    session.refresh_from_db()
    assert session.status == "waiting"


def test_an_invitation_link_is_shown_once_and_opens_the_guest_page(client, world):
    session = request_now(world)
    signed_in(client, world["station"])
    client.post(reverse("video:invite", args=[session.pk]), {"kind": "visitor", "name": "李大爷"})
    page = client.get(reverse("video:session", args=[session.pk])).content.decode()
    assert "/video/j/" in page
    link = page.split('id="video-new-link"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert "/video/j/" not in client.get(reverse("video:session", args=[session.pk])).content.decode()
    client.logout()
    guest = client.get(link.replace("http://testserver", ""))
    assert guest.status_code == 200 and f"/ws/video/{session.room}/?t=" in guest.content.decode()
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(link.replace("http://testserver", "")).status_code == 403
    assert client.get(reverse("video:join", args=["forged"])).status_code == 403


def test_the_detail_view_is_audited(client, world):
    session = request_now(world)
    signed_in(client, world["reviewer"])
    assert client.get(reverse("video:session", args=[session.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="video.session.view", object_id=str(session.pk)).exists()


def test_notes_from_the_call_page(client, world):
    session = request_now(world)
    signed_in(client, world["reviewer"])
    response = client.post(reverse("video:note_add", args=[session.pk]), {"text": "建议申请法律援助。"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "建议申请法律援助。" in response.content.decode()


def test_turning_the_consultation_into_an_application(client, world):
    session = request_now(world)
    services.session_transition(actor=world["reviewer"], session=session, action="take")
    services.note_add(actor=world["reviewer"], session=session, text="儿子三年未付赡养费。")
    signed_in(client, world["reviewer"])
    form = client.get(reverse("video:application", args=[session.pk])).content.decode()
    assert 'value="李大爷"' in form and "儿子三年未付赡养费。" in form
    response = client.post(reverse("video:application", args=[session.pk]), {
        "centre": world["centre"].pk, "applicant_name": "李大爷", "applicant_phone": "13803751234",
        "matter": "CV-04", "category": "civil", "aid_form": "civil_litigation", "stage": "not_started",
        "cause": "赡养费纠纷", "facts": "儿子三年未付赡养费。"})
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get()
    session.refresh_from_db()
    assert session.application == application and application.channel == "video"
    assert session.number in application.channel_detail
    again = client.post(reverse("video:application", args=[session.pk]), {"centre": world["centre"].pk})
    assert again.status_code == 302 and Application.objects.count() == 1


def test_the_use_page_lists_least_used_townships(client, world, django_assert_max_num_queries):
    from open12348.network.choices import InstitutionKind
    from open12348.network.tests.factories import InstitutionFactory

    quiet = InstitutionFactory(kind=InstitutionKind.JUDICIAL_OFFICE, name="中兴路街道司法所",
                               region=world["xinhua_township"])
    start = timezone.now() - dt.timedelta(days=3)
    for minutes in (10, 20):
        session = request_now(world, now=start)
        services.session_transition(actor=world["reviewer"], session=session, action="take",
                                    now=start + dt.timedelta(minutes=4))
        services.session_transition(actor=world["reviewer"], session=session, action="end",
                                    now=start + dt.timedelta(minutes=4 + minutes))
    signed_in(client, world["admin"])
    client.get(reverse("video:utilisation"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("video:utilisation"))
    page = response.content.decode()
    least = page.split('id="video-least"')[1].split("</table>")[0]
    assert least.index(quiet.name) < least.index("东安路街道司法所")
    requesting = page.split('id="video-requesting"')[1].split("</table>")[0]
    assert "<td>2</td>" in requesting and "<td>15.0</td>" in requesting and "<td>4.0</td>" in requesting


def test_the_use_page_needs_video_manage(client, world):
    signed_in(client, world["station"])
    assert client.get(reverse("video:utilisation")).status_code == 403


@pytest.mark.parametrize("who", ["station", "reviewer", "director", "admin", "lawyer"])
def test_the_home_page_for_each_role(client, world, who):
    request_now(world)
    signed_in(client, world[who])
    assert client.get(reverse("video:home")).status_code == 200


def test_the_queue_refreshes_on_its_own(client, world):
    request_now(world)
    signed_in(client, world["reviewer"])
    response = client.get(reverse("video:queue"))
    assert response.status_code == 200 and response.content.decode().count("data-session=") == 1
    signed_in(client, world["station"])
    assert client.get(reverse("video:queue")).status_code == 403

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.notifications import services
from open12348.notifications.models import Notification
from open12348.notifications.views import PAGE_SIZE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("open12348.notifications.tests.urls")]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _notify(user, title="Case assigned", url="/legal-aid/"):
    return services.notify(recipient=user, kind="case.assigned", title=title, body="", url=url)


def _shown_ids(response) -> set[int]:
    return {n.pk for n in response.context["rows"]}


def test_the_inbox_shows_only_the_users_own_notifications(lawyer, dispatcher):
    mine = _notify(lawyer, title="For the lawyer")
    theirs = _notify(dispatcher, title="For the dispatcher")

    response = login(lawyer).get(reverse("notifications:inbox"))

    assert response.status_code == 200
    assert _shown_ids(response) == {mine.pk}
    assert b"For the lawyer" in response.content
    assert b"For the dispatcher" not in response.content
    assert f'data-notification="{theirs.pk}"'.encode() not in response.content


def test_the_inbox_needs_sign_in(lawyer):
    _notify(lawyer)
    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_inbox_pages_and_filters_unread_in_a_fixed_number_of_queries(lawyer):
    client = login(lawyer)
    _notify(lawyer, title="Notice 0")
    client.get(reverse("notifications:inbox"))  # the session's first request writes it; measure the next
    with_one = _queries(client, reverse("notifications:inbox"))
    for i in range(1, PAGE_SIZE + 5):
        _notify(lawyer, title=f"Notice {i}")
    Notification.objects.filter(title="Notice 0").update(read_at="2025-10-09T08:00:00Z")

    assert _queries(client, reverse("notifications:inbox")) == with_one
    first = client.get(reverse("notifications:inbox"))
    second = client.get(reverse("notifications:inbox"), {"page": 2})
    unread = client.get(reverse("notifications:inbox"), {"unread": "1", "page": 2})

    assert len(first.context["rows"]) == PAGE_SIZE
    assert len(second.context["rows"]) == 5
    assert len(unread.context["rows"]) == 4
    assert "Notice 0" not in {n.title for n in unread.context["rows"]}
    assert first.context["unread_count"] == PAGE_SIZE + 4


def test_mark_read_marks_the_users_own_notification(lawyer):
    notification = _notify(lawyer)

    response = login(lawyer).post(reverse("notifications:mark_read", args=[notification.pk]),
                                  {"next": reverse("notifications:inbox") + "?page=1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox") + "?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_someone_elses_notification_is_a_404_and_changes_nothing(lawyer, dispatcher):
    theirs = _notify(dispatcher)
    audit_rows = AuditEvent.objects.count()
    client = login(lawyer)

    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk + 1000])).status_code == 404

    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert AuditEvent.objects.count() == audit_rows


def test_mark_read_only_accepts_post(lawyer):
    notification = _notify(lawyer)
    assert login(lawyer).get(reverse("notifications:mark_read", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_leaves_other_users_alone(lawyer, dispatcher):
    _notify(lawyer)
    _notify(lawyer, title="Second")
    theirs = _notify(dispatcher)

    response = login(lawyer).post(reverse("notifications:mark_all_read"), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("notifications:inbox")  # never off-site
    assert not Notification.objects.filter(recipient=lawyer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_follows_only_a_link_within_the_site(lawyer):
    inside = _notify(lawyer, url="/legal-aid/")
    outside = _notify(lawyer, url="https://evil.example/phish")
    client = login(lawyer)

    assert client.post(reverse("notifications:open", args=[inside.pk]))["Location"] == "/legal-aid/"
    assert client.post(reverse("notifications:open", args=[outside.pk]))["Location"] == reverse("notifications:inbox")
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_the_unread_badge_counts_only_the_users_unread_notifications(lawyer, dispatcher):
    _notify(lawyer)
    read = _notify(lawyer, title="Read already")
    services.notification_mark_read(actor=lawyer, notification=read)
    _notify(dispatcher)

    response = login(lawyer).get(reverse("notifications:unread_count"))

    assert response.status_code == 200
    assert b'data-unread="1"' in response.content
    assert b"hx-get" in response.content
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_unread_badge_is_empty_when_signed_out():
    response = Client().get(reverse("notifications:unread_count"))
    assert (response.status_code, response.content) == (200, b"")

import pytest
from django.urls import reverse

from open12348.frontdesk.choices import TicketStatus
from open12348.frontdesk.demo import frontdesk_demo_seed
from open12348.frontdesk.models import ConsultationRecord, QueueNumber, Ticket, Visit
from open12348.frontdesk.services import queue_take
from open12348.legalaid.services import application_create
from open12348.legalaid.tests.factories import wage_claim
from open12348.mediation.demo import mediation_demo_seed
from open12348.network.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_fills_both_desks_with_tickets_in_every_state(client, desk_world):
    world = desk_world
    window = UserFactory(username="window")
    MembershipFactory(user=window, institution=world["centre"], role="window_staff")
    MembershipFactory(user=UserFactory(username="station"), institution=world["office"], role="station_staff")
    MembershipFactory(user=UserFactory(username="mediator"), institution=world["committee"], role="mediator")
    application_create(actor=window, centre=world["centre"], channel="window", **wage_claim())
    mediation_demo_seed(seed=3, total=40)
    counts = frontdesk_demo_seed(seed=3)
    assert counts["visits"] > 20 and counts["tickets"] > counts["visits"]
    assert Visit.objects.values("desk").distinct().count() == 2
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {TicketStatus.RESOLVED, TicketStatus.OPEN} <= statuses
    assert Ticket.objects.filter(kind="legal_aid").exists()
    assert set(ConsultationRecord.objects.values_list("channel", flat=True)) >= {"visit"}
    assert QueueNumber.objects.filter(called_at__isnull=False).exists()
    assert frontdesk_demo_seed(seed=3) == {"visits": 0}
    # The live desk carries on after the demo's numbers.
    number = queue_take(actor=window, desk=world["centre"])
    assert number.sequence > 1 or not QueueNumber.objects.exclude(pk=number.pk).filter(
        desk=world["centre"], day=number.day).exists()
    client.force_login(window)
    assert client.get(reverse("frontdesk:home")).status_code == 200
    assert client.get(reverse("frontdesk:consultations")).status_code == 200

"""The reviewers' queue: tabs and counts, filters, green channel first, deadlines, masking, query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from open12348.legalaid import services
from open12348.legalaid.choices import ApplicationStatus as S
from open12348.legalaid.models import Application

from .factories import MAN, centre_setup, contract_dispute, id_number, wage_claim

pytestmark = pytest.mark.django_db

MASKED_MAN = MAN[:6] + "********" + MAN[-4:]
QUEUE = reverse("legalaid:queue")


@pytest.fixture
def setup():
    return centre_setup()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def create(setup, data=None, **kwargs) -> Application:
    kwargs.setdefault("channel", "window")
    return services.application_create(actor=setup["window_staff"], centre=setup["centre"],
                                       **(data or wage_claim()), **kwargs)


def person(n: int) -> dict:
    """A different applicant each time (born on day n of January 1980)."""
    return {"name": f"申请人{n}", "id_number": id_number(f"410403198001{n:02d}123"), "phone": f"1380375{n:04d}"}


def numbers(response) -> list[str]:
    return [row["obj"].number for row in response.context["rows"]]


def test_green_channel_applications_come_first(setup):
    ordinary = create(setup, contract_dispute())
    green = create(setup)  # a migrant worker's wages: green channel priority
    assert green.priority and not ordinary.priority
    response = login(setup["reviewer"]).get(QUEUE)
    assert numbers(response) == [green.number, ordinary.number]
    page = response.content.decode()
    row = page[page.index(f'data-application="{green.pk}"'):page.index(f'data-application="{ordinary.pk}"')]
    assert "data-green-channel" in row


def test_tabs_show_the_counts_of_each_queue_and_filter_the_list(setup):
    received = create(setup)
    waiting = create(setup, wage_claim(applicant=person(2)))
    services.supplement_request(actor=setup["reviewer"], application=waiting, items=["劳动合同"])
    client = login(setup["reviewer"])
    tabs = {t["name"]: t["count"] for t in client.get(QUEUE).context["tabs"]}
    assert tabs["new"] == 1 and tabs["materials"] == 1 and tabs["objections"] == 0
    assert numbers(client.get(QUEUE, {"queue": "new"})) == [received.number]
    assert numbers(client.get(QUEUE, {"queue": "materials"})) == [waiting.number]
    assert client.get(QUEUE, {"queue": "nonsense"}).context["current"] == "all"


def test_filters_by_status_channel_matter_and_text(setup):
    wages = create(setup)
    contract = create(setup, contract_dispute(), channel="workstation", channel_detail="区总工会工作站")
    client = login(setup["reviewer"])
    assert numbers(client.get(QUEUE, {"channel": "workstation"})) == [contract.number]
    assert numbers(client.get(QUEUE, {"matter": "CV-05"})) == [wages.number]
    assert numbers(client.get(QUEUE, {"q": "买卖合同"})) == [contract.number]
    assert numbers(client.get(QUEUE, {"q": "康建军"})) == [wages.number]
    assert numbers(client.get(QUEUE, {"status": S.APPROVED})) == []
    # A bad filter value is ignored, not an error page.
    assert client.get(QUEUE, {"status": "bogus"}).status_code == 200


def test_the_list_shows_masked_id_numbers_only(setup):
    create(setup)
    for role in ("window_staff", "reviewer", "director"):
        page = login(setup[role]).get(QUEUE).content.decode()
        assert MASKED_MAN in page
        assert MAN not in page and "13803751234" not in page


def test_another_countys_applications_are_not_listed(setup):
    create(setup)
    response = login(setup["xinhua_reviewer"]).get(QUEUE)
    assert response.context["rows"] == []
    assert all(not t["count"] for t in response.context["tabs"] if t["count"] is not None)


def test_deadlines_show_days_remaining_red_amber_and_provisional(setup):
    today = timezone.localdate()
    overdue = create(setup)
    soon = create(setup, wage_claim(applicant=person(2)))
    later = create(setup, wage_claim(applicant=person(3)))
    # Set the clocks directly: the page's colouring is what is under test, not the calculator.
    Application.objects.filter(pk=overdue.pk).update(review_due=today - dt.timedelta(days=3))
    Application.objects.filter(pk=soon.pk).update(review_due=today + dt.timedelta(days=2))
    Application.objects.filter(pk=later.pk).update(review_due=today + dt.timedelta(days=6), calendar_complete=False)
    response = login(setup["reviewer"]).get(QUEUE)
    deadlines = {row["obj"].pk: row["deadline"] for row in response.context["rows"]}
    assert (deadlines[overdue.pk]["state"], deadlines[overdue.pk]["days"]) == ("overdue", -3)
    assert (deadlines[soon.pk]["state"], deadlines[soon.pk]["days"]) == ("soon", 2)
    assert (deadlines[later.pk]["state"], deadlines[later.pk]["provisional"]) == ("ok", True)
    page = response.content.decode()
    assert 'data-deadline="overdue"' in page and "3 days overdue" in page and "text-bg-danger" in page
    assert 'data-deadline="soon"' in page and "2 days left" in page
    assert page.count("data-provisional") == 1
    # The tab counts agree.
    tabs = {t["name"]: t["count"] for t in response.context["tabs"]}
    assert tabs["overdue"] == 1 and tabs["due_soon"] == 1


def test_the_queue_paginates_by_20(setup):
    for n in range(1, 23):
        create(setup, wage_claim(applicant=person(n)))
    client = login(setup["reviewer"])
    first, second = client.get(QUEUE), client.get(QUEUE, {"page": 2})
    assert len(first.context["rows"]) == 20 and len(second.context["rows"]) == 2
    assert not set(numbers(first)) & set(numbers(second))


def test_the_number_of_queries_does_not_grow_with_the_rows(setup):
    client = login(setup["reviewer"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUEUE).status_code == 200
        return len(ctx.captured_queries)

    create(setup, wage_claim(applicant=person(1)))
    client.get(QUEUE)  # warm the per-process caches (calendar, rules) and the session
    few = queries()
    for n in range(2, 16):
        application = create(setup, wage_claim(applicant=person(n)))
        if n % 3 == 0:
            services.application_decide(actor=setup["reviewer"], application=application, decision="refuse",
                                        reasons="不符合", override_reason="收入超标")
            services.objection_file(actor=setup["window_staff"], application=application, reasons="异议")
    assert Application.objects.count() == 15
    assert queries() == few


def test_the_objections_tab_lists_pending_objections_with_their_due_date(setup):
    application = create(setup, contract_dispute())
    services.application_decide(actor=setup["reviewer"], application=application, decision="refuse", reasons="不属于")
    objection = services.objection_file(actor=setup["window_staff"], application=application, reasons="异议")
    response = login(setup["bureau_admin"]).get(QUEUE, {"queue": "objections"})
    assert numbers(response) == [application.number]
    assert response.context["rows"][0]["deadline"]["due"] == objection.due
    assert reverse("legalaid:objection_decide", args=[objection.pk]) in response.content.decode()

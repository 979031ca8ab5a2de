"""Two rows of the security table that no single feature owns: what a person types is shown as text,
never run as markup; and the logs of a whole intake, from the window's form to the reviewer's page,
never hold a full ID number or phone number."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from open12348.legalaid import services
from open12348.legalaid.tests.factories import MAN, centre_setup, wage_claim

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_what_a_person_typed_is_escaped_on_the_staff_pages():
    world = centre_setup()
    claim = wage_claim()
    claim["applicant"]["name"] = "康" + SCRIPT  # names hold 50 characters
    claim["details"]["opposing_party"] = "公司" + IMG + SCRIPT
    application = services.application_create(actor=world["window_staff"], centre=world["centre"], channel="window",
                                              **claim)

    for url in (reverse("legalaid:detail", args=[application.pk]), reverse("legalaid:queue")):
        page = signed_in(world["reviewer"]).get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert SCRIPT not in page and "<img src=x" not in page
    page = signed_in(world["reviewer"]).get(reverse("legalaid:detail", args=[application.pk])).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_intake_and_its_review_leave_no_full_id_number_or_phone_in_the_logs(caplog):
    world = centre_setup()
    claim = wage_claim()
    phone = claim["applicant"]["phone"]
    # Every SQL statement with its parameters is logged too (as with DEBUG on), so a value written to
    # the database in plain text would show up here as well as in the application's own log lines.
    connection.force_debug_cursor = True
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="django.db.backends"):
        window = signed_in(world["window_staff"])
        application = services.application_create(actor=world["window_staff"], centre=world["centre"],
                                                  channel="window", **claim)
        window.get(reverse("legalaid:detail", args=[application.pk]))
        reviewer = signed_in(world["reviewer"])
        reviewer.get(reverse("legalaid:queue"))
        reviewer.post(reverse("legalaid:private", args=[application.pk]))  # the audited full view
    connection.force_debug_cursor = False
    assert any(r.name == "django.db.backends" and "legalaid_person" in r.getMessage() for r in caplog.records), \
        "the person's insert was not logged: the test would prove nothing"
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, '__dict__', {})!r}" for r in caplog.records)
    assert claim["applicant"]["name"] in logged  # parameters are in the log: plain values would be seen
    assert MAN not in logged and phone not in logged

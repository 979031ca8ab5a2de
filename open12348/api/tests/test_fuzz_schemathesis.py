"""API fuzzing: schemathesis generates requests from the OpenAPI document (/api/schema/), valid ones
and invalid ones, for every operation, and sends each one anonymously and as a staff member with every
capability (a telephony system for the telephony endpoint). Every answer must be:

* not a server error (no 5xx, whatever the input);
* what the document says: a documented status, and a body that matches the documented schema;
* a 4xx for input the document says is invalid (negative data is rejected, never accepted).

A handful of examples per operation, derandomized, so the run is deterministic and short enough for
every `make test` (about a minute here); a failure prints the request that reproduces it.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from open12348.hotline.services.ingest import call_events_ingest
from open12348.hotline.tests.factories import call_events, hotline_world, local
from open12348.legalaid import services as legalaid_services
from open12348.legalaid.tests.factories import centre_setup, wage_claim
from open12348.network.tests.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, negative_data_rejection]
CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: Django accepts an unmasked secret
TELEPHONY_PATH = "/api/v1/hotline/telephony/events"
EXAMPLES = 5


@pytest.fixture
def world() -> dict:
    """Some records of each kind, so that lists have rows whose shape the document must describe."""
    setup = centre_setup()
    wage = wage_claim()
    legalaid_services.application_create(actor=setup["window_staff"], centre=setup["centre"], channel="window",
                                         applicant=wage["applicant"], details=wage["details"],
                                         household=wage["household"])
    hotline = hotline_world(lawyers=2)
    call_events_ingest(hotline=hotline["hotline"], events=call_events(call_id="FUZZ-1", at=local(2026, 11, 27, 10)),
                       actor=None, client=hotline["client"])
    staff = UserFactory(username="fuzz_admin", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(staff)
    return {"session": client.cookies[settings.SESSION_COOKIE_NAME].value, "token": hotline["token"]}


def _fuzz(operation, mode: GenerationMode, credentials: dict) -> None:
    """Run the operation's examples of one kind; raises the first failing example's report."""

    @hypothesis_settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)  # anonymous
        if case.operation.path == TELEPHONY_PATH:
            # A batch answers 200 with a result per event, bad ones "rejected" with their reasons (documented):
            # an invalid event in a batch is reported, not refused; a malformed batch must still be refused.
            events = case.body.get("events") if isinstance(case.body, dict) else None
            batch = isinstance(events, list) and 1 <= len(events) <= 500
            case.call_and_validate(checks=[c for c in CHECKS if not (batch and c is negative_data_rejection)],
                                   headers={"Authorization": f"Bearer {credentials['token']}"})
            return
        case.call_and_validate(
            checks=CHECKS, headers={"X-CSRFToken": CSRF_TOKEN},
            cookies={settings.SESSION_COOKIE_NAME: credentials["session"], settings.CSRF_COOKIE_NAME: CSRF_TOKEN},
        )

    run()


@pytest.fixture
def keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request; inside the test's
    transaction (PostgreSQL) that would end it. Django's own test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_answers_every_generated_request_as_documented(world, keep_the_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    # Credentials are sent by the test (below), not generated: leaving them out is not "invalid input".
    schema.config.generation.update(with_security_parameters=False)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, world)
            except Unsatisfiable:  # nothing in this operation can be made invalid (no parameters, no body)
                continue
            except (Exception, BaseExceptionGroup) as exc:  # every operation's failure is reported at once
                failures.append(f"--- {operation.method.upper()} {operation.path} ({mode.value}) ---\n{exc}")
    assert operations > 50
    if failures:
        pytest.fail(f"{len(failures)} failing operation(s):\n\n" + "\n\n".join(failures), pytrace=False)

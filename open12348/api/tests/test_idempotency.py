"""The Idempotency-Key header on API writes (open12348/core/idempotency.py): a retry gets the first
answer and creates nothing, a concurrent duplicate is 409, a reused key with another body is 422,
keys are per client, failures keep nothing; and every write in the API takes the header."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import EndpointEnumerator

from open12348.core.idempotency import MARKER, fingerprint, idempotency_records_purge
from open12348.core.models import IdempotencyRecord
from open12348.core.tasks import purge_idempotency_records_task
from open12348.hotline.models import CallEvent
from open12348.hotline.services.telephony import telephony_client_issue
from open12348.hotline.tests.factories import as_json, call_events, hotline_world, local
from open12348.legalaid.models import Application
from open12348.legalaid.tests.factories import centre_setup, wage_claim
from open12348.network.tests.factories import MembershipFactory, UserFactory
from open12348.quality.models import Sample

pytestmark = pytest.mark.django_db

# POSTs that create or change nothing a retry could duplicate, and why they take no key.
NOT_IDEMPOTENT = {
    "legal_aid_eligibility_check": "answers a question and stores nothing",
    "hotline_work_orders_reveal_phone_create": "a read of personal data: each reveal must be audited, never replayed",
}


@dataclasses.dataclass
class Endpoint:
    """One create endpoint as the tests drive it: who calls, where, a good and a bad body, what it creates."""

    url: str
    body: dict
    other_body: dict
    bad_body: dict
    first: Client  # the caller
    second: Client  # another client of the same kind (another user, another telephony system)
    count: Callable[[], int]
    scope: str  # whose keys the first caller's are, as the mechanism records it
    created_status: int
    replay_status: int


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def legal_aid_application() -> Endpoint:
    setup = centre_setup()
    body = {"centre": setup["centre"].pk, "channel": "window", **wage_claim()}
    other = {**body, "channel_detail": "窗口二"}
    director = setup["director"]
    return Endpoint("/api/v1/legal-aid/applications", body, other, {**body, "centre": 0},
                    _logged_in(setup["window_staff"]), _logged_in(director), Application.objects.count,
                    f"user:{setup['window_staff'].pk}", 201, 200)  # legal aid's documented contract: a repeat answers 200


def quality_sample() -> Endpoint:
    setup = centre_setup()
    evaluators = []
    for name in ("wd_evaluator", "wd_evaluator2"):
        user = UserFactory(username=name)
        MembershipFactory(user=user, institution=setup["centre"], role="evaluator")
        evaluators.append(user)
    body = {"centre_ids": [setup["centre"].pk], "period_start": "2026-01-01", "period_end": "2026-03-31",
            "rate": "0.1", "seed": 7}
    return Endpoint("/api/v1/quality/samples", body, {**body, "seed": 8}, {**body, "period_end": "2025-01-01"},
                    _logged_in(evaluators[0]), _logged_in(evaluators[1]), Sample.objects.count,
                    f"user:{evaluators[0].pk}", 201, 201)


def hotline_events() -> Endpoint:
    world = hotline_world(lawyers=2)
    _other, other_token = telephony_client_issue(actor=None, hotline=world["hotline"], name="CTI-2")
    events = [as_json(e) for e in call_events(call_id="IDEM-1", at=local(2026, 11, 27, 10))]
    body = {"events": events}
    return Endpoint("/api/v1/hotline/telephony/events", body, {"events": events[:1]}, {"events": []},
                    _bearer(world["token"]), _bearer(other_token), CallEvent.objects.count,
                    f"telephonyclient:{world['client'].pk}", 200, 200)


ENDPOINTS = {"legal aid application": legal_aid_application, "quality sample": quality_sample,
             "hotline telephony events": hotline_events}


@pytest.fixture(params=list(ENDPOINTS))
def endpoint(request) -> Endpoint:
    return ENDPOINTS[request.param]()


def post(client: Client, url: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def test_a_replay_returns_the_first_answer_and_creates_nothing(endpoint):
    first = post(endpoint.first, endpoint.url, endpoint.body, "retry-1")
    assert first.status_code == endpoint.created_status, first.content
    created = endpoint.count()
    assert created > 0
    again = post(endpoint.first, endpoint.url, endpoint.body, "retry-1")
    assert again.status_code == endpoint.replay_status
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert again.json() == first.json()
    assert endpoint.count() == created
    assert IdempotencyRecord.objects.get().state == "done"


def test_without_a_key_nothing_is_kept(endpoint):
    assert post(endpoint.first, endpoint.url, endpoint.body).status_code == endpoint.created_status
    assert not IdempotencyRecord.objects.exists()


def test_the_same_key_with_another_body_is_422_and_creates_nothing(endpoint):
    post(endpoint.first, endpoint.url, endpoint.body, "reused")
    created = endpoint.count()
    response = post(endpoint.first, endpoint.url, endpoint.other_body, "reused")
    assert (response.status_code, response.json()["code"]) == (422, "idempotency_key_reused")
    assert endpoint.count() == created


def test_a_duplicate_while_the_first_still_runs_is_409_and_creates_nothing(endpoint):
    # The first request's claim, as it stands while that request is running.
    record = IdempotencyRecord.objects.create(scope=endpoint.scope, key="busy", method="POST", path=endpoint.url,
                                              request_hash=fingerprint(endpoint.body))
    response = post(endpoint.first, endpoint.url, endpoint.body, "busy")
    assert (response.status_code, response.json()["code"]) == (409, "idempotency_in_progress")
    assert endpoint.count() == 0
    record.refresh_from_db()
    assert record.state == "in_progress"


def test_another_client_with_the_same_key_is_independent(endpoint):
    mine = post(endpoint.first, endpoint.url, endpoint.body, "shared-key")
    theirs = post(endpoint.second, endpoint.url, endpoint.other_body, "shared-key")
    assert theirs.status_code == endpoint.created_status, theirs.content
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json() != mine.json()
    assert IdempotencyRecord.objects.filter(key="shared-key").count() == 2


def test_a_failed_request_does_not_poison_the_key(endpoint):
    before = endpoint.count()
    refused = post(endpoint.first, endpoint.url, endpoint.bad_body, "fix-and-retry")
    assert refused.status_code == 400
    assert endpoint.count() == before and not IdempotencyRecord.objects.exists()
    fixed = post(endpoint.first, endpoint.url, endpoint.body, "fix-and-retry")
    assert fixed.status_code == endpoint.created_status, fixed.content
    assert "Idempotent-Replayed" not in fixed and endpoint.count() > before


# --- one endpoint is enough for the mechanism's own rules ----------------------------------------------

@pytest.fixture
def samples() -> Endpoint:
    return quality_sample()


def test_a_key_must_be_printable_ascii_of_at_most_200(samples):
    for key in ["x" * 201, "键"]:
        response = samples.first.post(samples.url, samples.body, content_type="application/json",
                                      headers={"Idempotency-Key": key})
        assert (response.status_code, list(response.json()["fields"])) == (400, ["Idempotency-Key"])
    assert Sample.objects.count() == 0
    assert post(samples.first, samples.url, samples.body, "x" * 200).status_code == 201


def test_key_order_and_spacing_of_the_body_do_not_matter(samples):
    post(samples.first, samples.url, samples.body, "canonical")
    reordered = dict(reversed(list(samples.body.items())))
    again = post(samples.first, samples.url, reordered, "canonical")
    assert again["Idempotent-Replayed"] == "true" and Sample.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_422(samples):
    post(samples.first, samples.url, samples.body, "one-key")
    other = samples.first.post("/api/v1/quality/cases/999999/grade", {}, content_type="application/json",
                               headers={"Idempotency-Key": "one-key"})
    assert other.status_code == 422


def test_an_expired_key_is_forgotten_and_can_be_used_again(samples, settings):
    post(samples.first, samples.url, samples.body, "old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS,
                                                                               minutes=1))
    again = post(samples.first, samples.url, samples.body, "old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Sample.objects.count() == 2 and IdempotencyRecord.objects.count() == 1


def test_a_claim_abandoned_by_a_killed_worker_is_taken_over(samples, settings):
    IdempotencyRecord.objects.create(
        scope=samples.scope, key="orphan", method="POST", path=samples.url, request_hash=fingerprint(samples.body),
        created_at=timezone.now() - dt.timedelta(seconds=settings.IDEMPOTENCY_ABANDONED_SECONDS + 1))
    response = post(samples.first, samples.url, samples.body, "orphan")
    assert response.status_code == 201 and Sample.objects.count() == 1


def test_the_purge_deletes_only_records_past_their_time(samples, settings):
    post(samples.first, samples.url, samples.body, "fresh")
    post(samples.first, samples.url, samples.other_body, "stale")
    IdempotencyRecord.objects.filter(key="stale").update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert purge_idempotency_records_task() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    assert idempotency_records_purge() == 0


def test_stored_answers_are_encrypted_at_rest(samples):
    post(samples.first, samples.url, samples.body, "secret")
    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM core_idempotencyrecord")
        [(raw,)] = cursor.fetchall()
    assert "centre_ids" not in raw and IdempotencyRecord.objects.get().response_body.startswith("{")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_two_requests_at_once_on_postgresql_one_runs_the_other_gets_409(monkeypatch):
    from open12348.quality import services as quality_services

    samples = quality_sample()
    entered, release = threading.Event(), threading.Event()
    draw = quality_services.sample_draw

    def slow_draw(**kwargs):
        entered.set()
        assert release.wait(20)
        return draw(**kwargs)

    monkeypatch.setattr(quality_services, "sample_draw", slow_draw)
    answers = {}

    def first_request():
        try:
            answers["first"] = post(samples.first, samples.url, samples.body, "race")
        finally:
            connection.close()

    thread = threading.Thread(target=first_request)
    thread.start()
    try:
        assert entered.wait(20)
        second = post(samples.first, samples.url, samples.body, "race")
    finally:
        release.set()
        thread.join(30)
    assert (second.status_code, second.json()["code"]) == (409, "idempotency_in_progress")
    assert answers["first"].status_code == 201
    assert Sample.objects.count() == 1
    replay = post(samples.first, samples.url, samples.body, "race")
    assert replay.json() == answers["first"].json()


# --- every write in the API takes the key ----------------------------------------------------------------

def test_every_post_in_the_api_is_idempotent_and_documents_the_header(client):
    schema = client.get("/api/schema/?format=json").json()
    posts = {op["operationId"]: (path, op) for path, item in schema["paths"].items()
             for method, op in item.items() if method == "post"}
    assert len(posts) > 20
    for operation_id, (path, operation) in posts.items():
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if operation_id in NOT_IDEMPOTENT:
            assert "Idempotency-Key" not in headers, operation_id
            continue
        assert "Idempotency-Key" in headers, f"{path} ({operation_id}) does not take an Idempotency-Key"
        assert {"409", "422"} <= set(operation["responses"]), operation_id
        success = [code for code in operation["responses"] if code.startswith("2")]
        assert all("Idempotent-Replayed" in operation["responses"][code].get("headers", {}) for code in success)
    assert set(NOT_IDEMPOTENT) <= set(posts), "an exemption names an operation that no longer exists"


def test_every_post_handler_in_the_urlconf_runs_the_mechanism():
    """The schema can be annotated by hand; this checks the code that runs."""
    missing, seen = [], 0
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if method != "POST":
            continue
        seen += 1
        handler = callback.cls.post
        if not getattr(handler, MARKER, False):
            missing.append(f"{path} {callback.cls.__name__}")
    assert seen > 20
    assert len(missing) == len(NOT_IDEMPOTENT), missing

"""The project's one rate-limit mechanism (open12348/core/ratelimit.py): fixed windows in the cache,
per address and per account, audited refusals."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from open12348.audit.models import AuditEvent
from open12348.core.ratelimit import RateLimited, parse_rate, ratelimit_hit, ratelimit_reset

pytestmark = pytest.mark.django_db
T0 = 1_800_000_000.0  # the start of an hour (a multiple of 3600 and of 86400)


@pytest.fixture(autouse=True)
def _limits(settings):
    cache.clear()
    settings.RATE_LIMITS = {"test.form": {"ip": "3/h", "account": ["2/h", "3/d"]}}
    yield
    cache.clear()


@pytest.mark.parametrize(("text", "count", "seconds"), [
    ("10/h", 10, 3600), ("5/m", 5, 60), ("1/s", 1, 1), ("20/d", 20, 86400), ("5/15m", 5, 900), (" 0 / h ", 0, 3600),
])
def test_rates_are_parsed(text, count, seconds):
    rate = parse_rate(text)
    assert (rate.count, rate.seconds) == (count, seconds)


@pytest.mark.parametrize("text", ["10", "10/w", "h/10", "-1/h", ""])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError):
        parse_rate(text)


def test_the_address_limit_holds_across_accounts_and_is_audited():
    for n in range(3):
        ratelimit_hit(scope="test.form", ip="10.0.0.1", account=f"person-{n}", now=T0 + n)
    with pytest.raises(RateLimited) as refused:
        ratelimit_hit(scope="test.form", ip="10.0.0.1", account="person-9", now=T0 + 10)
    assert refused.value.status == 429 and refused.value.code == "rate_limited"
    assert refused.value.extra["by"] == "ip"
    assert refused.value.retry_after == 3600 - 10 + 1
    row = AuditEvent.objects.get(action="ratelimit.refused")
    assert row.result == AuditEvent.Result.DENIED and row.object_id == "test.form"
    assert row.extra == {"scope": "test.form", "by": "ip", "limit": "3/3600s"}
    # Another address is not held back.
    ratelimit_hit(scope="test.form", ip="10.0.0.2", account="person-9", now=T0 + 11)


def test_the_account_limit_holds_across_addresses_and_the_longest_wait_is_told():
    ratelimit_hit(scope="test.form", ip="10.0.0.1", account="p", now=T0)
    ratelimit_hit(scope="test.form", ip="10.0.0.2", account="p", now=T0 + 1)
    with pytest.raises(RateLimited) as hourly:
        ratelimit_hit(scope="test.form", ip="10.0.0.3", account="p", now=T0 + 2)
    assert hourly.value.extra["by"] == "account"
    # The next hour: the hourly window is new, but the day's 3 are spent (refusals count as attempts).
    with pytest.raises(RateLimited) as daily:
        ratelimit_hit(scope="test.form", ip="10.0.0.4", account="p", now=T0 + 3600)
    assert daily.value.retry_after > 3600


def test_a_new_window_starts_afresh_and_reset_forgets():
    for _ in range(2):
        ratelimit_hit(scope="test.form", account="p", now=T0)
    with pytest.raises(RateLimited):
        ratelimit_hit(scope="test.form", account="p", now=T0)
    ratelimit_reset(scope="test.form", account="p", now=T0)
    ratelimit_hit(scope="test.form", account="p", now=T0)


def test_empty_keys_are_not_counted_and_the_switch_turns_limits_off(settings):
    for _ in range(10):
        ratelimit_hit(scope="test.form", now=T0)
    settings.RATE_LIMITS_ENABLED = False
    for _ in range(10):
        ratelimit_hit(scope="test.form", ip="10.0.0.1", now=T0)
    assert not AuditEvent.objects.exists()


def test_an_unknown_scope_is_a_programming_error():
    with pytest.raises(KeyError):
        ratelimit_hit(scope="no.such.scope", ip="10.0.0.1")


def test_the_message_says_how_long_to_wait_in_minutes():
    with pytest.raises(RateLimited) as refused:
        for _ in range(4):
            ratelimit_hit(scope="test.form", ip="10.0.0.1", now=T0 + 3600 - 90)
    assert "2" in str(refused.value.message)

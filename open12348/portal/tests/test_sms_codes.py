"""SMS verification codes: stored hashed, expiring, single-use, limited tries, rate-limited per phone and per IP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.notifications import backends
from open12348.portal import services
from open12348.portal.identity import citizen_phone_hash
from open12348.portal.models import SmsCode

from .support import OTHER_PHONE, PHONE, last_code

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))


def send(phone: str = PHONE, *, at: dt.datetime = T0, ip: str = "10.1.2.3") -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.sms_code_send(phone=phone, ip=ip, now=at)
    return last_code(phone)


def later(**delta) -> dt.datetime:
    return T0 + dt.timedelta(**delta)


def test_a_code_is_texted_and_only_its_keyed_hash_is_stored():
    code = send()
    [sms] = backends.outbox
    assert sms.to == PHONE and code in sms.body
    row = SmsCode.objects.get()
    assert row.phone_hash == citizen_phone_hash(PHONE) and row.expires_at == T0 + services.code_ttl()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM portal_smscode")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert code not in stored and PHONE not in stored
    assert AuditEvent.objects.filter(action="portal.sms_code.send").count() == 1


def test_a_code_works_once():
    code = send()
    assert services.sms_code_verify(phone=PHONE, code=code, now=later(minutes=1)) == PHONE
    with pytest.raises(ApplicationError) as refused:
        services.sms_code_verify(phone=PHONE, code=code, now=later(minutes=2))
    assert (refused.value.code, refused.value.field) == ("code_expired", "code")


def test_a_code_expires():
    code = send()
    with pytest.raises(ApplicationError) as refused:
        services.sms_code_verify(phone=PHONE, code=code, now=later(minutes=5, seconds=1))
    assert refused.value.code == "code_expired"


def test_a_code_works_for_its_own_phone_only():
    code = send()
    with pytest.raises(ApplicationError):
        services.sms_code_verify(phone=OTHER_PHONE, code=code, now=later(minutes=1))
    assert services.sms_code_verify(phone=PHONE, code=code, now=later(minutes=1)) == PHONE


def test_five_wrong_tries_void_the_code():
    code = send()
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for attempt in range(1, 5):
        with pytest.raises(ApplicationError) as refused:
            services.sms_code_verify(phone=PHONE, code=wrong, now=later(minutes=1))
        assert refused.value.code == "code_wrong" and f"{5 - attempt}" in str(refused.value.message)
    with pytest.raises(ApplicationError) as refused:
        services.sms_code_verify(phone=PHONE, code=wrong, now=later(minutes=1))
    assert refused.value.code == "code_expired"
    # The right code no longer helps: the tries were written although each raised an error.
    with pytest.raises(ApplicationError):
        services.sms_code_verify(phone=PHONE, code=code, now=later(minutes=1))
    assert SmsCode.objects.get().attempts == 5


def test_a_new_code_voids_the_old_one():
    first = send()
    second = send(at=later(minutes=2))
    if first != second:
        with pytest.raises(ApplicationError):
            services.sms_code_verify(phone=PHONE, code=first, now=later(minutes=3))
    assert services.sms_code_verify(phone=PHONE, code=second, now=later(minutes=3)) == PHONE


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", ""])
def test_a_code_of_the_wrong_shape_is_refused_without_spending_a_try(code):
    send()
    with pytest.raises(ApplicationError) as refused:
        services.sms_code_verify(phone=PHONE, code=code, now=later(minutes=1))
    assert refused.value.code == "code_format"
    assert SmsCode.objects.get().attempts == 0


def test_one_code_a_minute_per_phone():
    send()
    with pytest.raises(ApplicationError) as refused:
        send(at=later(seconds=30))
    assert refused.value.code == "sms_rate_limited" and refused.value.status == 429
    assert refused.value.extra["reason"] == "interval"
    assert SmsCode.objects.count() == 1 and len(backends.outbox) == 1
    assert services.wait_seconds(phone=PHONE, now=later(seconds=30)) == 30
    assert AuditEvent.objects.filter(action="portal.sms_code.refused", result="denied").count() == 1
    send(at=later(seconds=61))
    assert SmsCode.objects.count() == 2


def test_at_most_five_codes_an_hour_and_ten_a_day_per_phone():
    for minute in range(0, 10, 2):
        send(at=later(minutes=minute))
    with pytest.raises(ApplicationError) as refused:
        send(at=later(minutes=30))
    assert refused.value.extra["reason"] == "phone_hour"
    for minute in range(61, 71, 2):
        send(at=later(minutes=minute))
    with pytest.raises(ApplicationError) as refused:
        send(at=later(hours=5))
    assert refused.value.extra["reason"] == "phone_day"
    assert SmsCode.objects.count() == 10
    send(at=later(days=1, minutes=71))  # the next day counts afresh


def test_at_most_twenty_codes_an_hour_from_one_address(settings):
    settings.PORTAL_SMS_MAX_PER_IP_HOUR = 3
    for index in range(3):
        send(phone=f"1370375000{index}", at=later(minutes=index))
    with pytest.raises(ApplicationError) as refused:
        send(phone="13703750009", at=later(minutes=5))
    assert refused.value.extra["reason"] == "ip_hour"
    send(phone="13703750009", at=later(minutes=5), ip="10.9.9.9")


def test_two_requests_racing_in_one_interval_send_one_code():
    send()
    # As if the other request passed the checks before this one wrote its row: the unique slot refuses it.
    SmsCode.objects.update(created_at=T0 - dt.timedelta(minutes=5))
    with pytest.raises(ApplicationError) as refused:
        send(at=later(seconds=1))
    assert refused.value.extra["reason"] == "interval"
    assert SmsCode.objects.count() == 1


@pytest.mark.parametrize("phone", ["12345678901", "1380375123", "abc", "+1 202 555 0100"])
def test_only_mainland_mobile_numbers_get_codes(phone):
    with pytest.raises(ApplicationError) as refused:
        services.sms_code_send(phone=phone, ip="10.1.2.3")
    assert (refused.value.code, refused.value.field) == ("phone_invalid", "phone")
    assert not SmsCode.objects.exists()


def test_old_codes_are_purged_and_recent_ones_kept(settings):
    settings.PORTAL_SMS_CODE_KEEP_DAYS = 7
    send()
    send(phone=OTHER_PHONE, at=later(days=6))
    assert services.sms_codes_purge(now=later(days=7, minutes=1)) == 1
    assert list(SmsCode.objects.values_list("phone_hash", flat=True)) == [citizen_phone_hash(OTHER_PHONE)]
    assert services.sms_codes_purge(now=later(days=7, minutes=1)) == 0

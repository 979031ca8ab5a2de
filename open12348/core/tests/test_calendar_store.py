"""The database-backed legal calendar: merging with the package, caching, audited services, admin."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from open12348.accounts.models import User
from open12348.accounts.roles import Role
from open12348.audit.models import AuditEvent
from open12348.core.calendar import due_date
from open12348.core.calendar_store import (
    calendar_day_remove,
    calendar_day_set,
    calendar_year_mark_complete,
    calendar_year_set,
    legal_calendar,
)
from open12348.core.errors import ApplicationError
from open12348.core.models import CalendarDay, CalendarYear
from open12348.network.tests.factories import UserFactory, pingdingshan, staff_in

pytestmark = pytest.mark.django_db

NOTICE_2031 = "国务院办公厅关于2031年部分节假日安排的通知（示例）"


@pytest.fixture
def admin_user():
    return UserFactory(username="calendar-admin", is_staff=True, is_superuser=True)


def enter_national_day_2031(actor) -> None:
    for offset in range(7):
        calendar_day_set(actor=actor, date=date(2031, 10, 1) + timedelta(offset), kind="holiday", name="国庆节")
    for day in (date(2031, 9, 28), date(2031, 10, 11)):
        calendar_day_set(actor=actor, date=day, kind="workday", name="国庆节")


def test_with_nothing_entered_the_package_answers_and_2031_is_provisional():
    calendar = legal_calendar()

    assert due_date(start=date(2025, 9, 26), days=7, calendar=calendar).due == date(2025, 10, 9)
    result = due_date(start=date(2031, 9, 26), days=7, calendar=calendar)
    assert (result.due, result.calendar_complete) == (date(2031, 10, 3), False)


def test_a_hand_entered_2031_arrangement_marked_complete_moves_the_date_and_completes_it(admin_user):
    enter_national_day_2031(admin_user)
    partial = due_date(start=date(2031, 9, 26), days=7, calendar=legal_calendar())
    assert (partial.due, partial.calendar_complete) == (date(2031, 10, 8), False)

    calendar_year_mark_complete(actor=admin_user, year=2031, source=NOTICE_2031)

    result = due_date(start=date(2031, 9, 26), days=7, calendar=legal_calendar())
    assert (result.due, result.calendar_complete) == (date(2031, 10, 8), True)
    assert legal_calendar().is_working_day(date(2031, 9, 28))  # the make-up Sunday


def test_the_database_wins_over_the_package(admin_user):
    calendar_day_set(actor=admin_user, date=date(2025, 10, 3), kind="workday", name="更正")
    calendar_day_set(actor=admin_user, date=date(2025, 11, 10), kind="holiday", name="更正")

    calendar = legal_calendar()

    assert due_date(start=date(2025, 9, 26), days=7, calendar=calendar).due == date(2025, 10, 3)
    assert due_date(start=date(2025, 11, 3), days=7, calendar=calendar).due == date(2025, 11, 11)


def test_removing_an_entered_day_restores_the_package_and_is_audited(admin_user):
    calendar_day_set(actor=admin_user, date=date(2025, 10, 3), kind="workday", name="更正")

    assert calendar_day_remove(actor=admin_user, date=date(2025, 10, 3)) is True
    assert calendar_day_remove(actor=admin_user, date=date(2025, 10, 3)) is False

    assert not legal_calendar().is_working_day(date(2025, 10, 3))
    row = AuditEvent.objects.get(action="core.calendar_day.delete")
    assert row.changes["before"]["date"] == "2025-10-03" and row.actor_id == admin_user.pk


def test_an_incomplete_year_row_does_not_count_as_data(admin_user):
    enter_national_day_2031(admin_user)
    calendar_year_set(actor=admin_user, year=2031, complete=False, source="")

    assert not legal_calendar().has_data(2031)


# --- caching ------------------------------------------------------------------------------------

def test_the_calendar_is_reused_until_the_data_changes(admin_user):
    first = legal_calendar()
    with CaptureQueriesContext(connection) as queries:
        again = legal_calendar()
    assert again is first
    assert len(queries) == 2  # the change check only

    calendar_day_set(actor=admin_user, date=date(2031, 10, 1), kind="holiday", name="国庆节")
    changed = legal_calendar()
    assert changed is not first and not changed.is_working_day(date(2031, 10, 1))

    calendar_day_set(actor=admin_user, date=date(2031, 10, 1), kind="workday", name="国庆节")
    assert legal_calendar().is_working_day(date(2031, 10, 1))  # an edit, same row count


def test_a_rolled_back_change_does_not_linger_in_the_cache(admin_user):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        calendar_day_set(actor=admin_user, date=date(2025, 11, 10), kind="holiday", name="试")
        assert not legal_calendar().is_working_day(date(2025, 11, 10))
        raise Rollback

    assert legal_calendar().is_working_day(date(2025, 11, 10))


# --- services: audit and refusals ------------------------------------------------------------------

def test_setting_a_day_is_audited_with_who_and_what(admin_user):
    day = calendar_day_set(actor=admin_user, date=date(2031, 10, 1), kind="holiday", name=" 国庆节 ")

    assert (day.name, day.created_by) == ("国庆节", admin_user)
    row = AuditEvent.objects.get(action="core.calendar_day.create")
    assert row.actor_id == admin_user.pk and row.object_id == str(day.pk)
    assert row.changes["after"]["kind"] == "holiday"


def test_changing_a_day_records_before_and_after_and_an_unchanged_save_records_nothing(admin_user):
    calendar_day_set(actor=admin_user, date=date(2031, 10, 1), kind="holiday", name="国庆节")
    calendar_day_set(actor=admin_user, date=date(2031, 10, 1), kind="workday", name="国庆节")
    calendar_day_set(actor=admin_user, date=date(2031, 10, 1), kind="workday", name="国庆节")

    assert CalendarDay.objects.count() == 1
    updates = AuditEvent.objects.filter(action="core.calendar_day.update")
    assert updates.count() == 1
    assert updates.get().changes == {"before": {"kind": "holiday"}, "after": {"kind": "workday"}}


def test_marking_a_year_complete_is_audited(admin_user):
    enter_national_day_2031(admin_user)

    row = calendar_year_mark_complete(actor=admin_user, year=2031, source=NOTICE_2031)

    assert (row.complete, row.source) == (True, NOTICE_2031)
    event = AuditEvent.objects.get(action="core.calendar_year.create")
    assert event.changes["after"] == {"id": row.pk, "year": 2031, "complete": True, "source": NOTICE_2031}
    assert event.actor_id == admin_user.pk


@pytest.mark.parametrize("kwargs,field", [
    ({"date": date(2031, 10, 1), "kind": "vacation", "name": "国庆节"}, "kind"),
    ({"date": date(2031, 10, 1), "kind": "holiday", "name": "  "}, "name"),
    ({"date": date(2300, 10, 1), "kind": "holiday", "name": "国庆节"}, "date"),
])
def test_a_bad_day_is_refused_on_its_field_and_nothing_is_written(admin_user, kwargs, field):
    with pytest.raises(ApplicationError) as refusal:
        calendar_day_set(actor=admin_user, **kwargs)

    assert refusal.value.field == field
    assert not CalendarDay.objects.exists() and not AuditEvent.objects.exists()


def test_a_year_with_no_holidays_entered_cannot_be_marked_complete(admin_user):
    with pytest.raises(ApplicationError) as refusal:
        calendar_year_mark_complete(actor=admin_user, year=2031, source=NOTICE_2031)

    assert (refusal.value.code, refusal.value.field) == ("year_empty", "year")
    assert not CalendarYear.objects.exists() and not AuditEvent.objects.exists()
    assert not legal_calendar().has_data(2031)


def test_marking_a_year_complete_needs_the_notice_it_comes_from(admin_user):
    enter_national_day_2031(admin_user)
    before = AuditEvent.objects.count()

    with pytest.raises(ApplicationError) as refusal:
        calendar_year_mark_complete(actor=admin_user, year=2031, source=" ")

    assert refusal.value.field == "source"
    assert not CalendarYear.objects.exists() and AuditEvent.objects.count() == before


# --- the admin --------------------------------------------------------------------------------------

def test_an_administrator_adds_a_day_in_the_admin_through_the_audited_service(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:core_calendarday_add"),
                           {"date": "2031-10-01", "kind": "holiday", "name": "国庆节", "note": ""})

    assert response.status_code == 302, response.content
    day = CalendarDay.objects.get()
    assert (day.date, day.created_by) == (date(2031, 10, 1), admin_user)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["core.calendar_day.create"]
    assert not legal_calendar().is_working_day(date(2031, 10, 1))


def test_the_admin_shows_the_services_refusal_next_to_the_field(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:core_calendaryear_add"), {"year": "2031", "complete": "on", "source": "x"})

    assert response.status_code == 200
    assert "year" in response.context["adminform"].form.errors
    assert not CalendarYear.objects.exists() and not AuditEvent.objects.exists()


def test_staff_without_the_capability_cannot_add_days(client):
    clerk = staff_in(pingdingshan()["city"], role=Role.WINDOW_STAFF)
    User.objects.filter(pk=clerk.pk).update(is_staff=True)
    client.force_login(clerk)

    response = client.post(reverse("admin:core_calendarday_add"),
                           {"date": "2031-10-01", "kind": "holiday", "name": "国庆节", "note": ""})

    assert response.status_code == 403
    assert not CalendarDay.objects.exists() and not AuditEvent.objects.filter(action__startswith="core.").exists()

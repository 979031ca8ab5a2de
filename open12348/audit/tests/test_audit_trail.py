"""Every service write leaves exactly one audit row: actor, action, object, before/after."""

from __future__ import annotations

import json

import pytest

from open12348.audit.models import AuditEvent
from open12348.core.idnumber import check_digit
from open12348.network.choices import InstitutionKind
from open12348.network.services import (
    institution_create,
    institution_update,
    practitioner_create,
    practitioner_update,
)
from open12348.network.tests.factories import InstitutionFactory, PractitionerFactory, pingdingshan, staff_in

pytestmark = pytest.mark.django_db
ID_NUMBER = "41040219900101123" + check_digit("41040219900101123")
NEW_ID = "41040319851231002" + check_digit("41040319851231002")


@pytest.fixture
def regions():
    return pingdingshan()


@pytest.fixture
def actor(regions):
    return staff_in(regions["city"], role="bureau_admin")


def _only_new_row(before_id: int) -> AuditEvent:
    rows = list(AuditEvent.objects.filter(id__gt=before_id))
    assert len(rows) == 1, [r.action for r in rows]
    return rows[0]


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_institution_create(actor, regions):
    start = _last_id()

    institution = institution_create(actor=actor, data={
        "kind": InstitutionKind.LAW_FIRM, "name": "河南鹰城律师事务所", "region": regions["xinhua"],
    })

    row = _only_new_row(start)
    assert (row.actor_id, row.actor_username, row.action) == (actor.pk, actor.username, "network.institution.create")
    assert (row.object_type, row.object_id, row.object_repr) == ("network.institution", str(institution.pk),
                                                                 "河南鹰城律师事务所")
    assert row.changes["after"]["name"] == "河南鹰城律师事务所"
    assert row.changes["after"]["region"] == regions["xinhua"].pk


def test_institution_update_records_before_and_after_of_what_changed(actor, regions):
    institution = InstitutionFactory(region=regions["xinhua"], phone="0375-1111111")
    start = _last_id()

    institution_update(actor=actor, institution=institution, data={"phone": "0375-2222222"})

    row = _only_new_row(start)
    assert row.action == "network.institution.update" and row.object_id == str(institution.pk)
    assert row.changes == {"before": {"phone": "0375-1111111"}, "after": {"phone": "0375-2222222"}}


def test_update_without_changes_writes_no_row(actor, regions):
    institution = InstitutionFactory(region=regions["xinhua"], phone="0375-1111111")
    start = _last_id()

    institution_update(actor=actor, institution=institution, data={"phone": "0375-1111111"})

    assert _last_id() == start


def test_practitioner_update_protects_private_fields(actor, regions):
    practitioner = PractitionerFactory(institution=InstitutionFactory(region=regions["xinhua"]), id_number=ID_NUMBER,
                                       mobile="13812345678", sex="M")
    start = _last_id()

    practitioner_update(actor=actor, practitioner=practitioner,
                        data={"licence_no": practitioner.licence_no, "id_number": NEW_ID, "mobile": "13987654321",
                              "duty_hours": "周三上午", "sex": "F"})

    row = _only_new_row(start)
    assert row.action == "network.practitioner.update" and row.actor_id == actor.pk
    assert row.changes["before"]["id_number"] == row.changes["after"]["id_number"] == "[protected]"
    assert row.changes["before"]["mobile"] == row.changes["after"]["mobile"] == "[protected]"
    assert row.changes["after"]["duty_hours"] == "周三上午"
    dumped = json.dumps([row.changes, row.extra], ensure_ascii=False)
    for secret in (ID_NUMBER, NEW_ID, "13812345678", "13987654321"):
        assert secret not in dumped


def test_practitioner_create_snapshot_protects_private_fields(actor, regions):
    firm = InstitutionFactory(region=regions["xinhua"])
    start = _last_id()

    practitioner = practitioner_create(actor=actor, data={
        "kind": "lawyer", "name": "王德洲", "licence_no": "14104201012345678", "institution": firm,
        "id_number": ID_NUMBER, "mobile": "13812345678",
    })

    row = _only_new_row(start)
    assert row.object_id == str(practitioner.pk)
    after = row.changes["after"]
    assert after["id_number"] == after["mobile"] == "[protected]"
    assert after["id_number_hash"] == after["mobile_hash"] == "[protected]"
    assert ID_NUMBER not in json.dumps(row.changes)


def test_refused_write_leaves_no_row_and_no_change(actor, regions):
    institution = InstitutionFactory(region=regions["xinhua"], name="原名律师事务所")
    start = _last_id()

    with pytest.raises(Exception):  # noqa: B017 - ApplicationError; the point is what did not happen
        institution_update(actor=actor, institution=institution, data={"name": "新名", "credit_code": "short"})

    institution.refresh_from_db()
    assert institution.name == "原名律师事务所"
    assert _last_id() == start

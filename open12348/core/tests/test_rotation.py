"""`manage.py rotate_encryption_keys`: values written under one key stay readable and findable after
the old key is gone; a dry run changes nothing; a second run has nothing to do; the run is audited."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.utils import translation

from open12348.audit.models import AuditEvent
from open12348.consult.models import Question
from open12348.consult.tests.factories import ask
from open12348.core.crypto import blind_index
from open12348.core.fields import EncryptedJSONField, EncryptedTextField
from open12348.core.migration_ops import encrypt_existing
from open12348.core.rotation import BLIND_INDEXES, NOT_BLIND_INDEXES, encrypted_columns
from open12348.mediation.models import Party
from open12348.network.models import Practitioner
from open12348.network.tests.factories import PractitionerFactory, pingdingshan, staff_in
from open12348.portal.choices import ConsentPurpose
from open12348.portal.identity import citizen_phone_hash
from open12348.portal.models import CitizenAccount, CitizenConsent
from open12348.portal.services import account_open, consent_given, consent_record

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"
ASKER = "13903759876"
CONSENT_ONLY = "15803750007"  # consented, never asked nor opened an account: only its hash is kept


def raw(model: type[models.Model], field: str, pk) -> str:
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {meta.get_field(field).column} FROM {meta.db_table} WHERE {meta.pk.column} = %s",  # noqa: S608
                       [pk])
        return cursor.fetchone()[0]


def written_under_key_a(settings):
    """A practitioner, a citizen's question, account and consents, all written while only key A exists."""
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    regions = pingdingshan()
    staff_in(regions["weidong"], role="duty_lawyer", username="wd_duty")
    practitioner = PractitionerFactory(id_number=ID_NUMBER, mobile=MOBILE,
                                       id_number_hash=blind_index(ID_NUMBER, purpose="id_number"),
                                       mobile_hash=blind_index(MOBILE, purpose="phone"))
    question = ask(regions["weidong"], phone=ASKER)
    account_open(phone=ASKER)
    consent_record(phone_hash=citizen_phone_hash(CONSENT_ONLY), purpose=ConsentPurpose.SENSITIVE)
    return practitioner, question


def rotate(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("rotate_encryption_keys", *args, "--batch-size", "2", stdout=out)
    return out.getvalue()


def test_rotation_re_encrypts_everything_so_the_old_key_can_be_dropped(settings):
    practitioner, question = written_under_key_a(settings)
    before = raw(Practitioner, "mobile", practitioner.pk)

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    output = rotate()
    assert "network.Practitioner.mobile: 1 of 1 changed" in output
    assert raw(Practitioner, "mobile", practitioner.pk) != before

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]  # key A is gone
    practitioner.refresh_from_db()
    question.refresh_from_db()
    assert (practitioner.id_number, practitioner.mobile) == (ID_NUMBER, MOBILE)
    assert question.phone == ASKER and question.text
    assert CitizenAccount.objects.get().phone == ASKER
    # Every encrypted value in the database opens with key B alone.
    for model, fld in encrypted_columns():
        list(model._base_manager.values_list(fld.name, flat=True))
    # The blind indexes did not depend on the Fernet key: lookups still find the rows.
    assert Practitioner.objects.get(mobile_hash=blind_index(MOBILE, purpose="phone")) == practitioner
    assert Question.objects.get(phone_hash=citizen_phone_hash(ASKER)) == question

    # Idempotent: a second run finds nothing to do.
    assert "0 of" in rotate().splitlines()[-1]
    event = AuditEvent.objects.filter(action="crypto.rotate").order_by("-id").first()
    assert event.extra["values_reencrypted"] == 0
    first = AuditEvent.objects.filter(action="crypto.rotate").order_by("id").first()
    assert first.extra["values_reencrypted"] >= 5 and first.extra["keys"] == 2
    # Counts only: no value, token or hash in the audit row.
    assert MOBILE not in str(first.extra) and before not in str(first.extra)


def test_a_dry_run_counts_and_changes_nothing(settings):
    practitioner, _ = written_under_key_a(settings)
    before = raw(Practitioner, "mobile", practitioner.pk)
    audits = AuditEvent.objects.count()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    output = rotate("--dry-run")

    assert "network.Practitioner.mobile: 1 of 1 changed" in output and output.splitlines()[-1].startswith("Dry run")
    assert raw(Practitioner, "mobile", practitioner.pk) == before
    assert AuditEvent.objects.count() == audits
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(ValueError):
        Practitioner.objects.get(pk=practitioner.pk)  # still under key A only


def test_a_new_blind_index_key_re_keys_every_index_so_lookups_keep_working(settings):
    practitioner, question = written_under_key_a(settings)
    old_hash = Practitioner.objects.get().mobile_hash
    settings.BLIND_INDEX_PREVIOUS_KEY, settings.BLIND_INDEX_KEY = settings.BLIND_INDEX_KEY, "the-new-blind-index-key"
    # Before the command, lookups under the new key miss.
    assert not Practitioner.objects.filter(mobile_hash=blind_index(MOBILE, purpose="phone")).exists()

    dry = rotate("--dry-run")
    assert Practitioner.objects.get().mobile_hash == old_hash
    assert "network.Practitioner.mobile_hash: 1 of 1 changed" in dry

    rotate()

    assert Practitioner.objects.get(mobile_hash=blind_index(MOBILE, purpose="phone")) == practitioner
    assert Practitioner.objects.get(id_number_hash=blind_index(ID_NUMBER, purpose="id_number")) == practitioner
    assert Question.objects.get(phone_hash=citizen_phone_hash(ASKER)) == question
    assert CitizenAccount.objects.get(phone_hash=citizen_phone_hash(ASKER))
    # A consent keeps only a hash: it is re-keyed from the same phone held elsewhere (the question) …
    assert consent_given(phone_hash=citizen_phone_hash(ASKER), purpose=ConsentPurpose.ACCOUNT)
    # … and one whose phone is held nowhere cannot be re-keyed: it is counted, not guessed.
    assert not consent_given(phone_hash=citizen_phone_hash(CONSENT_ONLY), purpose=ConsentPurpose.SENSITIVE)
    event = AuditEvent.objects.filter(action="crypto.rotate").get()
    assert event.extra["hashes_unmatched"] == 1 and event.extra["blind_index_rekeyed"] is True
    assert CitizenConsent.objects.filter(phone_hash=citizen_phone_hash(ASKER)).count() >= 1

    # Idempotent: nothing left to re-key, and the unmatched consent is still the only one.
    rotate()
    last = AuditEvent.objects.filter(action="crypto.rotate").order_by("-id").first()
    assert last.extra["hashes_rekeyed"] == 0 and last.extra["hashes_unmatched"] == 1


def test_the_command_refuses_a_previous_key_equal_to_the_current_one(settings):
    settings.BLIND_INDEX_PREVIOUS_KEY = settings.BLIND_INDEX_KEY
    with pytest.raises(CommandError):
        rotate()
    assert not AuditEvent.objects.filter(action="crypto.rotate").exists()


def test_a_value_no_key_opens_stops_the_command_with_advice(settings):
    written_under_key_a(settings)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]  # key A dropped before rotating
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEYS"):
        rotate()


def test_every_encrypted_field_is_found_and_every_hash_column_is_registered():
    found = {f"{model._meta.label}.{fld.name}" for model, fld in encrypted_columns()}
    assert {"legalaid.Person.id_number", "legalaid.Application.household", "mediation.Party.address",
            "notifications.OutboundMessage.body", "portal.ApplicationDraft.answers"} <= found
    registered = {f"{entry.model}.{entry.field}" for entry in BLIND_INDEXES}
    for entry in BLIND_INDEXES:
        model = apps.get_model(entry.model)
        model._meta.get_field(entry.field)
        if entry.source:
            assert isinstance(model._meta.get_field(entry.source), EncryptedTextField | EncryptedJSONField)
    hash_columns = {f"{model._meta.label}.{f.name}" for model in apps.get_models()
                    for f in model._meta.concrete_fields if f.name == "hash" or f.name.endswith("_hash")}
    # A new `*_hash` column must be added to BLIND_INDEXES (re-keyed) or NOT_BLIND_INDEXES (with the reason).
    assert hash_columns == registered | set(NOT_BLIND_INDEXES)


def test_the_migration_operation_encrypts_existing_rows_and_its_reverse_decrypts_them():
    party_pk = _party_with_plain_address("卫东区建设路1号")
    operation = encrypt_existing("mediation", "Party", "address")
    editor = type("Editor", (), {"connection": connection})()

    operation.code(apps, editor)
    assert raw(Party, "address", party_pk).startswith("gAAAAA")
    assert Party.objects.get(pk=party_pk).address == "卫东区建设路1号"

    operation.reverse_code(apps, editor)
    assert raw(Party, "address", party_pk) == "卫东区建设路1号"


def _party_with_plain_address(address: str):
    from open12348.mediation.models import DisputeCase
    from open12348.network.tests.factories import InstitutionFactory

    regions = pingdingshan()
    committee = InstitutionFactory(kind="mediation_committee", region=regions["weidong_township"])
    case = DisputeCase.objects.create(number="〔2026〕调字第0001号", committee=committee, region=committee.region,
                                      dispute_type="neighbours", source="walk_in", facts="滴水",
                                      received_on="2026-03-02", guideline_due="2026-04-02")
    party = Party.objects.create(case=case, side="applicant", name="康建军")
    with connection.cursor() as cursor:  # as the column held it before the migration
        cursor.execute("UPDATE mediation_party SET address = %s WHERE id = %s", [address, party.pk])
    return party.pk

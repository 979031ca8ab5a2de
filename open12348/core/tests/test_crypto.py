import re

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from open12348.core.crypto import blind_index, decrypt, encrypt
from open12348.core.masking import mask_id_number, mask_phone
from open12348.network.tests.factories import PractitionerFactory

ID_NUMBER = "11010519491231002X"


def test_encrypt_round_trip_and_ciphertext_hides_the_value():
    token = encrypt(ID_NUMBER)
    assert ID_NUMBER not in token
    assert decrypt(token) == ID_NUMBER
    assert encrypt(ID_NUMBER) != token  # random IV: equal values do not give equal ciphertexts


def test_key_rotation_keeps_old_values_readable(settings):
    old = encrypt("13812345678")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    from open12348.core import crypto

    crypto._fernet.cache_clear()
    assert decrypt(old) == "13812345678"


def test_a_wrong_key_refuses_rather_than_returning_garbage(settings):
    token = encrypt("13812345678")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError):
        decrypt(token)


def test_blind_index_is_keyed_normalised_and_purpose_bound(settings):
    assert blind_index("11010519491231002x", purpose="id_number") == blind_index(ID_NUMBER, purpose="id_number")
    assert blind_index(ID_NUMBER, purpose="id_number") != blind_index(ID_NUMBER, purpose="phone")
    before = blind_index(ID_NUMBER, purpose="id_number")
    settings.BLIND_INDEX_KEY = "another-deployment-key"
    assert blind_index(ID_NUMBER, purpose="id_number") != before


def test_masks():
    assert mask_id_number("410402198503171234") == "410402********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == mask_phone("") == ""


@pytest.mark.django_db
def test_the_database_holds_no_plaintext_id_numbers_or_phones():
    person = PractitionerFactory(id_number=ID_NUMBER, mobile="13812345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM network_practitioner WHERE id = %s", [person.pk])
        raw_id, raw_mobile = cursor.fetchone()
    dump = f"{raw_id} {raw_mobile}"
    assert not re.search(r"\d{17}[\dX]", dump)
    assert not re.search(r"1\d{10}", dump)
    person.refresh_from_db()
    assert (person.id_number, person.mobile) == (ID_NUMBER, "13812345678")

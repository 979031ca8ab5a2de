"""Model fields for personal data: stored encrypted, read as plain text in Python."""

from __future__ import annotations

from django.db import models

from .crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Holds a Fernet token in the database and plain text on the model instance.

    Encrypted values cannot be searched or sorted: pair the field with a blind index
    (see `core.crypto.blind_index`) where an exact lookup is needed.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return value

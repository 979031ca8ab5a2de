"""Migration operations for turning a plain text column into an encrypted one.

Use after the `AlterField` to `EncryptedTextField` (which leaves the stored text as it was):

    operations = [
        migrations.AlterField("outboundmessage", "body", EncryptedTextField(...)),
        encrypt_existing("notifications", "OutboundMessage", "body"),
    ]

The rows are read and written with raw SQL because the field, once altered, would try to decrypt
the plain text it reads. Reversing decrypts them again, so the migration can be rolled back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import migrations

from .crypto import decrypt, encrypt

BATCH = 1000


def _convert(app_label: str, model_name: str, fields: tuple[str, ...], convert: Callable[[str], str]):
    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        q = connection.ops.quote_name
        table, pk = q(model._meta.db_table), q(model._meta.pk.column)
        for name in fields:
            column = q(model._meta.get_field(name).column)
            last = None
            while True:
                where = f"WHERE {pk} > %s " if last is not None else ""
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {pk}, {column} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                                   [last, BATCH] if last is not None else [BATCH])
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                                       [(convert(value), key) for key, value in rows if value])
                last = rows[-1][0]

    return run


def encrypt_existing(app_label: str, model_name: str, *fields: str) -> migrations.RunPython:
    """Encrypt the values already stored in `fields` (reversible: the reverse decrypts them)."""
    return migrations.RunPython(_convert(app_label, model_name, fields, encrypt),
                                _convert(app_label, model_name, fields, decrypt))

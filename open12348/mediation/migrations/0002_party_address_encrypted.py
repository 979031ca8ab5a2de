"""A party's home address is personal data: encrypt the column and the addresses already stored.

Reversible: rolling back decrypts the addresses into a plain 200-character column again.
"""

from django.db import migrations

import open12348.core.fields
from open12348.core.migration_ops import encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ("mediation", "0001_disputes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="party",
            name="address",
            field=open12348.core.fields.EncryptedTextField(blank=True, verbose_name="address"),
        ),
        encrypt_existing("mediation", "Party", "address"),
    ]

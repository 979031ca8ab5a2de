"""A person's home address encrypted at rest (existing rows encrypted in place); the ID number's
keyed hash indexed, since the front desk and the portal find returning applicants by it."""

from django.db import migrations, models

import open12348.core.fields
from open12348.core.migration_ops import encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ('legalaid', '0011_application_residence'),
    ]

    operations = [
        migrations.AlterField(
            model_name='person',
            name='address',
            field=open12348.core.fields.EncryptedTextField(blank=True, max_length=200, verbose_name='address'),
        ),
        encrypt_existing('legalaid', 'Person', 'address'),
        migrations.AlterField(
            model_name='person',
            name='id_number_hash',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
    ]

"""An SMS or e-mail text can carry a sign-in code, a tracking code or a name: encrypt it at rest.

The texts already stored are encrypted too. Reversible: rolling back decrypts them.
"""

from django.db import migrations

import open12348.core.fields
from open12348.core.migration_ops import encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_sending_channel_label"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outboundmessage",
            name="body",
            field=open12348.core.fields.EncryptedTextField(verbose_name="text"),
        ),
        encrypt_existing("notifications", "OutboundMessage", "body"),
    ]

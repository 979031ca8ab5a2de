"""Archive anchors, and a controlled way through the append-only trigger for the purge.

On PostgreSQL the trigger function of 0002 is replaced: it still refuses every UPDATE, and refuses
DELETE unless the transaction has set `SET LOCAL open12348.audit_purge = 'on'`, which only
`audit.archive.audit_purge` does (after writing and verifying the archive; the purge is audited).
Anchors get their own trigger without any way through.
"""

from django.db import migrations, models

PURGE_ALLOWED = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('open12348.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit rows are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION audit_anchor_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit anchors are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_auditanchor;
CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_auditanchor
    FOR EACH ROW EXECUTE FUNCTION audit_anchor_append_only();
"""
NO_PURGE = """
DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_auditanchor;
DROP FUNCTION IF EXISTS audit_anchor_append_only();
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PURGE_ALLOWED)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_PURGE)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditAnchor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(verbose_name='purged at')),
                ('before', models.DateField(verbose_name='rows before')),
                ('first_id', models.BigIntegerField(verbose_name='first archived row')),
                ('last_id', models.BigIntegerField(unique=True, verbose_name='last archived row')),
                ('row_count', models.PositiveIntegerField(verbose_name='rows archived')),
                ('first_prev_hash', models.CharField(max_length=64)),
                ('last_hash', models.CharField(max_length=64)),
                ('file_name', models.CharField(max_length=255, verbose_name='archive file')),
                ('file_sha256', models.CharField(max_length=64, verbose_name='archive SHA-256')),
            ],
            options={
                'verbose_name': 'audit archive anchor',
                'ordering': ['-last_id'],
            },
        ),
        migrations.RunPython(create, drop),
    ]

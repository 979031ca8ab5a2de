"""The append-only, hash-chained audit log (等保三级 security audit; PIPL access records)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit rows cannot be changed")

    def delete(self):
        raise AuditImmutableError("audit rows cannot be deleted")

    def _raw_delete(self, using):
        raise AuditImmutableError("audit rows cannot be deleted")


class AuditEvent(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", _("Succeeded")
        FAILURE = "failure", _("Failed")
        DENIED = "denied", _("Refused")

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_constraint=False,
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("event"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("before and after"), default=dict, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    source_ip = models.CharField(_("source address"), max_length=45, blank=True)
    user_agent = models.CharField(_("client"), max_length=200, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit rows cannot be deleted")


class AuditChainHead(models.Model):
    """One row holding the last hash; locking it orders concurrent writers into one chain."""

    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash


class AuditAnchor(models.Model):
    """Where the chain starts after older rows were archived and purged (manage.py audit_archive).

    The remaining rows chain on from `last_hash`. Written once by the purge, never changed (a trigger
    refuses UPDATE and DELETE on PostgreSQL), and the purge's own audit row repeats `last_hash`, so an
    anchor slipped into the table by hand does not match the chain.
    """

    created_at = models.DateTimeField(_("purged at"))
    before = models.DateField(_("rows before"))
    first_id = models.BigIntegerField(_("first archived row"))
    last_id = models.BigIntegerField(_("last archived row"), unique=True)
    row_count = models.PositiveIntegerField(_("rows archived"))
    first_prev_hash = models.CharField(max_length=64)
    last_hash = models.CharField(max_length=64)
    file_name = models.CharField(_("archive file"), max_length=255)
    file_sha256 = models.CharField(_("archive SHA-256"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit archive anchor")
        ordering = ["-last_id"]

    def __str__(self) -> str:
        return f"{self.first_id}-{self.last_id} ({self.file_name})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("audit anchors cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit anchors cannot be deleted")

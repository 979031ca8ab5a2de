"""The audit log in the Django admin: read-only for the audit administrator, no bulk actions."""

from django.contrib import admin

from open12348.accounts.roles import Capability
from open12348.core.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    view_capability = Capability.AUDIT_VIEW
    list_display = ("id", "at", "actor_username", "action", "object_type", "object_id", "object_repr", "result",
                    "source_ip")
    list_filter = ("result",)
    search_fields = ("=actor_username", "=object_id", "^action")
    ordering = ("-id",)
    list_per_page = 50
    fields = readonly_fields = ("at", "actor_username", "action", "object_type", "object_id", "object_repr",
                                "changes", "result", "source_ip", "user_agent", "extra", "prev_hash", "hash")

    def get_actions(self, request):
        return {}  # not even "delete selected"

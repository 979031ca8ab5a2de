"""Read-only views of notifications and outgoing messages for the system's superusers.

Addresses are shown masked: the admin is for checking delivery, not for reading phone numbers.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from open12348.core.admin import ReadOnlyAdmin

from .backends import mask_address
from .models import Notification, OutboundMessage


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "recipient", "kind", "title", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "dedupe_key", "object_id")
    list_select_related = ("recipient",)
    readonly_fields = ("recipient", "kind", "title", "body", "url", "object_type", "object_id", "created_at",
                       "read_at", "dedupe_key")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "channel", "masked_to", "subject", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("dedupe_key",)
    exclude = ("to",)
    readonly_fields = ("channel", "masked_to", "subject", "body", "status", "attempts", "last_error", "created_at",
                       "last_attempt_at", "sent_at", "dedupe_key", "notification")

    @admin.display(description=_("to"))
    def masked_to(self, obj: OutboundMessage) -> str:
        return mask_address(obj.channel, obj.to)

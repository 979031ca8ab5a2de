"""Admin for the hotline's set-up: the hotline, its seats and shifts, the duty pool (plain reference
tables, audited by AuditedAdminMixin), and telephony clients, whose tokens are issued and revoked
only through the services. Calls, callbacks and the roster are worked in the console."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from open12348.accounts.roles import Capability
from open12348.core.admin import AuditedAdminMixin, CapabilityAdmin

from .models import Hotline, PoolMember, Seat, Shift, TelephonyClient
from .services.telephony import telephony_client_issue, telephony_client_revoke

MANAGE = Capability.HOTLINE_MANAGE


class _Managed(AuditedAdminMixin, CapabilityAdmin):
    view_capability = MANAGE
    add_capability = MANAGE
    change_capability = MANAGE


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0


@admin.register(Hotline)
class HotlineAdmin(_Managed):
    list_display = ("name", "region", "number", "callback_working_days", "callback_max_attempts", "sample_rate")
    list_select_related = ("region",)
    raw_id_fields = ("region",)
    inlines = (SeatInline, ShiftInline)


@admin.register(PoolMember)
class PoolMemberAdmin(_Managed):
    list_display = ("user", "hotline", "kind", "practitioner", "is_active")
    list_filter = ("hotline", "kind", "is_active")
    raw_id_fields = ("user", "practitioner")
    list_select_related = ("user", "hotline", "practitioner")


class TelephonyClientForm(forms.ModelForm):
    class Meta:
        model = TelephonyClient
        fields = ("hotline", "name")


@admin.register(TelephonyClient)
class TelephonyClientAdmin(CapabilityAdmin):
    """Adding a client issues its token and shows it once; revoking is an action."""

    view_capability = MANAGE
    add_capability = MANAGE
    form = TelephonyClientForm
    list_display = ("name", "hotline", "prefix", "is_active", "last_used_at", "created_by", "created_at")
    list_filter = ("is_active", "hotline")
    actions = ("revoke",)

    def get_readonly_fields(self, request, obj=None):
        return ("hotline", "name", "prefix", "is_active", "last_used_at", "revoked_at", "created_by") if obj else ()

    def save_model(self, request, obj, form, change) -> None:
        client, token = telephony_client_issue(actor=request.user, hotline=obj.hotline, name=obj.name)
        obj.pk, obj._state.adding = client.pk, False
        messages.warning(request, _("The token of %(name)s, shown only now: %(token)s") % {
            "name": client.name, "token": token})

    @admin.action(description=_("Revoke the selected telephony systems' tokens"))
    def revoke(self, request, queryset) -> None:
        for client in queryset:
            telephony_client_revoke(actor=request.user, client=client)

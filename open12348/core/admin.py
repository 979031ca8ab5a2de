"""Admin building blocks shared by every app, and the read-only Job admin.

The Django admin follows the same role × capability table as the console (accounts/roles.py)
rather than Django's per-model permissions, so there is one answer to "who may do what". It is
a back-office tool: domain records are edited in the console through services, and whatever the
admin does change is audited here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction

from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record, snapshot
from open12348.core.errors import ApplicationError

from .calendar_store import calendar_day_remove, calendar_day_set, calendar_year_set
from .models import CalendarDay, CalendarYear, Job


def admin_allowed(request, capability: str | None) -> bool:
    """Superusers may do anything the admin offers; others need the capability. None: superuser only."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return capability is not None and user.can(capability)


class CapabilityAdmin(admin.ModelAdmin):
    """ModelAdmin whose permissions come from capabilities. Deleting is off unless a subclass allows it."""

    view_capability: str | None = None
    add_capability: str | None = None
    change_capability: str | None = None
    show_full_result_count = False  # no second COUNT(*) over large tables

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return admin_allowed(request, self.view_capability) or self.has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return admin_allowed(request, self.add_capability)

    def has_change_permission(self, request, obj=None) -> bool:
        return admin_allowed(request, self.change_capability)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(CapabilityAdmin):
    """Look, never touch: no add, change or delete, and no bulk actions."""

    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedAdminMixin:
    """Writes an audit row for each save and delete the admin performs on a plain reference table."""

    def _audit_action(self, obj, verb: str) -> str:
        return f"admin.{obj._meta.label_lower}.{verb}"

    def save_model(self, request, obj, form, change) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            self.perform_save(request, obj, form, change)
            after = snapshot(obj)
            if change:
                changed = {k for k in after if before.get(k) != after[k]}
                changes = {"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}}
            else:
                changes = {"after": after}
            audit_record(actor=request.user, action=self._audit_action(obj, "update" if change else "create"),
                         obj=obj, changes=changes)

    def perform_save(self, request, obj, form, change) -> None:
        """The write itself; override to go through a service instead of `obj.save()`."""
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action=self._audit_action(obj, "delete"), obj=obj,
                         changes={"before": snapshot(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class _DryRun(Exception):
    pass


def dry_run(write: Callable[[], Any]) -> ApplicationError | None:
    """Run a service and roll it back; return its refusal, if any.

    Admin forms call this in `clean()` so that a service's rule (三员分立, password policy)
    shows as a form error next to the field, while the rule itself stays in one place: the
    service, which `save_model` then calls for real.
    """
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except _DryRun:
        return None
    except ApplicationError as exc:
        return exc


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    view_capability = Capability.NETWORK_MANAGE
    list_display = ("id", "kind", "status", "progress", "total", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("kind", "message")
    readonly_fields = ("kind", "status", "created_by", "params", "input_file", "output_file", "progress", "total",
                       "message", "result", "started_at", "finished_at", "created_at", "updated_at")


# --- the legal-day calendar ----------------------------------------------------------------------
# Later years' State Council arrangements are entered here. Every write goes through the services in
# calendar_store, which audit it; deadlines pick the change up on their next computation.


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "kind", "name", "note")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        day = cleaned.get("date") or self.instance.date
        refusal = dry_run(lambda: calendar_day_set(actor=None, date=day, kind=cleaned["kind"],
                                                   name=cleaned["name"], note=cleaned.get("note", "")))
        if refusal is not None:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(CapabilityAdmin):
    view_capability = Capability.NETWORK_VIEW
    add_capability = Capability.NETWORK_MANAGE
    change_capability = Capability.NETWORK_MANAGE
    form = CalendarDayForm
    list_display = ("date", "kind", "name", "note", "created_by", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    list_select_related = ("created_by",)

    def get_readonly_fields(self, request, obj=None):
        # A day is known by its date: to move one, delete it and add the right date.
        return ("date", "created_by", "created_at", "updated_at") if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        saved = calendar_day_set(actor=request.user, date=obj.date, kind=obj.kind, name=obj.name, note=obj.note)
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj) -> None:
        calendar_day_remove(actor=request.user, date=obj.date)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for day in queryset.values_list("date", flat=True):
                calendar_day_remove(actor=request.user, date=day)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ("year", "complete", "source")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        year = cleaned.get("year") or self.instance.year
        refusal = dry_run(lambda: calendar_year_set(actor=None, year=year, complete=cleaned.get("complete", False),
                                                    source=cleaned.get("source", "")))
        if refusal is not None:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(CapabilityAdmin):
    view_capability = Capability.NETWORK_VIEW
    add_capability = Capability.NETWORK_MANAGE
    change_capability = Capability.NETWORK_MANAGE
    form = CalendarYearForm
    list_display = ("year", "complete", "source", "updated_at")
    list_filter = ("complete",)

    def get_readonly_fields(self, request, obj=None):
        return ("year", "created_at", "updated_at") if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        saved = calendar_year_set(actor=request.user, year=obj.year, complete=obj.complete, source=obj.source)
        obj.pk = saved.pk
        obj._state.adding = False

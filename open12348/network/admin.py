"""The service network in the Django admin.

Reference vocabularies (services, specialties) are kept here, audited. Divisions are read-only
except to a superuser, and are written through `region_upsert` so their paths stay right.
Institutions and practitioners are read-only lists: they are edited in the console, through the
services and with data scope. Practitioners' ID numbers and mobiles are not in the admin at all.
"""

from django.contrib import admin

from open12348.accounts.roles import Capability
from open12348.accounts.scope import restrict_to_regions
from open12348.core.admin import AuditedAdminMixin, CapabilityAdmin, ReadOnlyAdmin

from .models import Institution, Practitioner, Region, ServicePoint, ServiceType, Specialty
from .services import region_upsert


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, CapabilityAdmin):
    view_capability = Capability.NETWORK_VIEW  # add/change: superuser only (capability None)
    list_display = ("code", "name", "level", "parent", "path")
    list_filter = ("level",)
    search_fields = ("^code", "name")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)

    def get_fields(self, request, obj=None):
        return ("code", "name", "level", "parent") if obj is None else ("code", "name", "level", "parent", "path",
                                                                        "depth")

    def get_readonly_fields(self, request, obj=None):
        # Renaming is allowed; moving a division would change every path below it.
        return () if obj is None else ("code", "level", "parent", "path", "depth")

    def perform_save(self, request, obj, form, change) -> None:
        region, _ = region_upsert(code=obj.code, name=obj.name, level=obj.level, parent=obj.parent)
        obj.pk, obj.path, obj.depth = region.pk, region.path, region.depth
        obj._state.adding = False


class VocabularyAdmin(AuditedAdminMixin, CapabilityAdmin):
    view_capability = Capability.NETWORK_VIEW
    add_capability = Capability.NETWORK_MANAGE
    change_capability = Capability.NETWORK_MANAGE
    list_display = ("code", "name", "sort_order")
    search_fields = ("code", "name")
    ordering = ("sort_order", "code")


admin.site.register(ServiceType, VocabularyAdmin)
admin.site.register(Specialty, VocabularyAdmin)


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    view_capability = Capability.NETWORK_VIEW
    list_display = ("name", "kind", "region", "phone", "is_public")
    list_filter = ("kind", "is_public")
    search_fields = ("name", "^name_initials", "credit_code")
    list_select_related = ("region",)
    fields = ("kind", "name", "credit_code", "licence_no", "region", "service_point", "address", "phone",
              "opening_hours", "services", "description", "is_public", "created_at", "updated_at")

    def get_queryset(self, request):
        return restrict_to_regions(super().get_queryset(request), user=request.user)


@admin.register(Practitioner)
class PractitionerAdmin(ReadOnlyAdmin):
    view_capability = Capability.NETWORK_VIEW
    list_display = ("name", "kind", "licence_no", "institution", "region", "is_public")
    list_filter = ("kind", "is_public")
    search_fields = ("name", "^name_initials", "=licence_no")
    list_select_related = ("region", "institution")
    # id_number, mobile and their hashes are deliberately absent: see the console's audited reveal.
    fields = ("kind", "name", "sex", "licence_no", "institution", "region", "service_point", "specialties",
              "practice_since", "languages", "duty_hours", "profile", "is_public", "created_at", "updated_at")

    def get_queryset(self, request):
        qs = super().get_queryset(request).defer("id_number", "mobile", "id_number_hash", "mobile_hash")
        return restrict_to_regions(qs, user=request.user)


@admin.register(ServicePoint)
class ServicePointAdmin(ReadOnlyAdmin):
    view_capability = Capability.NETWORK_VIEW
    list_display = ("name", "kind", "partner_body", "region", "is_public")
    list_filter = ("kind", "partner_body")
    search_fields = ("name", "address")
    list_select_related = ("region",)

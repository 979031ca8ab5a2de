"""Writes to the service network. Views, the API, imports and the demo seed all come through here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record, changes_from, snapshot
from open12348.core.crypto import blind_index
from open12348.core.errors import ApplicationError
from open12348.core.idnumber import parse_id_number
from open12348.core.services import model_update

from .choices import LICENCE_PATTERNS, LICENCE_REQUIRED, REGION_LEVEL_DEPTH, PractitionerKind, RegionLevel
from .models import Institution, Practitioner, Region, ServicePoint
from .pinyin import pinyin_keys

INSTITUTION_FIELDS = [
    "kind", "name", "credit_code", "licence_no", "region", "service_point", "address", "phone",
    "opening_hours", "description", "is_public", "services",
]
PRACTITIONER_FIELDS = [
    "kind", "name", "sex", "licence_no", "institution", "region", "service_point", "practice_since",
    "languages", "duty_hours", "profile", "is_public", "id_number", "mobile", "specialties",
]
PRACTITIONER_PROTECTED = ("id_number", "mobile")
PRIVATE_VIEW_ACTION = "network.practitioner.view_private"


# --- regions -------------------------------------------------------------------------------

def region_path(*, code: str, parent: Region | None) -> str:
    return f"{parent.path if parent else ''}{code}/"


@transaction.atomic
def region_upsert(*, code: str, name: str, level: str, parent: Region | None) -> tuple[Region, bool]:
    """Create or rename a division. Used by the division loader; divisions change rarely."""
    if level not in RegionLevel.values:
        raise ApplicationError(_("Unknown region level: %(level)s") % {"level": level}, field="level")
    path = region_path(code=code, parent=parent)
    region, created = Region.objects.get_or_create(
        code=code,
        defaults={"name": name, "level": level, "parent": parent, "path": path, "depth": REGION_LEVEL_DEPTH[level]},
    )
    if not created and (region.name, region.level, region.parent_id, region.path) != (name, level, parent and parent.pk, path):
        region.name, region.level, region.parent, region.path = name, level, parent, path
        region.depth = REGION_LEVEL_DEPTH[level]
        region.save()
    return region, created


# --- validation shared by forms, the API and imports ---------------------------------------

def validate_licence(*, kind: str, licence_no: str) -> str:
    """Return the cleaned number or raise ApplicationError on the `licence_no` field."""
    licence_no = (licence_no or "").strip().upper()
    pattern = LICENCE_PATTERNS.get(kind)
    if pattern is None:
        return licence_no
    if not licence_no:
        raise ApplicationError(
            _("A %(kind)s must have a licence number.") % {"kind": PractitionerKind(kind).label},
            code="licence_required", field="licence_no",
        )
    if not pattern.match(licence_no):
        if kind == PractitionerKind.LAWYER:
            message = _("A lawyer's licence number has 17 digits.")
        else:
            message = _("A licence number is 8 to 20 digits.")
        raise ApplicationError(message, code="licence_format", field="licence_no")
    return licence_no


def _check_licence_unique(*, kind: str, licence_no: str, exclude_pk: int | None) -> None:
    if not licence_no:
        return
    qs = Practitioner.objects.filter(kind=kind, licence_no=licence_no)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ApplicationError(
            _("Another %(kind)s already has licence number %(no)s.") % {"kind": PractitionerKind(kind).label, "no": licence_no},
            code="licence_taken", field="licence_no",
        )


def _clean_practitioner(data: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    data = dict(data)
    kind = data.get("kind")
    if kind not in PractitionerKind.values:
        raise ApplicationError(_("Choose a kind of practitioner."), code="kind_required", field="kind")
    if "licence_no" in data or kind in LICENCE_REQUIRED:
        data["licence_no"] = validate_licence(kind=kind, licence_no=data.get("licence_no", ""))
        _check_licence_unique(kind=kind, licence_no=data["licence_no"], exclude_pk=exclude_pk)
    if data.get("id_number"):
        try:
            parsed = parse_id_number(data["id_number"])
        except ValueError as exc:
            raise ApplicationError(_("This is not a valid 18-digit ID number."), code="id_number_invalid",
                                   field="id_number") from exc
        data["id_number"] = parsed.value
        if not data.get("sex"):
            data["sex"] = parsed.sex
        elif data["sex"] != parsed.sex:
            raise ApplicationError(_("The sex does not match the ID number."), code="sex_mismatch", field="sex")
    if data.get("mobile"):
        mobile = str(data["mobile"]).strip()
        if not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
            raise ApplicationError(_("A mobile number has 11 digits and starts with 1."), code="mobile_invalid",
                                   field="mobile")
        data["mobile"] = mobile
    institution = data.get("institution")
    if institution is not None and not data.get("region"):
        data["region"] = institution.region
    if not data.get("region"):
        raise ApplicationError(_("Choose a region or an institution."), code="region_required", field="region")
    since = data.get("practice_since")
    if since is not None and not (1950 <= int(since) <= 2100):
        raise ApplicationError(_("Enter the year practice began, such as 2015."), code="year_invalid",
                               field="practice_since")
    return data


def practitioner_derive_keys(instance: Practitioner) -> None:
    instance.name_pinyin, instance.name_initials = pinyin_keys(instance.name)
    instance.id_number_hash = blind_index(instance.id_number, purpose="id_number")
    instance.mobile_hash = blind_index(instance.mobile, purpose="phone")


# --- institutions --------------------------------------------------------------------------

def _clean_institution(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if not (data.get("name") or "").strip():
        raise ApplicationError(_("Enter the institution's name."), code="name_required", field="name")
    data["name"] = data["name"].strip()
    if not data.get("region"):
        raise ApplicationError(_("Choose the region the institution is in."), code="region_required", field="region")
    code = (data.get("credit_code") or "").strip().upper()
    if code and len(code) != 18:
        raise ApplicationError(_("A unified social credit code has 18 characters."), code="credit_code_format",
                               field="credit_code")
    data["credit_code"] = code
    return data


@transaction.atomic
def institution_create(*, actor, data: dict[str, Any]) -> Institution:
    data = _clean_institution(data)
    if data["credit_code"] and Institution.objects.filter(credit_code=data["credit_code"]).exists():
        raise ApplicationError(_("An institution with this credit code already exists."), code="credit_code_taken",
                               field="credit_code")
    services = data.pop("services", [])
    institution = Institution(**{k: v for k, v in data.items() if k in INSTITUTION_FIELDS})
    institution.name_pinyin, institution.name_initials = pinyin_keys(institution.name)
    institution.full_clean(exclude=["service_point"])
    institution.save()
    institution.services.set(services)
    audit_record(actor=actor, action="network.institution.create", obj=institution,
                 changes={"after": snapshot(institution)})
    return institution


@transaction.atomic
def institution_update(*, actor, institution: Institution, data: dict[str, Any]) -> Institution:
    data = _clean_institution({**{"name": institution.name, "region": institution.region}, **data})
    if data["credit_code"] and Institution.objects.filter(credit_code=data["credit_code"]).exclude(
        pk=institution.pk
    ).exists():
        raise ApplicationError(_("An institution with this credit code already exists."), code="credit_code_taken",
                               field="credit_code")
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if data.get("name") and data["name"] != institution.name:
        data["name_pinyin"], data["name_initials"] = pinyin_keys(data["name"])
    institution, updated, diff = model_update(
        instance=institution, fields=[*INSTITUTION_FIELDS, "name_pinyin", "name_initials"], data=data
    )
    if updated:
        audit_record(actor=actor, action="network.institution.update", obj=institution, changes=changes_from(diff))
    return institution


# --- practitioners -------------------------------------------------------------------------

@transaction.atomic
def practitioner_create(*, actor, data: dict[str, Any]) -> Practitioner:
    data = _clean_practitioner(data)
    specialties = data.pop("specialties", [])
    practitioner = Practitioner(**{k: v for k, v in data.items() if k in PRACTITIONER_FIELDS})
    practitioner_derive_keys(practitioner)
    practitioner.save()
    practitioner.specialties.set(specialties)
    audit_record(actor=actor, action="network.practitioner.create", obj=practitioner,
                 changes={"after": snapshot(practitioner)})
    return practitioner


@transaction.atomic
def practitioner_update(*, actor, practitioner: Practitioner, data: dict[str, Any]) -> Practitioner:
    practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    merged = {"kind": practitioner.kind, "region": practitioner.region, **data}
    if "licence_no" not in data:
        merged["licence_no"] = practitioner.licence_no
    data = _clean_practitioner(merged, exclude_pk=practitioner.pk)
    practitioner, updated, diff = model_update(instance=practitioner, fields=PRACTITIONER_FIELDS, data=data)
    if updated:
        practitioner_derive_keys(practitioner)
        practitioner.save(update_fields=["name_pinyin", "name_initials", "id_number_hash", "mobile_hash"])
        audit_record(actor=actor, action="network.practitioner.update", obj=practitioner,
                     changes=changes_from(diff, protected=PRACTITIONER_PROTECTED))
    return practitioner


def practitioner_private_view(*, actor, practitioner: Practitioner) -> dict[str, str]:
    """The full ID number and mobile, for a user allowed to see them; every view is audited.

    A refusal is audited too and raises PermissionDenied. The audit row names the record and the
    fields, never the values.
    """
    if not user_can(actor, Capability.NETWORK_PRIVATE):
        audit_record(actor=actor, action="auth.permission_denied", obj=practitioner, result="denied",
                     extra={"capability": Capability.NETWORK_PRIVATE.value, "attempted": PRIVATE_VIEW_ACTION})
        raise PermissionDenied
    audit_record(actor=actor, action=PRIVATE_VIEW_ACTION, obj=practitioner,
                 extra={"fields": list(PRACTITIONER_PROTECTED)})
    return {"id_number": practitioner.id_number, "mobile": practitioner.mobile}


# --- service points ------------------------------------------------------------------------

@transaction.atomic
def service_point_create(*, actor, data: dict[str, Any]) -> ServicePoint:
    data = dict(data)
    services = data.pop("services", [])
    if not (data.get("name") or "").strip():
        raise ApplicationError(_("Enter the service point's name."), code="name_required", field="name")
    point = ServicePoint(**data)
    point.full_clean(exclude=["institution"])
    point.save()
    point.services.set(services)
    audit_record(actor=actor, action="network.service_point.create", obj=point, changes={"after": snapshot(point)})
    return point

"""Exports of institutions and practitioners in the import layout, blank templates and error reports.

An export re-imports cleanly: same headers, same values. Private columns (ID number, private
mobile) are never exported at all, whoever asks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from open12348.audit.services import audit_record
from open12348.core.models import Job

from .choices import InstitutionKind, PractitionerKind
from .imports import COLUMNS, FORMULA_STARTS, INSTITUTIONS, SEX_WORDS, Column
from .models import Institution, Practitioner, ServiceType, Specialty
from .selectors import institution_list_visible_to, practitioner_list_visible_to

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CHUNK = 2000


def export_columns(entity: str) -> tuple[Column, ...]:
    return tuple(c for c in COLUMNS[entity] if not c.private)


def export_queryset(*, entity: str, user, filters: dict[str, Any]) -> QuerySet:
    if entity == INSTITUTIONS:
        return institution_list_visible_to(user=user, filters=filters).prefetch_related("services")
    return practitioner_list_visible_to(user=user, filters=filters).prefetch_related("specialties")


def export_record(*, actor, entity: str, fmt: str, filters: dict[str, Any], count: int) -> None:
    audit_record(actor=actor, action="network.export", object_type=f"network.{entity}",
                 extra={"entity": entity, "format": fmt, "rows": count,
                        "filters": {k: v for k, v in filters.items() if v}})


def _label(choices, value: str) -> str:
    # The file layout is Chinese whatever language the user browses in.
    with translation.override(settings.LANGUAGE_CODE):
        return str(choices(value).label) if value in choices.values else value


def institution_values(institution: Institution) -> dict[str, str]:
    return {
        "name": institution.name,
        "kind": _label(InstitutionKind, institution.kind),
        "region": institution.region.code,
        "credit_code": institution.credit_code,
        "licence_no": institution.licence_no,
        "address": institution.address,
        "phone": institution.phone,
        "opening_hours": institution.opening_hours,
        "services": "、".join(s.name for s in institution.services.all()),
        "description": institution.description,
    }


def practitioner_values(practitioner: Practitioner) -> dict[str, str]:
    institution = practitioner.institution
    return {
        "name": practitioner.name,
        "kind": _label(PractitionerKind, practitioner.kind),
        "sex": SEX_WORDS.get(practitioner.sex, ""),
        "licence_no": practitioner.licence_no,
        "institution": (institution.credit_code or institution.name) if institution else "",
        "region": practitioner.region.code,
        "practice_since": str(practitioner.practice_since or ""),
        "specialties": "、".join(s.name for s in practitioner.specialties.all()),
        "languages": "、".join(practitioner.languages or []),
        "duty_hours": practitioner.duty_hours,
        "profile": practitioner.profile,
    }


def export_rows(*, entity: str, queryset: QuerySet) -> Iterator[list[str]]:
    """The header row, then one row per record, read in chunks so memory stays flat."""
    columns = export_columns(entity)
    values = institution_values if entity == INSTITUTIONS else practitioner_values
    yield [c.header for c in columns]
    for record in queryset.iterator(chunk_size=CHUNK):
        data = values(record)
        yield [data[c.field] for c in columns]


# --- writing files -------------------------------------------------------------------------

class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_safe(value: str) -> str:
    # A spreadsheet would run `=…` as a formula; the importer strips this apostrophe again.
    return f"'{value}" if value and value.startswith(FORMULA_STARTS) else value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text with a UTF-8 BOM, so Excel on Chinese Windows shows the characters right."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([_csv_safe(v) for v in row])


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[list[Any]]]]) -> bytes:
    """A workbook whose cells are all text, so long numbers keep every digit and nothing is a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        for index, row in enumerate(rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
                cell.data_type = "s"
                cell.number_format = "@"
                if index == 0:
                    cell.font = Font(bold=True)
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- templates and error reports -----------------------------------------------------------

def _example(entity: str, *, region_code: str) -> dict[str, str]:
    services = list(ServiceType.objects.values_list("name", flat=True)[:2])
    specialties = list(Specialty.objects.values_list("name", flat=True)[:2])
    if entity == INSTITUTIONS:
        return {
            "name": "河南鹰城律师事务所", "kind": _label(InstitutionKind, InstitutionKind.LAW_FIRM),
            "region": region_code, "credit_code": "31410000MD0000000X", "licence_no": "24104200000000",
            "address": "平顶山市新华区建设路100号", "phone": "0375-2000000",
            "opening_hours": "周一至周五 8:30-12:00 14:30-17:30", "services": "、".join(services),
            "description": "",
        }
    return {
        "name": "王德洲", "kind": _label(PractitionerKind, PractitionerKind.LAWYER), "sex": "男",
        "licence_no": "14104201012345678", "institution": "31410000MD0000000X", "region": region_code,
        "practice_since": "2012", "specialties": "、".join(specialties), "languages": "普通话、河南话",
        "duty_hours": "周三上午", "profile": "", "id_number": "", "mobile": "",
    }


def template_xlsx(*, entity: str, region_code: str) -> bytes:
    """A blank template: the header row, one example row to replace, and a sheet of allowed values."""
    columns = COLUMNS[entity]
    example = _example(entity, region_code=region_code)
    kinds = InstitutionKind if entity == INSTITUTIONS else PractitionerKind
    values: list[list[str]] = [[_("What"), _("Code"), _("Name")]]
    values += [[_("Kind"), value, _label(kinds, value)] for value in kinds.values]
    vocabulary = ServiceType if entity == INSTITUTIONS else Specialty
    what = _("Service") if entity == INSTITUTIONS else _("Specialty")
    values += [[what, item.code, item.name] for item in vocabulary.objects.all()]
    return xlsx_bytes([
        (_("Data"), [[c.header for c in columns], [example.get(c.field, "") for c in columns]]),
        (_("Allowed values"), values),
    ])


def error_report_xlsx(*, job: Job) -> bytes:
    errors = job.result.get("errors", [])
    rows: list[list[Any]] = [[_("Row"), _("Column"), _("Value"), _("Problem"), _("Code")]]
    rows += [[e["row"] or "", e["column"], e["value"], e["message"], e["code"]] for e in errors]
    return xlsx_bytes([(_("Problems"), rows)])


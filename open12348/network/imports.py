"""Bulk import of institutions and practitioners from .xlsx and .csv files.

The whole file is read and checked first. Only a file without a single bad row is applied, in one
transaction, through the same services the console uses, so every row leaves its own audit row.
A bad file imports nothing and leaves a row-by-row error report on its Job.
The column layout is documented in docs/import-format.md.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.core.jobservices import job_create, job_finish, job_progress, job_start
from open12348.core.masking import mask_id_number, mask_phone
from open12348.core.models import Job

from .choices import LICENCE_REQUIRED, InstitutionKind, PractitionerKind, Sex
from .models import Institution, Practitioner, Region, ServiceType, Specialty
from .selectors import institution_list_visible_to, practitioner_list_visible_to
from .services import (
    _clean_institution,
    _clean_practitioner,
    institution_create,
    institution_update,
    practitioner_create,
    practitioner_update,
    validate_licence,
)

log = logging.getLogger(__name__)

INSTITUTIONS = "institutions"
PRACTITIONERS = "practitioners"
ENTITIES = (INSTITUTIONS, PRACTITIONERS)
JOB_KIND_PREFIX = "network.import."
PROGRESS_EVERY = 200
MAX_REPORTED_ERRORS = 5000

# Archive limits for .xlsx (a zip of XML). Real workbooks within the row limit compress 5–20×.
MAX_ARCHIVE_MEMBERS = 2000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_ABOVE_BYTES = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format

LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- the column layout ---------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False  # the header must be present in the file
    private: bool = False  # never exported


INSTITUTION_COLUMNS: tuple[Column, ...] = (
    Column("机构名称", "name", required=True),
    Column("机构类型", "kind", required=True),
    Column("所在地区代码", "region", required=True),
    Column("统一社会信用代码", "credit_code"),
    Column("执业许可证号", "licence_no"),
    Column("地址", "address"),
    Column("联系电话", "phone"),
    Column("办公时间", "opening_hours"),
    Column("服务项目", "services"),
    Column("简介", "description"),
)
PRACTITIONER_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", required=True),
    Column("人员类型", "kind", required=True),
    Column("性别", "sex"),
    Column("执业证号", "licence_no"),
    Column("所属机构", "institution"),
    Column("所在地区代码", "region"),
    Column("执业起始年份", "practice_since"),
    Column("专长", "specialties"),
    Column("语言", "languages"),
    Column("值班时间", "duty_hours"),
    Column("简介", "profile"),
    Column("身份证号", "id_number", private=True),
    Column("手机号", "mobile", private=True),
)
COLUMNS = {INSTITUTIONS: INSTITUTION_COLUMNS, PRACTITIONERS: PRACTITIONER_COLUMNS}
SEX_WORDS = {"M": "男", "F": "女"}


def normalise_header(text: str) -> str:
    """`所属机构（统一社会信用代码或名称）*` → `所属机构`: explanations and required marks are allowed."""
    text = re.split(r"[(（]", str(text or ""), maxsplit=1)[0]
    return text.strip().rstrip("*＊").strip()


# --- errors --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    """One problem, located as Excel shows it. Row 1 is the header row; 0 means the whole file."""

    row: int
    column: str
    value: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _file_error(message: str, *, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, field="file")


def _shown_value(field: str, value: str) -> str:
    """Reports are stored on the Job: personal numbers are masked there like everywhere else."""
    value = str(value or "")[:200]
    if field == "id_number":
        return mask_id_number(value)
    if field == "mobile":
        return mask_phone(value)
    return value


# --- reading files -------------------------------------------------------------------------

def inspect_upload(*, data: bytes) -> str:
    """Return "xlsx" or "csv" judged by content, or raise ApplicationError (field "file")."""
    if not data:
        raise _file_error(_("The file is empty."), code="file_empty")
    if len(data) > settings.IMPORT_MAX_FILE_BYTES:
        raise _file_error(
            _("The file is larger than %(limit)d MB.") % {"limit": settings.IMPORT_MAX_FILE_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    if data.startswith(ZIP_MAGIC):
        _check_workbook_archive(data)
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        raise _file_error(_("This is an old-style .xls workbook. Save it as .xlsx and upload it again."),
                          code="file_xls")
    decode_text(data)
    return "csv"


def _check_workbook_archive(data: bytes) -> None:
    """Refuse zip bombs before openpyxl opens anything.

    Python's zip reader never inflates a member beyond the size its directory declares, so the
    declared sizes checked here bound what openpyxl can be made to read.
    """
    not_excel = _file_error(_("This file is not an Excel workbook (.xlsx) or a CSV file."), code="file_type")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise not_excel from exc
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise not_excel
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    limit = getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 10 * settings.IMPORT_MAX_FILE_BYTES)
    if unpacked > limit or (unpacked > RATIO_CHECK_ABOVE_BYTES and unpacked > MAX_COMPRESSION_RATIO * packed):
        raise _file_error(_("This workbook expands to far more data than its size suggests and was refused."),
                          code="file_bomb")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_excel


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which Excel on Chinese Windows writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL_CHARACTERS.search(text):
            break  # a binary file that happens to decode
        return text
    raise _file_error(_("This file is not an Excel workbook (.xlsx) or a CSV file."), code="file_type")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value).strip()
    # Our exports write '=… to stop spreadsheets running a cell as a formula; undo that.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign zip
        raise _file_error(_("This Excel file could not be read. Open it in Excel and save it again."),
                          code="file_unreadable") from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode_text(data)
    try:
        for values in csv.reader(io.StringIO(text, newline="")):
            yield [_cell_text(v) for v in values]
    except csv.Error as exc:
        raise _file_error(_("This CSV file could not be read: %(reason)s") % {"reason": exc}, code="file_unreadable") from exc


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as Excel shows it, header → text)


def read_table(*, data: bytes, fmt: str, columns: tuple[Column, ...]) -> Table:
    """Read the first sheet; check the header row; skip blank rows; enforce the row limit."""
    source = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    header_cells = next(source, None)
    if header_cells is None:
        raise _file_error(_("The file has no header row."), code="no_header")
    headers = [normalise_header(h) for h in header_cells]
    known = {c.header for c in columns}
    named = [h for h in headers if h]
    unknown = [h for h in named if h not in known]
    if unknown:
        raise _file_error(_("Unknown column: %(names)s. Use the headers of the template.") % {"names": "、".join(unknown)},
                          code="unknown_column")
    repeated = sorted({h for h in named if named.count(h) > 1})
    if repeated:
        raise _file_error(_("This column appears twice: %(names)s.") % {"names": "、".join(repeated)},
                          code="repeated_column")
    missing = [c.header for c in columns if c.required and c.header not in named]
    if missing:
        raise _file_error(_("Required column missing: %(names)s.") % {"names": "、".join(missing)},
                          code="missing_column")
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(source, start=2):
        if not any(cells):
            continue
        if len(rows) >= settings.IMPORT_MAX_ROWS:
            raise _file_error(_("The file has more than %(limit)d rows. Split it into smaller files.")
                              % {"limit": settings.IMPORT_MAX_ROWS}, code="too_many_rows")
        rows.append((number, {h: v for h, v in zip(headers, cells, strict=False) if h}))
    if not rows:
        raise _file_error(_("The file has no rows to import."), code="no_rows")
    return Table(headers=named, rows=rows)


# --- what rows refer to --------------------------------------------------------------------

def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Accept a code or its label in any configured language (a Chinese label once translated)."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        for language in [None, *(code for code, _name in settings.LANGUAGES)]:
            with translation.override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


def _vocabulary(model: type[ServiceType] | type[Specialty]) -> dict[str, list]:
    lookup: dict[str, list] = {}
    for item in model.objects.all():
        lookup.setdefault(item.code.lower(), []).append(item)
        if item.name.lower() != item.code.lower():
            lookup.setdefault(item.name.strip().lower(), []).append(item)
    return lookup


def split_list(text: str) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]


class Lookups:
    """Everything the rows of one file refer to, read once and limited to the user's area."""

    def __init__(self, *, user) -> None:
        self.user = user
        self.paths = region_paths_for(user)
        self.institution_kinds = _choice_lookup(InstitutionKind)
        self.practitioner_kinds = _choice_lookup(PractitionerKind)
        self.sexes = {**_choice_lookup(Sex), "男": Sex.MALE, "女": Sex.FEMALE}
        self.services = _vocabulary(ServiceType)
        self.specialties = _vocabulary(Specialty)
        self._regions: dict[str, Region | None] = {}
        self._institutions: dict[str, list[Institution]] = {}

    def in_scope(self, region: Region) -> bool:
        return self.paths is None or any(region.path.startswith(p) for p in self.paths)

    def region(self, code: str) -> Region | None:
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(code=code).first()
        return self._regions[code]

    def institutions(self, ref: str) -> list[Institution]:
        """By credit code, else by exact name, among the institutions the user can see."""
        if ref not in self._institutions:
            visible = institution_list_visible_to(user=self.user)
            found = list(visible.filter(credit_code=ref.upper())[:2]) if len(ref) == 18 else []
            self._institutions[ref] = found or list(visible.filter(name=ref)[:2])
        return self._institutions[ref]


# --- checking one row ----------------------------------------------------------------------

class Row:
    """One data row while it is checked: its cells and the problems found so far."""

    def __init__(self, *, number: int, cells: dict[str, str], columns: tuple[Column, ...]) -> None:
        self.number = number
        self.cells = cells
        self.errors: list[RowError] = []
        self._headers = {c.field: c.header for c in columns}

    def get(self, field: str) -> str:
        return self.cells.get(self._headers[field], "")

    def fail(self, field: str | None, code: str, message: str) -> None:
        header = self._headers.get(field or "", "")
        value = _shown_value(field or "", self.get(field)) if header else ""
        self.errors.append(RowError(row=self.number, column=header, value=value, code=code, message=str(message)))

    def fail_from(self, exc: ApplicationError | ValidationError) -> None:
        if isinstance(exc, ApplicationError):
            self.fail(exc.field, exc.code, exc.message)
            return
        problems = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
        for field, messages in problems:
            self.fail(field, "invalid", " ".join(messages))

    def texts(self, data: dict[str, Any], model: type[models.Model], fields: tuple[str, ...]) -> None:
        """Copy non-empty text cells into `data`, refusing what the database column cannot hold."""
        for field in fields:
            value = self.get(field)
            if not value:
                continue
            limit = getattr(model._meta.get_field(field), "max_length", None)
            if limit and len(value) > limit:
                self.fail(field, "too_long", _("This is too long: at most %(limit)d characters.") % {"limit": limit})
            else:
                data[field] = value

    def choice(self, field: str, lookup: dict[str, str], message: str) -> str | None:
        value = self.get(field)
        if not value:
            return None
        found = lookup.get(value.lower())
        if found is None:
            self.fail(field, f"{field}_invalid", message % {"value": value})
        return found

    def region(self, lookups: Lookups) -> Region | None:
        code = self.get("region")
        if not code:
            return None
        region = lookups.region(code)
        if region is None:
            self.fail("region", "region_unknown", _("There is no region with division code %(code)s.") % {"code": code})
        elif not lookups.in_scope(region):
            self.fail("region", "out_of_scope", _("This region is outside the area you manage."))
            return None
        return region

    def vocabulary(self, field: str, lookup: dict[str, list], unknown: str) -> list:
        items = []
        for word in split_list(self.get(field)):
            found = lookup.get(word.lower(), [])
            if len(found) != 1:
                self.fail(field, f"{field}_unknown", unknown % {"value": word})
            else:
                items.append(found[0])
        return items


@dataclass
class RowPlan:
    row: int
    data: dict[str, Any]
    existing: models.Model | None


class _Seen:
    """Keys already used by earlier rows of the same file, to catch duplicates inside it."""

    def __init__(self) -> None:
        self._keys: dict[tuple, int] = {}

    def first_row(self, key: tuple, row: int) -> int | None:
        earlier = self._keys.get(key)
        if earlier is None:
            self._keys[key] = row
        return earlier


def plan_institution(row: Row, lookups: Lookups, seen: _Seen) -> RowPlan | None:
    data: dict[str, Any] = {}
    row.texts(data, Institution, ("name", "credit_code", "licence_no", "address", "phone", "opening_hours",
                                  "description"))
    if data.get("credit_code"):
        data["credit_code"] = data["credit_code"].upper()
    if not row.get("kind"):
        row.fail("kind", "kind_required", _("Choose a kind of institution."))
    kind = row.choice("kind", lookups.institution_kinds, _("Unknown kind of institution: %(value)s."))
    if kind:
        data["kind"] = kind
    region = row.region(lookups)
    if region:
        data["region"] = region
    services = row.vocabulary("services", lookups.services, _("Unknown service: %(value)s."))
    if services:
        data["services"] = services
    if row.errors:
        return None

    existing = _match_institution(row, data, lookups)
    if row.errors:
        return None
    try:
        if existing is not None:
            data.setdefault("credit_code", existing.credit_code)  # an empty cell never erases
            _clean_institution({"name": existing.name, "region": existing.region, **data})
        else:
            _clean_institution(data)
    except ApplicationError as exc:
        row.fail_from(exc)
        return None

    if data.get("credit_code"):
        key = ("code", data["credit_code"])
        field, message = "credit_code", _("The same credit code is already on row %(row)d.")
    else:
        key = ("name", data.get("kind"), data.get("name"), getattr(data.get("region"), "pk", None))
        field, message = "name", _("The same institution is already on row %(row)d.")
    if not _unique_in_file(row, seen, key, existing, field, message):
        return None
    return RowPlan(row=row.number, data=data, existing=existing)


def _match_institution(row: Row, data: dict[str, Any], lookups: Lookups) -> Institution | None:
    if data.get("credit_code"):
        existing = Institution.objects.select_related("region").filter(credit_code=data["credit_code"]).first()
        if existing is not None and not lookups.in_scope(existing.region):
            row.fail("credit_code", "out_of_scope",
                     _("An institution with this credit code exists outside the area you manage."))
        return existing
    if not (data.get("name") and data.get("region")):
        return None
    found = list(institution_list_visible_to(user=lookups.user).filter(
        kind=data["kind"], name=data["name"], region=data["region"])[:2])
    if len(found) > 1:
        row.fail("name", "ambiguous_match",
                 _("Several institutions in this region have this name; add the credit code to say which one."))
        return None
    return found[0] if found else None


def plan_practitioner(row: Row, lookups: Lookups, seen: _Seen) -> RowPlan | None:
    data: dict[str, Any] = {}
    row.texts(data, Practitioner, ("name", "licence_no", "duty_hours", "profile"))
    for field in ("id_number", "mobile"):  # encrypted text columns: no length limit of their own
        if row.get(field):
            data[field] = row.get(field)
    kind = row.choice("kind", lookups.practitioner_kinds, _("Unknown kind of practitioner: %(value)s."))
    if kind:
        data["kind"] = kind
    sex = row.choice("sex", lookups.sexes, _("Enter 男 (male) or 女 (female), not %(value)s."))
    if sex:
        data["sex"] = sex
    institution = _institution_ref(row, lookups)
    if institution is not None:
        data["institution"] = institution
    region = row.region(lookups) or (institution.region if institution is not None else None)
    if region is not None:
        data["region"] = region
    year = row.get("practice_since")
    if year:
        try:
            data["practice_since"] = int(float(year))
        except (ValueError, OverflowError):
            row.fail("practice_since", "year_invalid", _("Enter the year practice began, such as 2015."))
    specialties = row.vocabulary("specialties", lookups.specialties, _("Unknown specialty: %(value)s."))
    if specialties:
        data["specialties"] = specialties
    languages = split_list(row.get("languages"))
    if languages:
        data["languages"] = languages
    if row.errors:
        return None

    if kind and (kind in LICENCE_REQUIRED or data.get("licence_no")):
        try:
            data["licence_no"] = validate_licence(kind=kind, licence_no=data.get("licence_no", ""))
        except ApplicationError as exc:
            row.fail_from(exc)
            return None
    existing = _match_practitioner(row, data, lookups)
    if row.errors:
        return None
    try:
        if existing is not None:
            _clean_practitioner({"kind": existing.kind, "region": existing.region, **data}, exclude_pk=existing.pk)
        else:
            _clean_practitioner(data)
    except ApplicationError as exc:
        row.fail_from(exc)
        return None

    if data.get("licence_no"):
        key = ("licence", data["kind"], data["licence_no"])
        field, message = "licence_no", _("The same licence number is already on row %(row)d.")
    else:
        key = ("person", data.get("kind"), data.get("name"), getattr(institution, "pk", None),
               getattr(data.get("region"), "pk", None))
        field, message = "name", _("The same person is already on row %(row)d.")
    if not _unique_in_file(row, seen, key, existing, field, message):
        return None
    return RowPlan(row=row.number, data=data, existing=existing)


def _institution_ref(row: Row, lookups: Lookups) -> Institution | None:
    ref = row.get("institution")
    if not ref:
        return None
    found = lookups.institutions(ref)
    if not found:
        row.fail("institution", "institution_unknown",
                 _("No institution in your area has this credit code or name."))
        return None
    if len(found) > 1:
        row.fail("institution", "institution_ambiguous",
                 _("Several institutions have this name; write the credit code instead."))
        return None
    return found[0]


def _match_practitioner(row: Row, data: dict[str, Any], lookups: Lookups) -> Practitioner | None:
    kind = data.get("kind")
    if not kind:
        return None
    if data.get("licence_no"):
        existing = Practitioner.objects.select_related("region").filter(kind=kind, licence_no=data["licence_no"]).first()
        if existing is not None and not lookups.in_scope(existing.region):
            row.fail("licence_no", "out_of_scope",
                     _("A practitioner with this licence number exists outside the area you manage."))
        return existing
    # Without a licence number a person is recognised by kind, name and institution (or region).
    if not data.get("name") or not data.get("region"):
        return None
    candidates = practitioner_list_visible_to(user=lookups.user).filter(kind=kind, name=data["name"], licence_no="")
    if data.get("institution") is not None:
        candidates = candidates.filter(institution=data["institution"])
    else:
        candidates = candidates.filter(institution__isnull=True, region=data["region"])
    found = list(candidates[:2])
    if len(found) > 1:
        row.fail("name", "ambiguous_match",
                 _("Several people of this kind have this name here; change them one by one in the console."))
        return None
    return found[0] if found else None


def _unique_in_file(row: Row, seen: _Seen, key: tuple, existing, field: str, message: str) -> bool:
    earlier = seen.first_row(key, row.number)
    if earlier is None and existing is not None:
        earlier = seen.first_row(("record", existing.pk), row.number)
    if earlier is not None:
        row.fail(field, "duplicate_in_file", message % {"row": earlier})
        return False
    return True


PLANNERS: dict[str, Callable[[Row, Lookups, _Seen], RowPlan | None]] = {
    INSTITUTIONS: plan_institution,
    PRACTITIONERS: plan_practitioner,
}


def validate_table(*, entity: str, table: Table, user, report: Callable[[int], None] | None = None,
                   ) -> tuple[list[RowPlan], list[RowError]]:
    """Check every row. Returns the plans for a clean file, or every problem found."""
    lookups, seen = Lookups(user=user), _Seen()
    columns, planner = COLUMNS[entity], PLANNERS[entity]
    plans: list[RowPlan] = []
    errors: list[RowError] = []
    for done, (number, cells) in enumerate(table.rows, start=1):
        row = Row(number=number, cells=cells, columns=columns)
        try:
            plan = planner(row, lookups, seen)
        except ValidationError as exc:
            row.fail_from(exc)
            plan = None
        if plan is not None:
            plans.append(plan)
        errors.extend(row.errors)
        if report:
            report(done)
    return plans, errors


def apply_plans(*, entity: str, plans: list[RowPlan], actor, report: Callable[[int], None] | None = None,
                ) -> dict[str, int]:
    """Write every row through the services. Call inside a transaction: any failure undoes all."""
    counts = {"created": 0, "updated": 0}
    for done, plan in enumerate(plans, start=1):
        try:
            _write(entity=entity, plan=plan, actor=actor)
        except (ApplicationError, ValidationError) as exc:
            row = Row(number=plan.row, cells={}, columns=COLUMNS[entity])
            row.fail_from(exc)
            raise _RowsRejected(row.errors) from exc
        counts["created" if plan.existing is None else "updated"] += 1
        if report:
            report(done)
    return counts


def _write(*, entity: str, plan: RowPlan, actor) -> None:
    data = dict(plan.data)
    if entity == INSTITUTIONS:
        if plan.existing is None:
            institution_create(actor=actor, data=data)
        else:
            institution_update(actor=actor, institution=plan.existing, data=data)
    elif plan.existing is None:
        practitioner_create(actor=actor, data=data)
    else:
        practitioner_update(actor=actor, practitioner=plan.existing, data=data)


class _RowsRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} row errors")
        self.errors = errors


class _AlreadyFinished(Exception):
    pass


# --- the job -------------------------------------------------------------------------------

@transaction.atomic
def import_job_create(*, actor, entity: str, filename: str, data: bytes, fmt: str, language: str) -> Job:
    """Keep the upload on a Job (so a failed file can be fetched, fixed and sent again)."""
    if entity not in ENTITIES:
        raise ApplicationError(_("Choose what the file holds."), code="entity_invalid", field="entity")
    job = job_create(
        kind=f"{JOB_KIND_PREFIX}{entity}",
        created_by=actor,
        params={"entity": entity, "filename": filename[-200:], "format": fmt, "language": language},
        input_file=ContentFile(data, name=f"{entity}.{fmt}"),
    )
    audit_record(actor=actor, action="network.import.upload", obj=job,
                 extra={"entity": entity, "filename": filename[-200:], "bytes": len(data)})
    return job


def import_jobs_of(*, user):
    return Job.objects.filter(created_by=user, kind__startswith=JOB_KIND_PREFIX) if user.is_authenticated else Job.objects.none()


def access_import_job(*, user, id: int) -> Job:
    """A user sees only their own import jobs; anyone else's is the same 404 as a missing one."""
    job = import_jobs_of(user=user).filter(pk=id).first()
    if job is None:
        raise Http404
    return job


def import_run(*, job_id: int) -> None:
    """Run one import job to its end. Safe to call again: a finished job is left alone."""
    job = Job.objects.select_related("created_by").filter(pk=job_id, kind__startswith=JOB_KIND_PREFIX).first()
    if job is None or job.is_finished:
        return
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            _run(job)
        except _AlreadyFinished:
            return
        except Exception:
            log.exception("import job %s failed", job_id)
            _finish_unless_finished(job_id, succeeded=False,
                                    message=_("The import stopped because of an internal error. Nothing was imported."))


def _run(job: Job) -> None:
    entity, actor = job.params.get("entity"), job.created_by
    job_start(job_id=job.pk)
    if actor is None or entity not in ENTITIES or not user_can(actor, Capability.NETWORK_MANAGE):
        _finish_unless_finished(job.pk, succeeded=False, message=_("You may no longer import records."))
        return
    with job.input_file.open("rb") as handle:
        data = handle.read()
    try:
        table = read_table(data=data, fmt=inspect_upload(data=data), columns=COLUMNS[entity])
    except ApplicationError as exc:
        _reject(job, actor=actor, rows=0, errors=[RowError(row=0, column="", value="", code=exc.code,
                                                           message=str(exc.message))])
        return

    total = len(table.rows)
    job_progress(job_id=job.pk, progress=0, total=2 * total, message=_("Checking the rows"))
    plans, errors = validate_table(entity=entity, table=table, user=actor, report=_Reporter(job.pk, total))
    if errors:
        _reject(job, actor=actor, rows=total, errors=errors)
        return

    job_progress(job_id=job.pk, progress=total, message=_("Importing"))
    try:
        with _progress_writer(job.pk) as write, transaction.atomic():
            counts = apply_plans(entity=entity, plans=plans, actor=actor,
                                 report=_Reporter(job.pk, total, offset=total, write=write))
            result = {"entity": entity, "rows": total, **counts}
            audit_record(actor=actor, action="network.import", obj=job, extra=result)
            _finish_in_transaction(job.pk, result=result, message=_("Imported %(rows)d rows.") % {"rows": total},
                                   progress=2 * total)
    except _RowsRejected as exc:
        _reject(job, actor=actor, rows=total, errors=exc.errors)


def _reject(job: Job, *, actor, rows: int, errors: list[RowError]) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="network.import", obj=job, result="failure",
                     extra={"entity": job.params.get("entity"), "rows": rows, "errors": len(errors)})
        result = {
            "entity": job.params.get("entity"),
            "rows": rows,
            "created": 0,
            "updated": 0,
            "error_count": len(errors),
            "errors": [e.as_dict() for e in errors[:MAX_REPORTED_ERRORS]],
        }
        message = ngettext(
            "Nothing was imported: %(count)d problem was found. Fix it and upload the file again.",
            "Nothing was imported: %(count)d problems were found. Fix them and upload the file again.",
            len(errors),
        ) % {"count": len(errors)}
        _finish_in_transaction(job.pk, result=result, message=message, succeeded=False)


def _finish_in_transaction(job_id: int, *, result: dict, message: str, succeeded: bool = True,
                           progress: int | None = None) -> None:
    # Lock the Job only now, after all progress writes, so a second worker that ran the same job
    # at the same time rolls back its copy instead of overwriting the first result.
    status = Job.objects.select_for_update().filter(pk=job_id).values_list("status", flat=True).first()
    if status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
        raise _AlreadyFinished
    if progress is not None:
        job_progress(job_id=job_id, progress=progress)
    job_finish(job_id=job_id, succeeded=succeeded, message=message, result=result)


def _finish_unless_finished(job_id: int, *, succeeded: bool, message: str) -> None:
    with transaction.atomic(), suppress(_AlreadyFinished):
        _finish_in_transaction(job_id, result={}, message=message, succeeded=succeeded)


class _Reporter:
    """Progress every PROGRESS_EVERY rows (and at the end of each phase)."""

    def __init__(self, job_id: int, total: int, *, offset: int = 0, write: Callable[[int], None] | None = None):
        self.job_id, self.total, self.offset = job_id, total, offset
        self.write = write or (lambda done: job_progress(job_id=job_id, progress=done))

    def __call__(self, done: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == self.total:
            self.write(self.offset + done)


@contextmanager
def _progress_writer(job_id: int):
    """How progress is written while the import transaction is open.

    Writes on the transaction's own connection stay invisible to the status page until commit.
    On PostgreSQL a second, autocommitting connection makes them visible at once. SQLite allows
    one writer at a time, and inside an outer transaction (tests) there is nothing to gain, so
    there the ordinary connection is used and the bar moves at commit.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield lambda done: job_progress(job_id=job_id, progress=done)
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = side.ops.quote_name(Job._meta.db_table)
    sql = f"UPDATE {table} SET progress = %s, updated_at = %s WHERE id = %s"  # noqa: S608 (table name from the model)

    def write(done: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(sql, [done, timezone.now(), job_id])

    try:
        yield write
    finally:
        side.close()

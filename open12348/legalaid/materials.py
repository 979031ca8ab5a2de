"""Case materials uploaded for an application (ID copies, proof of status, evidence) and their receipt.

A file is accepted only for what its bytes are (PDF, JPEG, PNG or a Word .docx), never for its
name or the browser's content type; it is stored under its content hash, never under the
user's name. The order of work keeps the database and the file store in step:

1. every check (size, type, archive limits, antivirus hook, duplicate) before anything is written;
2. the file is written; if the store fails, nothing else is written and the user is told;
3. the row, timeline event and audit row are written in one transaction; if that fails the file
   is removed again, so no Material ever points at a missing file.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError

from .choices import Channel, MaterialKind
from .documents import (
    MATERIAL_RECEIPT,
    chinese_date,
    document_issue,
    ensure_visible,
    is_assigned_lawyer,
    storage_failed_message,
)
from .models import Application, ApplicationEvent, Document, Material
from .services_cases import case_accepts_materials

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A .docx is a zip of XML. Real documents compress 3–20×; a zip bomb compresses thousands of times.
MAX_ARCHIVE_MEMBERS = 1000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_ABOVE_BYTES = 1024 * 1024
DEFAULT_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
FILE_NAME_LENGTH = 150
UNSAFE_NAME_CHARACTERS = re.compile(r'[\\/:*?"<>|]+')


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", ".pdf")
JPEG = FileType("image/jpeg", ".jpg")
PNG = FileType("image/png", ".png")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
FILE_TYPES = (PDF, JPEG, PNG, DOCX)

SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
ZIP_MAGIC = b"PK\x03\x04"


class MaterialRejected(Exception):
    """What a MATERIAL_SCANNER raises when it finds a threat. Any other exception means it could not scan."""


def _file_error(message: str, *, code: str, status: int = 400) -> ApplicationError:
    return ApplicationError(message, code=code, field="file", status=status)


def _not_accepted() -> ApplicationError:
    return _file_error(
        _("This file is not a PDF, a JPEG or PNG picture, or a Word document (.docx), whatever its name says. "
          "Scan or save the material in one of these formats and upload it again."),
        code="file_type",
    )


def served_content_type(material: Material) -> str:
    """The registered media type to send with a stored material."""
    for file_type in FILE_TYPES:
        if material.content_type == file_type.content_type:
            return file_type.content_type
    return "application/octet-stream"


def max_bytes() -> int:
    return getattr(settings, "MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES)


# --- checks on the content -----------------------------------------------------------------

def _check_docx(data: bytes) -> FileType:
    """A Word document, judged from the zip's directory only: nothing is ever unpacked here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _not_accepted() from exc
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise _not_accepted()
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    limit = getattr(settings, "MATERIAL_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES)
    if unpacked > limit or (unpacked > RATIO_CHECK_ABOVE_BYTES and unpacked > MAX_COMPRESSION_RATIO * packed):
        raise _file_error(_("This Word document expands to far more data than its size suggests and was refused."),
                          code="file_bomb")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise _not_accepted()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _file_error(_("Word documents with macros are not accepted. Save it as a plain .docx or a PDF."),
                          code="file_macro")
    return DOCX


def detect_type(data: bytes) -> FileType:
    """What the bytes are, from the allow-list, or ApplicationError on the "file" field."""
    for signature, file_type in SIGNATURES:
        if data.startswith(signature):
            return file_type
    if data.startswith(ZIP_MAGIC):
        return _check_docx(data)
    raise _not_accepted()


def scan_upload(data: bytes) -> None:
    """The antivirus hook: settings.MATERIAL_SCANNER names a callable(bytes) that raises to reject.

    A scanner that cannot run (misconfigured, the daemon down) rejects too: an unscanned file is not
    let in when scanning is configured.
    """
    path = getattr(settings, "MATERIAL_SCANNER", None)
    if not path:
        return
    try:
        import_string(path)(data)
    except MaterialRejected as exc:
        raise _file_error(_("The virus scanner rejected this file, so it was not saved."),
                          code="file_infected") from exc
    except Exception as exc:
        log.exception("material scanner %s failed", path)
        raise _file_error(_("The file could not be checked for viruses, so it was not saved. Please try again later."),
                          code="scan_failed", status=503) from exc


def clean_file_name(name: str, *, file_type: FileType) -> str:
    """The name shown to staff: no folders, control or direction-changing characters, the right extension."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in name
                   if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp"))
    name = UNSAFE_NAME_CHARACTERS.sub("_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or not extension.isalnum() or len(extension) > 5:
        stem = name
    stem = stem.strip(" .")[:FILE_NAME_LENGTH] or _("material")
    return stem + file_type.extension


def read_upload(upload) -> bytes:
    limit = max_bytes()
    too_large = _file_error(_("The file is larger than %(limit)d MB. Split it or scan it at a lower resolution.")
                            % {"limit": limit // (1024 * 1024)}, code="file_too_large")
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise _file_error(_("The file is empty."), code="file_empty")
    return data


# --- services ------------------------------------------------------------------------------

def _require(actor, capability: str, *, application: Application | None = None) -> None:
    """Staff need the capability; the lawyer assigned to the application's case may work on its file."""
    if application is not None and is_assigned_lawyer(actor=actor, application=application):
        return
    if not user_can(actor, capability):
        raise ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def material_add(*, actor, application: Application, kind: str, upload, note: str = "") -> Material:
    """Receive one uploaded file for an application. The same file twice on one application is refused.

    Once the case is closed the file is read-only until it is returned for correction.
    """
    # The public portal (actor None) adds the citizen's photos to the online application it submitted;
    # the portal has checked the proved phone owns it, as application_create takes actor None from it.
    portal = actor is None and application.channel == Channel.ONLINE
    if not portal:
        _require(actor, Capability.AID_INTAKE, application=application)
    case = getattr(application, "case", None)  # None before a lawyer is assigned
    if case is not None and not case_accepts_materials(case):
        raise ApplicationError(_("The case file is closed: materials can be added again only if it is returned."),
                               code="file_closed", field="file", status=409)
    if not portal:
        ensure_visible(actor=actor, application=application)
    if kind not in MaterialKind.values:
        raise ApplicationError(_("Choose what kind of material this is."), code="kind_invalid", field="kind")
    data = read_upload(upload)
    file_type = detect_type(data)
    scan_upload(data)
    sha256 = hashlib.sha256(data).hexdigest()
    _refuse_duplicate(application=application, sha256=sha256)

    material = Material(
        application=application, kind=kind, original_name=clean_file_name(getattr(upload, "name", ""),
                                                                          file_type=file_type),
        content_type=file_type.content_type, size=len(data), sha256=sha256, note=note.strip()[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        material.file.save(sha256, ContentFile(data), save=False)  # the name comes from models.material_path
    except OSError as exc:
        log.exception("storing a material for application %s failed", application.pk)
        raise _file_error(storage_failed_message(), code="storage_failed", status=503) from exc
    try:
        with transaction.atomic():
            material.save()
            ApplicationEvent.objects.create(
                application=application, actor=material.uploaded_by, kind="material_added",
                to_status=application.status, note=material.original_name,
                data={"material": material.pk, "kind": kind, "size": material.size},
            )
            audit_record(actor=actor, action="legalaid.material.add", obj=material, extra={
                "application": application.pk, "kind": kind, "content_type": material.content_type,
                "size": material.size, "sha256": sha256,
            })
    except IntegrityError:
        # Two requests with the same file at once: the other one won; this copy goes.
        material.file.storage.delete(material.file.name)
        _refuse_duplicate(application=application, sha256=sha256)
        raise
    except BaseException:
        material.file.storage.delete(material.file.name)
        raise
    return material


def _refuse_duplicate(*, application: Application, sha256: str) -> None:
    earlier = Material.objects.filter(application=application, sha256=sha256).first()
    if earlier is not None:
        raise _file_error(
            _("This file was already received for this application on %(date)s as “%(name)s”.")
            % {"date": chinese_date(timezone.localdate(earlier.uploaded_at)), "name": earlier.original_name},
            code="file_duplicate", status=409,
        )


def material_open(*, actor, application: Application, material_id: int) -> Material:
    """A material to download. Materials hold personal data: AID_PRIVATE (or the assigned lawyer), and
    every access is logged."""
    _require(actor, Capability.AID_PRIVATE, application=application)
    ensure_visible(actor=actor, application=application)
    material = application.materials.filter(pk=material_id).first()
    if material is None:
        raise ApplicationError(_("This material does not exist."), code="not_found", status=404)
    audit_record(actor=actor, action="legalaid.material.download", obj=material,
                 extra={"application": application.pk, "kind": material.kind, "sha256": material.sha256})
    return material


def material_receipt(*, actor, application: Application) -> Document:
    """材料接收凭证: a receipt listing every material received so far."""
    _require(actor, Capability.AID_INTAKE)
    ensure_visible(actor=actor, application=application)
    if not application.materials.exists():
        raise ApplicationError(_("No materials have been received yet, so there is nothing to give a receipt for."),
                               code="no_materials", status=409)
    return document_issue(actor=actor, application=application, kind=MATERIAL_RECEIPT)

"""Uploaded case materials: content checks, storage that stays in step with the database, scope, logged downloads."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid import materials, services
from open12348.legalaid.materials import MaterialRejected, material_add, material_receipt
from open12348.legalaid.models import ApplicationEvent, Document, Material

from .factories import centre_setup, wage_claim
from .test_documents import pdf_text

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def docx_bytes(*, extra: dict[str, bytes] | None = None, body: bytes = b"<w:document/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", body)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "扫描件.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(storage=None, path: str = "legalaid") -> list[str]:
    storage = storage or Material._meta.get_field("file").storage
    if not storage.exists(path):
        return []
    folders, files = storage.listdir(path)
    found = [f"{path}/{f}" for f in files]
    for folder in folders:
        found += stored_files(storage, f"{path}/{folder}")
    return found


@pytest.fixture(autouse=True)
def _empty_store(monkeypatch):
    """A fresh in-memory store per test, so "nothing was stored" can be checked by listing it."""
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", InMemoryStorage())


@pytest.fixture
def setup():
    return centre_setup()


@pytest.fixture
def application(setup):
    return services.application_create(actor=setup["window_staff"], centre=setup["centre"], channel="window",
                                       **wage_claim())


def add(setup, application, data=PDF_BYTES, name="扫描件.pdf", kind="id_copy", actor=None, **kwargs):
    return material_add(actor=actor or setup["window_staff"], application=application, kind=kind,
                        upload=upload(data, name, **kwargs))


def assert_nothing_stored(application):
    assert not Material.objects.filter(application=application).exists()
    assert stored_files() == []
    assert not application.events.filter(kind="material_added").exists()
    assert not AuditEvent.objects.filter(action="legalaid.material.add").exists()


class TestAccepted:
    @pytest.mark.parametrize(("data", "name", "content_type", "stored_name"), [
        (PDF_BYTES, "身份证复印件.pdf", "application/pdf", "身份证复印件.pdf"),
        (JPEG_BYTES, "IMG_0001.JPG", "image/jpeg", "IMG_0001.jpg"),
        (PNG_BYTES, "截图.png", "image/png", "截图.png"),
        (docx_bytes(), "情况说明.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "情况说明.docx"),
    ])
    def test_allowed_types_are_stored_under_their_hash_with_the_detected_type(
        self, setup, application, data, name, content_type, stored_name
    ):
        material = add(setup, application, data, name, content_type="text/plain")  # the browser's word is ignored
        sha256 = hashlib.sha256(data).hexdigest()
        assert materials.served_content_type(material) == content_type
        assert material.content_type in (content_type, "application/docx")  # until the column is widened
        assert material.original_name == stored_name
        assert material.size == len(data) and material.sha256 == sha256
        assert material.file.name == f"legalaid/{application.pk}/{sha256[:2]}/{sha256}"
        with material.file.open("rb") as handle:
            assert handle.read() == data
        event = application.events.get(kind="material_added")
        assert event.data["material"] == material.pk and event.actor == setup["window_staff"]
        assert AuditEvent.objects.filter(action="legalaid.material.add", object_id=str(material.pk)).exists()

    def test_the_shown_name_loses_folders_control_characters_and_a_false_extension(self, setup, application):
        material = add(setup, application, JPEG_BYTES, "C:\\Users\\康\\照片\u202egpj.exe")
        assert material.original_name == "照片gpj.jpg"
        assert add(setup, application, PNG_BYTES, "../../etc/passwd").original_name == "passwd.png"


class TestRefused:
    @pytest.mark.parametrize(("data", "name", "code"), [
        (EXE_BYTES, "判决书.pdf", "file_type"),
        (HTML_BYTES, "证据.html", "file_type"),
        (b"PK\x03\x04not really a zip", "合同.docx", "file_type"),
        (b"", "空.pdf", "file_empty"),
    ])
    def test_content_that_is_not_on_the_list_is_refused_on_the_file_field(self, setup, application, data, name, code):
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, data, name)
        assert (exc.value.field, exc.value.code) == ("file", code)
        assert_nothing_stored(application)

    def test_a_zip_that_is_not_a_word_document_is_refused(self, setup, application):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", b"<workbook/>")
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, buffer.getvalue(), "表格.docx")
        assert exc.value.code == "file_type"
        assert_nothing_stored(application)

    def test_a_zip_bomb_disguised_as_a_word_document_is_refused_unopened(self, setup, application):
        bomb = docx_bytes(extra={"word/media/image1.png": b"\x00" * (30 * 1024 * 1024)})
        assert len(bomb) < 100 * 1024  # 30 MB of zeros packs into a few dozen KB
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, bomb, "起诉状.docx")
        assert (exc.value.field, exc.value.code) == ("file", "file_bomb")
        assert_nothing_stored(application)

    def test_a_word_document_with_macros_is_refused(self, setup, application):
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, docx_bytes(extra={"word/vbaProject.bin": b"macro"}), "说明.docx")
        assert exc.value.code == "file_macro"
        assert_nothing_stored(application)

    def test_a_file_over_the_size_limit_is_refused(self, setup, application, settings):
        settings.MATERIAL_MAX_BYTES = 1024 * 1024
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, PDF_BYTES + b"0" * (1024 * 1024), "大文件.pdf")
        assert (exc.value.field, exc.value.code) == ("file", "file_too_large")
        assert "1 MB" in exc.value.message
        assert_nothing_stored(application)

    def test_the_same_file_twice_on_one_application_is_refused_with_a_clear_message(self, setup, application):
        first = add(setup, application, PDF_BYTES, "身份证.pdf")
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, PDF_BYTES, "身份证（再次）.pdf")
        assert (exc.value.field, exc.value.code, exc.value.status) == ("file", "file_duplicate", 409)
        assert "身份证.pdf" in exc.value.message
        assert list(application.materials.all()) == [first]
        assert stored_files() == [first.file.name]

    def test_a_duplicate_that_slips_past_the_check_is_stopped_by_the_constraint_and_its_file_removed(
        self, setup, application, monkeypatch
    ):
        first = add(setup, application, PDF_BYTES, "身份证.pdf")
        real_check, calls = materials._refuse_duplicate, []

        def late_check(**kwargs):  # the check passes, as when two requests arrive together
            calls.append(kwargs)
            if len(calls) > 1:
                real_check(**kwargs)

        monkeypatch.setattr(materials, "_refuse_duplicate", late_check)
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, PDF_BYTES, "身份证.pdf")
        assert exc.value.code == "file_duplicate"
        assert list(application.materials.all()) == [first]
        assert stored_files() == [first.file.name]

    def test_a_kind_off_the_list_is_refused_on_the_kind_field(self, setup, application):
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, kind="selfie")
        assert exc.value.field == "kind"
        assert_nothing_stored(application)


def reject_everything(data: bytes) -> None:
    raise MaterialRejected("EICAR-Test-File")


def scanner_down(data: bytes) -> None:
    raise ConnectionRefusedError("clamd is not running")


SCANNED: list[bytes] = []


def record_scan(data: bytes) -> None:
    SCANNED.append(data)


class TestScanner:
    def test_the_scanner_sees_the_bytes_before_they_are_stored(self, setup, application, settings):
        settings.MATERIAL_SCANNER = f"{__name__}.record_scan"
        SCANNED.clear()
        add(setup, application, PNG_BYTES, "a.png")
        assert SCANNED == [PNG_BYTES]

    def test_a_file_the_scanner_rejects_is_not_stored(self, setup, application, settings):
        settings.MATERIAL_SCANNER = f"{__name__}.reject_everything"
        with pytest.raises(ApplicationError) as exc:
            add(setup, application)
        assert (exc.value.field, exc.value.code) == ("file", "file_infected")
        assert_nothing_stored(application)

    def test_when_the_scanner_cannot_run_the_file_is_refused_too(self, setup, application, settings):
        settings.MATERIAL_SCANNER = f"{__name__}.scanner_down"
        with pytest.raises(ApplicationError) as exc:
            add(setup, application)
        assert (exc.value.code, exc.value.status) == ("scan_failed", 503)
        assert_nothing_stored(application)


class TestStorageFailures:
    def test_a_full_disk_leaves_no_material_row_and_a_clear_error(self, setup, application, monkeypatch):
        class FullDisk(InMemoryStorage):
            def _save(self, name, content):
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(Material._meta.get_field("file"), "storage", FullDisk())
        with pytest.raises(ApplicationError) as exc:
            add(setup, application)
        assert (exc.value.field, exc.value.code, exc.value.status) == ("file", "storage_failed", 503)
        assert_nothing_stored(application)

    def test_when_the_database_write_fails_after_the_file_was_stored_the_file_is_removed(
        self, setup, application, monkeypatch
    ):
        def broken_audit(**kwargs):
            raise DatabaseError("connection lost")

        monkeypatch.setattr(materials, "audit_record", broken_audit)
        with pytest.raises(DatabaseError):
            add(setup, application)
        assert_nothing_stored(application)


class TestScope:
    def test_a_user_from_another_district_cannot_add_to_an_application(self, setup, application):
        xinhua = setup["xinhua_reviewer"]
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, actor=xinhua)
        assert exc.value.status == 404
        assert_nothing_stored(application)

    def test_a_role_without_intake_cannot_add(self, setup, application):
        with pytest.raises(ApplicationError) as exc:
            add(setup, application, actor=setup["bureau_admin"])
        assert exc.value.status == 403
        assert_nothing_stored(application)


class TestReceipt:
    def test_the_receipt_lists_every_material_received(self, setup, application):
        add(setup, application, PDF_BYTES, "身份证复印件.pdf", kind="id_copy")
        add(setup, application, JPEG_BYTES, "工资条照片.jpg", kind="evidence")
        document = material_receipt(actor=setup["window_staff"], application=application)
        assert document.kind == "material_receipt"
        with document.file.open("rb") as handle:
            text = pdf_text(handle.read())
        assert "材料接收凭证" in text and "卫东区法律援助中心" in text and application.number in text
        assert "身份证复印件.pdf" in text and "工资条照片.jpg" in text
        assert application.events.filter(kind="document_issued").count() == 1

    def test_there_is_no_receipt_for_nothing(self, setup, application):
        with pytest.raises(ApplicationError) as exc:
            material_receipt(actor=setup["window_staff"], application=application)
        assert exc.value.code == "no_materials"
        assert not Document.objects.exists()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


class TestUploadView:
    def test_window_staff_upload_and_return_to_the_application(self, setup, application):
        url = reverse("legalaid:material_upload", args=[application.pk])
        response = client_for(setup["window_staff"]).post(url, {
            "kind": "id_copy", "file": upload(PDF_BYTES, "身份证.pdf"),
        })
        assert response.status_code == 302
        assert response["Location"] == reverse("legalaid:detail", args=[application.pk])
        assert application.materials.get().original_name == "身份证.pdf"
        assert any("身份证.pdf" in m for m in messages_of(response))

    def test_a_refused_upload_says_why_on_the_file_field_and_stores_nothing(self, setup, application):
        url = reverse("legalaid:material_upload", args=[application.pk])
        response = client_for(setup["window_staff"]).post(url, {
            "kind": "evidence", "file": upload(EXE_BYTES, "证据.pdf"),
        })
        assert response.status_code == 302
        [message] = messages_of(response)
        assert message.startswith(f"{materials_file_label()}:")
        assert_nothing_stored(application)

    def test_the_receipt_button_issues_a_receipt(self, setup, application):
        add(setup, application)
        url = reverse("legalaid:material_upload", args=[application.pk])
        response = client_for(setup["window_staff"]).post(url, {"action": "receipt"})
        assert response.status_code == 302
        assert application.documents.get().kind == "material_receipt"

    def test_another_district_gets_404_and_nothing_is_stored(self, setup, application):
        url = reverse("legalaid:material_upload", args=[application.pk])
        response = client_for(setup["xinhua_reviewer"]).post(url, {"kind": "id_copy", "file": upload(PDF_BYTES)})
        assert response.status_code == 404
        assert_nothing_stored(application)

    def test_without_intake_the_upload_is_403_and_nothing_is_stored(self, setup, application):
        url = reverse("legalaid:material_upload", args=[application.pk])
        response = client_for(setup["bureau_admin"]).post(url, {"kind": "id_copy", "file": upload(PDF_BYTES)})
        assert response.status_code == 403
        assert_nothing_stored(application)

    def test_get_is_not_allowed(self, setup, application):
        response = client_for(setup["window_staff"]).get(reverse("legalaid:material_upload", args=[application.pk]))
        assert response.status_code == 405


def materials_file_label() -> str:
    from open12348.legalaid.views_files import MaterialUploadForm

    return str(MaterialUploadForm.base_fields["file"].label)


class TestDownloadView:
    def test_a_reviewer_downloads_the_file_with_safe_headers_and_the_access_is_logged(self, setup, application):
        material = add(setup, application, PNG_BYTES, "截图.png", content_type="text/html")
        url = reverse("legalaid:material_download", args=[application.pk, material.pk])
        response = client_for(setup["reviewer"]).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG_BYTES
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "%E6%88%AA%E5%9B%BE.png" in response["Content-Disposition"]  # 截图.png, RFC 5987-encoded
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert AuditEvent.objects.filter(action="legalaid.material.download", object_id=str(material.pk),
                                         actor=setup["reviewer"]).exists()

    def test_a_word_document_is_served_under_its_registered_media_type(self, setup, application):
        material = add(setup, application, docx_bytes(), "说明.docx")
        url = reverse("legalaid:material_download", args=[application.pk, material.pk])
        response = client_for(setup["reviewer"]).get(url)
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )

    def test_window_staff_without_private_access_get_403_and_nothing_changes(self, setup, application):
        material = add(setup, application)
        audit_before = AuditEvent.objects.count()
        events_before = ApplicationEvent.objects.count()
        url = reverse("legalaid:material_download", args=[application.pk, material.pk])
        response = client_for(setup["window_staff"]).get(url)
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(action="legalaid.material.download").exists()
        # The only trace is the refusal itself, as every permission refusal leaves.
        assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[audit_before:]) == [
            "auth.permission_denied"
        ]
        assert ApplicationEvent.objects.count() == events_before
        material.refresh_from_db()
        assert material.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()

    def test_a_user_from_another_district_gets_404_on_a_weidong_material(self, setup, application):
        material = add(setup, application)
        url = reverse("legalaid:material_download", args=[application.pk, material.pk])
        response = client_for(setup["xinhua_reviewer"]).get(url)
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="legalaid.material.download").exists()

    def test_a_material_of_another_application_is_404(self, setup, application):
        material = add(setup, application)
        other = services.application_create(
            actor=setup["window_staff"], centre=setup["centre"], channel="window",
            **wage_claim(applicant={"name": "张三", "id_number": ""}),
        )
        url = reverse("legalaid:material_download", args=[other.pk, material.pk])
        assert client_for(setup["reviewer"]).get(url).status_code == 404

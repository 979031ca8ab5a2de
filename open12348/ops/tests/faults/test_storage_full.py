"""The disk fills up while staff upload a case material through the real page, on a real file store
(FileSystemStorage in a temporary folder): a clear message at the file field, no Material row and no
file left behind; and when the database fails after the file was written, the file is removed."""

from __future__ import annotations

import errno

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from open12348.legalaid import materials, services
from open12348.legalaid.models import ApplicationEvent, Material
from open12348.legalaid.tests.factories import centre_setup, wage_claim

pytestmark = [pytest.mark.django_db, pytest.mark.fault]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class FullDisk(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def world():
    data = centre_setup()
    data["application"] = services.application_create(actor=data["window_staff"], centre=data["centre"],
                                                      channel="window", **wage_claim())
    client = Client(raise_request_exception=False)
    client.force_login(data["window_staff"])
    data["client"] = client
    return data


def post_upload(world):
    url = reverse("legalaid:material_upload", args=[world["application"].pk])
    return world["client"].post(url, {"kind": "evidence", "file": SimpleUploadedFile("欠条.pdf", PDF)})


def files_in(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_full_disk_gives_a_clear_message_and_leaves_nothing(world, tmp_path, monkeypatch):
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", FullDisk(location=tmp_path))
    response = post_upload(world)
    assert response.status_code == 302
    assert response["Location"] == reverse("legalaid:detail", args=[world["application"].pk])
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and "文件存储服务暂不可用" in messages[0], messages
    assert not Material.objects.exists()
    assert not ApplicationEvent.objects.filter(kind="material_added").exists()
    assert files_in(tmp_path) == []


def test_a_database_failure_after_the_file_was_written_removes_the_file(world, tmp_path, monkeypatch):
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(materials, "audit_record", database_gone)
    response = post_upload(world)
    assert response.status_code == 500
    assert b"Traceback" not in response.content
    assert not Material.objects.exists()
    assert files_in(tmp_path) == []
    # and once the database is back the same file is received normally
    monkeypatch.undo()
    monkeypatch.setattr(Material._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    assert post_upload(world).status_code == 302
    material = Material.objects.get()
    assert (tmp_path / material.file.name).read_bytes() == PDF

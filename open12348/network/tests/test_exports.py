"""Exports: the import layout, only what the user may see, never private numbers, always audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from open12348.audit.models import AuditEvent
from open12348.core.models import Job
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.models import Institution, Practitioner
from open12348.network.services import institution_create, practitioner_create

from .factories import ServiceTypeFactory, SpecialtyFactory, pingdingshan, staff_in
from .test_imports import CREDIT_A, id_number, last_job, upload

ID_NUMBER = id_number()
MOBILE = "13988887777"


@pytest.fixture
def regions(db):
    return pingdingshan()


@pytest.fixture
def admin(regions):
    return staff_in(regions["xinhua"], role="bureau_admin", username="xinhua_admin")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def network(admin, regions):
    """Records in Xinhua (the admin's county) made through the services, and one in Weidong."""
    consult = ServiceTypeFactory(code="consultation", name="法律咨询")
    labour = SpecialtyFactory(code="labour", name="劳动争议")
    firm = institution_create(actor=admin, data={
        "kind": InstitutionKind.LAW_FIRM, "name": "河南鹰城律师事务所", "region": regions["xinhua"],
        "credit_code": CREDIT_A, "address": "建设路100号", "phone": "0375-2000000", "services": [consult],
        "description": "=HYPERLINK(\"http://example.com\")",
    })
    committee = institution_create(actor=admin, data={
        "kind": InstitutionKind.MEDIATION_COMMITTEE, "name": "曙光社区人民调解委员会",
        "region": regions["xinhua_village"],
    })
    lawyer = practitioner_create(actor=admin, data={
        "kind": PractitionerKind.LAWYER, "name": "王德洲", "licence_no": "14104201012345678", "institution": firm,
        "practice_since": 2012, "languages": ["普通话", "英语"], "specialties": [labour],
        "id_number": ID_NUMBER, "mobile": MOBILE, "duty_hours": "周三上午",
    })
    mediator = practitioner_create(actor=admin, data={
        "kind": PractitionerKind.MEDIATOR, "name": "李秀英", "institution": committee, "sex": "F",
    })
    outside = institution_create(actor=admin, data={
        "kind": InstitutionKind.LAW_FIRM, "name": "卫东律师事务所", "region": regions["weidong"],
    })
    return {"firm": firm, "committee": committee, "lawyer": lawyer, "mediator": mediator, "outside": outside}


def export_url(what: str, fmt: str) -> str:
    return reverse("network:console_export", kwargs={"what": what, "fmt": fmt})


def read_export(response, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_reimports_cleanly_and_changes_nothing(admin_client, network, fmt,
                                                        django_capture_on_commit_callbacks):
    for entity in ("institutions", "practitioners"):
        response = admin_client.get(export_url(entity, fmt))
        assert response.status_code == 200
        content = (b"".join(response.streaming_content) if fmt == "csv" else response.content)
        counts = (Institution.objects.count(), Practitioner.objects.count())
        writes = AuditEvent.objects.filter(action__regex=r"^network\.(institution|practitioner)\.").count()

        upload(admin_client, django_capture_on_commit_callbacks, entity=entity, data=content, name=f"export.{fmt}")

        job = last_job()
        assert job.status == Job.Status.SUCCEEDED, job.result
        expected_rows = 3 if entity == "institutions" else 2  # the judicial bureau of staff_in, firm, committee
        assert (job.result["rows"], job.result["created"], job.result["updated"]) == (expected_rows, 0, expected_rows)
        assert (Institution.objects.count(), Practitioner.objects.count()) == counts
        assert AuditEvent.objects.filter(
            action__regex=r"^network\.(institution|practitioner)\.").count() == writes  # nothing changed
    lawyer = Practitioner.objects.get(pk=network["lawyer"].pk)
    assert (lawyer.id_number, lawyer.mobile) == (ID_NUMBER, MOBILE)  # absent columns erased nothing


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_leave_out_private_numbers_and_records_outside_the_users_area(admin_client, network, fmt):
    response = admin_client.get(export_url("practitioners", fmt))

    rows = read_export(response, fmt)
    assert rows[0] == ["姓名", "人员类型", "性别", "执业证号", "所属机构", "所在地区代码", "执业起始年份", "专长",
                       "语言", "值班时间", "简介"]
    flat = "|".join("|".join(str(c) for c in row) for row in rows)
    assert ID_NUMBER not in flat and ID_NUMBER[-4:] not in flat
    assert MOBILE not in flat and MOBILE[-4:] not in flat
    lawyer_row = next(r for r in rows if r[0] == "王德洲")
    with translation.override("zh-hans"):
        lawyer_label = str(PractitionerKind.LAWYER.label)  # Chinese once the catalogue has it
    assert lawyer_row[1:9] == [lawyer_label, "男", "14104201012345678", CREDIT_A, "410402", "2012", "劳动争议",
                               "普通话、英语"]

    institutions = read_export(admin_client.get(export_url("institutions", fmt)), fmt)
    names = [r[0] for r in institutions[1:]]
    assert "河南鹰城律师事务所" in names and "卫东律师事务所" not in names
    firm_row = next(r for r in institutions if r[0] == "河南鹰城律师事务所")
    assert firm_row[8] == "法律咨询"


def test_formulas_are_never_live_in_exports(admin_client, network):
    text = b"".join(admin_client.get(export_url("institutions", "csv")).streaming_content).decode()
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(admin_client.get(export_url("institutions", "xlsx")).content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_each_export_leaves_an_audit_row_with_count_and_filters(admin_client, admin, network):
    response = admin_client.get(export_url("practitioners", "xlsx"), {"kind": "lawyer"})

    assert response.status_code == 200
    assert len(read_export(response, "xlsx")) == 2
    event = AuditEvent.objects.get(action="network.export")
    assert event.actor == admin
    assert event.extra == {"entity": "practitioners", "format": "xlsx", "rows": 1, "filters": {"kind": "lawyer"}}


def test_a_large_csv_export_streams(admin_client, network):
    response = admin_client.get(export_url("institutions", "csv"))
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]


def test_templates_have_the_headers_and_one_example_row(admin_client, regions):
    for entity, first in (("institutions", "机构名称"), ("practitioners", "姓名")):
        response = admin_client.get(export_url(f"template-{entity}", "xlsx"))
        assert response.status_code == 200
        rows = read_export(response, "xlsx")
        assert rows[0][0] == first and len(rows) == 2
        assert "410402" in rows[1]
    assert not AuditEvent.objects.filter(action="network.export").exists()


@pytest.mark.parametrize("path", [("institutions", "pdf"), ("people", "csv"), ("template-institutions", "csv")])
def test_unknown_exports_are_404(admin_client, path):
    assert admin_client.get(export_url(*path)).status_code == 404


def test_window_staff_cannot_export(client, regions, network):
    client.force_login(staff_in(regions["xinhua"], role="window_staff"))

    assert client.get(export_url("practitioners", "csv")).status_code == 403
    assert client.get(export_url("template-practitioners", "xlsx")).status_code == 403
    assert not AuditEvent.objects.filter(action="network.export").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_costs_a_fixed_number_of_queries_whatever_its_length(admin_client, admin, network, fmt):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(export_url("practitioners", fmt))
            if fmt == "csv":
                b"".join(response.streaming_content)
        return len(captured)

    few = queries_for_export()
    for i in range(5):
        practitioner_create(actor=admin, data={
            "kind": PractitionerKind.LAWYER, "name": f"张伟{i}", "licence_no": f"1410420101000000{i}",
            "institution": network["firm"], "specialties": list(network["lawyer"].specialties.all()),
        })
    assert queries_for_export() == few

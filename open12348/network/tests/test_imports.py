"""Bulk import: whole file checked first, all or nothing, through the services, as a background job.

The test settings use zh-hans without a catalogue, so assertions name error codes, columns and row
numbers rather than translated text.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.core.idnumber import check_digit
from open12348.core.jobservices import job_create
from open12348.core.models import Job
from open12348.network import imports
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.models import Institution, Practitioner
from open12348.network.services import institution_create, practitioner_create

from .factories import (
    InstitutionFactory,
    PractitionerFactory,
    ServiceTypeFactory,
    SpecialtyFactory,
    pingdingshan,
    staff_in,
)

INSTITUTION_HEADERS = ["机构名称", "机构类型", "所在地区代码", "统一社会信用代码", "执业许可证号", "地址", "联系电话",
                       "办公时间", "服务项目", "简介"]
PRACTITIONER_HEADERS = ["姓名", "人员类型", "性别", "执业证号", "所属机构", "所在地区代码", "执业起始年份", "专长",
                        "语言", "值班时间", "简介", "身份证号", "手机号"]
CREDIT_A = "91410402MA0000001A"
CREDIT_B = "91410402MA0000002B"


def zh_label(choice) -> str:
    """The label a Chinese user sees (人民调解员 with the catalogue compiled, the English source without)."""
    with translation.override("zh-hans"):
        return str(choice.label)


def id_number(first17: str = "41040219850312003") -> str:
    return first17 + check_digit(first17)


# --- helpers shared with test_exports ------------------------------------------------------

def xlsx_of(headers: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_of(headers: list[str], rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, capture, *, entity: str, data: bytes, name: str = "data.xlsx"):
    with capture(execute=True):
        return client.post(reverse("network:console_imports"),
                           {"entity": entity, "file": SimpleUploadedFile(name, data)})


def last_job() -> Job:
    return Job.objects.order_by("-id").first()


def error_codes(job: Job) -> set[tuple[int, str, str]]:
    return {(e["row"], e["column"], e["code"]) for e in job.result["errors"]}


def institution_row(name="河南鹰城律师事务所", kind=InstitutionKind.LAW_FIRM, region="410402", credit=CREDIT_A,
                    services="", phone="0375-2000000") -> list:
    return [name, kind, region, credit, "", "平顶山市新华区建设路100号", phone, "8:30-17:30", services, ""]


def practitioner_row(name="王德洲", kind=PractitionerKind.LAWYER, licence="14104201012345678", institution="",
                     region="410402", sex="", year="2012", specialties="", languages="", idn="", mobile="") -> list:
    return [name, kind, sex, licence, institution, region, year, specialties, languages, "周三上午", "", idn, mobile]


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


# --- a clean file --------------------------------------------------------------------------

def test_clean_institution_file_creates_records_with_pinyin_and_audit_rows(admin_client, admin,
                                                                           django_capture_on_commit_callbacks):
    consult = ServiceTypeFactory(code="consultation", name="法律咨询")
    ServiceTypeFactory(code="mediation", name="人民调解")
    before = Institution.objects.count()
    data = xlsx_of(INSTITUTION_HEADERS, [
        institution_row(services="法律咨询、mediation"),
        institution_row(name="曙光社区人民调解委员会", kind="People's mediation committee", region="410402001001",
                        credit="", services="consultation"),
    ])

    response = upload(admin_client, django_capture_on_commit_callbacks, entity="institutions", data=data)

    job = last_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:console_import_status", kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.result
    assert (job.result["created"], job.result["updated"], job.result["rows"]) == (2, 0, 2)
    assert Institution.objects.count() == before + 2
    firm = Institution.objects.get(credit_code=CREDIT_A)
    assert (firm.name_pinyin, firm.name_initials) == ("henanyingchenglvshishiwusuo", "hnyclssws")
    assert firm.kind == InstitutionKind.LAW_FIRM
    assert {s.code for s in firm.services.all()} == {"consultation", "mediation"}
    committee = Institution.objects.get(name="曙光社区人民调解委员会")
    assert committee.kind == InstitutionKind.MEDIATION_COMMITTEE
    assert committee.region.code == "410402001001"
    assert list(committee.services.all()) == [consult]
    creates = AuditEvent.objects.filter(action="network.institution.create", actor=admin)
    assert {e.object_id for e in creates} == {str(firm.pk), str(committee.pk)}
    summary = AuditEvent.objects.get(action="network.import", object_id=str(job.pk))
    assert summary.result == "success"
    assert (summary.extra["created"], summary.extra["updated"], summary.extra["rows"]) == (2, 0, 2)


def test_clean_practitioner_file_links_institutions_and_protects_private_fields(
        admin_client, regions, django_capture_on_commit_callbacks):
    SpecialtyFactory(code="labour", name="劳动争议")
    firm = InstitutionFactory(name="河南鹰城律师事务所", credit_code=CREDIT_A, region=regions["xinhua"])
    committee = InstitutionFactory(name="曙光社区人民调解委员会", kind=InstitutionKind.MEDIATION_COMMITTEE,
                                   region=regions["xinhua_village"])
    woman_id = id_number("41040219900101002")  # 17th digit even: female
    data = xlsx_of(PRACTITIONER_HEADERS, [
        practitioner_row(institution=CREDIT_A, region="", specialties="劳动争议", languages="普通话、英语",
                         idn=id_number(), mobile="13812345678", sex="男"),
        practitioner_row(name="李秀英", kind=zh_label(PractitionerKind.MEDIATOR), licence="",
                         institution="曙光社区人民调解委员会",
                         region="", year="", idn=woman_id),
    ])

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners", data=data)

    job = last_job()
    assert job.status == Job.Status.SUCCEEDED, job.result
    lawyer = Practitioner.objects.get(licence_no="14104201012345678")
    assert (lawyer.name_pinyin, lawyer.name_initials) == ("wangdezhou", "wdz")
    assert lawyer.institution == firm and lawyer.region == firm.region
    assert lawyer.languages == ["普通话", "英语"]
    assert [s.code for s in lawyer.specialties.all()] == ["labour"]
    assert lawyer.mobile == "13812345678" and lawyer.mobile_hash
    mediator = Practitioner.objects.get(name="李秀英")
    assert mediator.institution == committee and mediator.region == regions["xinhua_village"]
    assert mediator.sex == "F"  # taken from the ID number
    create_rows = AuditEvent.objects.filter(action="network.practitioner.create")
    assert create_rows.count() == 2
    for event in create_rows:
        assert event.changes["after"]["id_number"] == "[protected]"


# --- all or nothing ------------------------------------------------------------------------

def test_one_bad_row_among_good_ones_imports_nothing_and_reports_that_row(
        admin_client, django_capture_on_commit_callbacks):
    data = xlsx_of(PRACTITIONER_HEADERS, [
        practitioner_row(name="王德洲", licence="14104201012345678"),
        practitioner_row(name="张伟", licence="1410-bad"),
        practitioner_row(name="刘洋", licence="14104201012345679"),
    ])

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners", data=data)

    job = last_job()
    assert job.status == Job.Status.FAILED
    assert Practitioner.objects.count() == 0
    assert not AuditEvent.objects.filter(action="network.practitioner.create").exists()
    assert error_codes(job) == {(3, "执业证号", "licence_format")}
    (error,) = job.result["errors"]
    assert error["value"] == "1410-bad"
    assert error["message"]
    assert job.result["error_count"] == 1 and job.result["created"] == 0
    summary = AuditEvent.objects.get(action="network.import", object_id=str(job.pk))
    assert summary.result == "failure" and summary.extra["errors"] == 1


def test_every_bad_row_is_reported_with_its_column(admin_client, django_capture_on_commit_callbacks):
    data = xlsx_of(PRACTITIONER_HEADERS, [
        practitioner_row(kind="astronaut"),
        practitioner_row(licence="14104201012345670", region="999999"),
        practitioner_row(licence="14104201012345671", year="long ago", sex="x"),
        practitioner_row(licence="14104201012345672", idn="410402198503120099"),
        practitioner_row(licence="14104201012345673", mobile="12345"),
        practitioner_row(licence="14104201012345674", specialties="天文学"),
        practitioner_row(licence="14104201012345675", region="", institution="不存在的律所"),
    ])

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners", data=data)

    job = last_job()
    assert error_codes(job) == {
        (2, "人员类型", "kind_invalid"),
        (3, "所在地区代码", "region_unknown"),
        (4, "执业起始年份", "year_invalid"),
        (4, "性别", "sex_invalid"),
        (5, "身份证号", "id_number_invalid"),
        (6, "手机号", "mobile_invalid"),
        (7, "专长", "specialties_unknown"),
        (8, "所属机构", "institution_unknown"),
    }
    assert Practitioner.objects.count() == 0


def test_personal_numbers_are_masked_in_the_stored_report(admin_client, django_capture_on_commit_callbacks):
    bad_id = "410402198503120099"
    data = xlsx_of(PRACTITIONER_HEADERS, [practitioner_row(idn=bad_id)])

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners", data=data)

    job = last_job()
    (error,) = job.result["errors"]
    assert error["code"] == "id_number_invalid"
    assert error["value"] == "410402********0099"
    assert bad_id not in str(job.result)


def test_a_failure_while_writing_undoes_the_rows_already_written(
        admin_client, monkeypatch, django_capture_on_commit_callbacks):
    calls = []

    def flaky_create(*, actor, data):
        calls.append(data["name"])
        if len(calls) == 2:
            raise ApplicationError("taken meanwhile", code="credit_code_taken", field="credit_code")
        return institution_create(actor=actor, data=data)

    monkeypatch.setattr(imports, "institution_create", flaky_create)
    before = Institution.objects.count()
    data = xlsx_of(INSTITUTION_HEADERS, [
        institution_row(name="第一律师事务所", credit=CREDIT_A),
        institution_row(name="第二律师事务所", credit=CREDIT_B),
    ])

    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions", data=data)

    job = last_job()
    assert calls == ["第一律师事务所", "第二律师事务所"]
    assert job.status == Job.Status.FAILED
    assert Institution.objects.count() == before
    assert not AuditEvent.objects.filter(action="network.institution.create").exists()
    assert error_codes(job) == {(3, "统一社会信用代码", "credit_code_taken")}


# --- updates and duplicates ----------------------------------------------------------------

def test_rows_matching_existing_records_update_them_and_empty_cells_erase_nothing(
        admin_client, admin, regions, django_capture_on_commit_callbacks):
    firm = institution_create(actor=admin, data={
        "kind": InstitutionKind.LAW_FIRM, "name": "旧名律师事务所", "region": regions["xinhua"],
        "credit_code": CREDIT_A, "phone": "0375-1111111", "address": "旧地址",
    })
    data = xlsx_of(INSTITUTION_HEADERS, [institution_row(name="河南鹰城律师事务所", credit=CREDIT_A, phone="")])

    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions", data=data)

    job = last_job()
    assert (job.status, job.result["created"], job.result["updated"]) == (Job.Status.SUCCEEDED, 0, 1)
    firm.refresh_from_db()
    assert firm.name == "河南鹰城律师事务所" and firm.name_initials == "hnyclssws"
    assert firm.address == "平顶山市新华区建设路100号"
    assert firm.phone == "0375-1111111"  # the empty cell kept it
    update = AuditEvent.objects.get(action="network.institution.update", object_id=str(firm.pk))
    assert update.changes["before"]["name"] == "旧名律师事务所"


def test_practitioners_are_matched_by_kind_and_licence(admin_client, admin, regions,
                                                       django_capture_on_commit_callbacks):
    lawyer = practitioner_create(actor=admin, data={
        "kind": PractitionerKind.LAWYER, "name": "王德洲", "licence_no": "14104201012345678",
        "region": regions["xinhua"], "mobile": "13812345678",
    })
    data = xlsx_of(PRACTITIONER_HEADERS, [practitioner_row(licence="14104201012345678", year="2009",
                                                           languages="普通话")])

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners", data=data)

    job = last_job()
    assert (job.status, job.result["created"], job.result["updated"]) == (Job.Status.SUCCEEDED, 0, 1)
    lawyer.refresh_from_db()
    assert (lawyer.practice_since, lawyer.languages, lawyer.mobile) == (2009, ["普通话"], "13812345678")
    assert Practitioner.objects.count() == 1


def test_duplicates_inside_one_file_are_refused(admin_client, django_capture_on_commit_callbacks):
    data = xlsx_of(INSTITUTION_HEADERS, [
        institution_row(name="甲律师事务所", credit=CREDIT_A),
        institution_row(name="乙律师事务所", credit=CREDIT_B),
        institution_row(name="丙律师事务所", credit=CREDIT_A.lower()),
    ])
    before = Institution.objects.count()

    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions", data=data)

    job = last_job()
    assert error_codes(job) == {(4, "统一社会信用代码", "duplicate_in_file")}
    assert "2" in job.result["errors"][0]["message"]  # points at the first row holding the code
    assert Institution.objects.count() == before

    data = xlsx_of(PRACTITIONER_HEADERS, [
        practitioner_row(name="王德洲", licence="14104201012345678"),
        practitioner_row(name="王德州", licence="14104201012345678"),
    ])
    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners", data=data)
    assert error_codes(last_job()) == {(3, "执业证号", "duplicate_in_file")}
    assert Practitioner.objects.count() == 0


# --- data scope ----------------------------------------------------------------------------

def test_a_county_admin_cannot_import_records_of_another_county(admin_client, regions,
                                                                 django_capture_on_commit_callbacks):
    outsider = PractitionerFactory(licence_no="14104201099999999",
                                   institution=InstitutionFactory(region=regions["weidong"]))
    before = (Institution.objects.count(), Practitioner.objects.count())
    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions",
           data=xlsx_of(INSTITUTION_HEADERS, [institution_row(region="410403")]))
    assert error_codes(last_job()) == {(2, "所在地区代码", "out_of_scope")}

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners",
           data=xlsx_of(PRACTITIONER_HEADERS, [practitioner_row(licence="14104201099999999", name="改名")]))
    assert error_codes(last_job()) == {(2, "执业证号", "out_of_scope")}

    assert (Institution.objects.count(), Practitioner.objects.count()) == before
    outsider.refresh_from_db()
    assert outsider.name != "改名"


# --- file checks ---------------------------------------------------------------------------

def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "code"), [
    ("setup.xlsx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200), "file_type"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "file_xls"),
    ("bomb.xlsx", None, "file_bomb"),
    ("other.xlsx", None, "file_type"),
])
def test_wrong_files_are_refused_at_upload_and_no_job_is_created(admin_client, name, data, code,
                                                                 django_capture_on_commit_callbacks):
    if name == "bomb.xlsx":
        data = _zip_bomb()
    elif name == "other.xlsx":  # a zip that is not a workbook
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        data = buffer.getvalue()
    with pytest.raises(ApplicationError) as caught:
        imports.inspect_upload(data=data)
    assert caught.value.code == code

    response = upload(admin_client, django_capture_on_commit_callbacks, entity="institutions", data=data, name=name)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["form"].has_error("file", code)
    assert not Job.objects.exists()


def test_too_large_and_too_long_files_are_refused(admin_client, settings, django_capture_on_commit_callbacks):
    rows = [institution_row(name=f"律所{i}", credit="") for i in range(3)]
    settings.IMPORT_MAX_ROWS = 2
    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions",
           data=xlsx_of(INSTITUTION_HEADERS, rows))
    assert error_codes(last_job()) == {(0, "", "too_many_rows")}

    settings.IMPORT_MAX_FILE_BYTES = 100
    response = upload(admin_client, django_capture_on_commit_callbacks, entity="institutions",
                      data=csv_of(INSTITUTION_HEADERS, rows), name="a.csv")
    assert response.context["form"].has_error("file", "file_too_large")
    assert Job.objects.count() == 1


def test_unknown_or_missing_columns_are_reported_for_the_whole_file(admin_client,
                                                                   django_capture_on_commit_callbacks):
    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions",
           data=xlsx_of(["机构名称", "机构类别", "所在地区代码"], [["甲律所", "law_firm", "410402"]]))
    assert error_codes(last_job()) == {(0, "", "unknown_column")}
    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions",
           data=xlsx_of(["机构名称", "所在地区代码"], [["甲律所", "410402"]]))
    assert error_codes(last_job()) == {(0, "", "missing_column")}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_or_utf8_is_read(admin_client, encoding, django_capture_on_commit_callbacks):
    data = csv_of(PRACTITIONER_HEADERS, [practitioner_row(name="王德洲", sex="男")], encoding=encoding)
    assert imports.inspect_upload(data=data) == "csv"

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners", data=data, name="people.csv")

    job = last_job()
    assert job.status == Job.Status.SUCCEEDED, job.result
    assert job.params["format"] == "csv"
    lawyer = Practitioner.objects.get()
    assert (lawyer.name, lawyer.name_initials, lawyer.sex, lawyer.duty_hours) == ("王德洲", "wdz", "M", "周三上午")


def test_headers_may_carry_notes_and_blank_rows_are_skipped(admin_client, django_capture_on_commit_callbacks):
    headers = ["机构名称*", "机构类型（代码或名称）", "所在地区代码", "统一社会信用代码"]
    data = xlsx_of(headers, [["甲律师事务所", "law_firm", 410402, ""], [None, None, None, None],
                             ["乙律师事务所", "law_firm", "410402", ""]])

    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions", data=data)

    job = last_job()
    assert job.status == Job.Status.SUCCEEDED, job.result
    assert job.result["rows"] == 2
    assert Institution.objects.filter(name__in=["甲律师事务所", "乙律师事务所"], region__code="410402").count() == 2


# --- the job -------------------------------------------------------------------------------

def test_progress_is_reported_on_the_job_during_checking_and_importing(
        admin_client, monkeypatch, django_capture_on_commit_callbacks):
    reported: list[int] = []
    real_progress = imports.job_progress

    def recording_progress(*, job_id, progress, **kwargs):
        reported.append(progress)
        real_progress(job_id=job_id, progress=progress, **kwargs)

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(imports, "job_progress", recording_progress)
    rows = [institution_row(name=f"第{i}律师事务所", credit="") for i in range(5)]

    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions",
           data=xlsx_of(INSTITUTION_HEADERS, rows))

    job = last_job()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.total, job.progress, job.percent) == (10, 10, 100)
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    # checking: rows 2, 4, 5; importing: 5 + 2, 5 + 4, 5 + 5
    assert [p for p in reported if p] == sorted(p for p in reported if p)
    assert {2, 4, 5, 7, 9, 10} <= set(reported)


def test_a_finished_job_is_not_run_again(admin_client, django_capture_on_commit_callbacks):
    upload(admin_client, django_capture_on_commit_callbacks, entity="institutions",
           data=xlsx_of(INSTITUTION_HEADERS, [institution_row()]))
    job = last_job()
    audit_rows, finished_at = AuditEvent.objects.count(), job.finished_at

    imports.import_run(job_id=job.pk)

    job.refresh_from_db()
    assert AuditEvent.objects.count() == audit_rows
    assert job.finished_at == finished_at
    assert Institution.objects.filter(credit_code=CREDIT_A).count() == 1


def test_a_user_who_lost_the_right_to_import_before_the_job_ran_imports_nothing(admin, regions):
    window = staff_in(regions["xinhua"], role="window_staff")
    job = imports.import_job_create(actor=window, entity="institutions", filename="x.xlsx", fmt="xlsx",
                                    language="zh-hans", data=xlsx_of(INSTITUTION_HEADERS, [institution_row()]))

    imports.import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not Institution.objects.filter(credit_code=CREDIT_A).exists()


# --- pages and permissions -----------------------------------------------------------------

def test_window_staff_gets_403_and_nothing_changes(client, regions, django_capture_on_commit_callbacks):
    client.force_login(staff_in(regions["xinhua"], role="window_staff"))
    before = Institution.objects.count()

    response = upload(client, django_capture_on_commit_callbacks, entity="institutions",
                      data=xlsx_of(INSTITUTION_HEADERS, [institution_row()]))

    assert response.status_code == 403
    assert not Job.objects.exists()
    assert Institution.objects.count() == before
    assert client.get(reverse("network:console_imports")).status_code == 403
    assert AuditEvent.objects.filter(action="auth.permission_denied").count() == 2


def test_only_the_uploader_sees_a_job(client, admin, regions):
    job = job_create(kind="network.import.institutions", created_by=admin, params={"entity": "institutions"})
    other_admin = staff_in(regions["xinhua"], role="bureau_admin")
    client.force_login(other_admin)
    url = reverse("network:console_import_status", kwargs={"job_id": job.pk})

    assert client.get(url).status_code == 404
    assert client.get(url + "?download=input").status_code == 404
    client.force_login(admin)
    assert client.get(url).status_code == 200


def test_the_status_page_polls_while_running_and_shows_the_errors_when_done(
        admin_client, admin, django_capture_on_commit_callbacks):
    running = job_create(kind="network.import.institutions", created_by=admin,
                         params={"entity": "institutions", "filename": "x.xlsx"})
    Job.objects.filter(pk=running.pk).update(status=Job.Status.RUNNING, progress=3, total=10)
    url = reverse("network:console_import_status", kwargs={"job_id": running.pk})

    page = admin_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="30"' in page
    partial = admin_client.get(url, headers={"HX-Request": "true"})
    assert [t.name for t in partial.templates][0] == "network/console/_import_progress.html"

    upload(admin_client, django_capture_on_commit_callbacks, entity="practitioners",
           data=xlsx_of(PRACTITIONER_HEADERS, [practitioner_row(licence="123")]), name="people.xlsx")
    failed = last_job()
    status_url = reverse("network:console_import_status", kwargs={"job_id": failed.pk})
    page = admin_client.get(status_url).content.decode()
    assert "hx-trigger=\"every" not in page  # polling stops once the job is finished
    assert "<td>2</td><td>执业证号</td>" in page

    report = admin_client.get(status_url + "?download=errors")
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "2" and rows[1][1] == "执业证号" and rows[1][4] == "licence_format"

    original = admin_client.get(status_url + "?download=input")
    assert original.status_code == 200
    assert b"".join(original.streaming_content).startswith(b"PK")
    assert "people.xlsx" in original["Content-Disposition"]
    assert AuditEvent.objects.filter(action="network.import.input_download", object_id=str(failed.pk)).exists()


def test_the_import_page_lists_the_users_own_jobs_and_preselects_the_entity(admin_client, admin, regions):
    mine = job_create(kind="network.import.practitioners", created_by=admin, params={"filename": "mine.xlsx"})
    job_create(kind="network.import.practitioners", created_by=staff_in(regions["xinhua"], role="bureau_admin"),
               params={"filename": "theirs.xlsx"})

    response = admin_client.get(reverse("network:console_imports") + "?entity=practitioners")

    assert response.status_code == 200
    assert list(response.context["jobs"]) == [mine]
    assert response.context["form"].initial["entity"] == "practitioners"

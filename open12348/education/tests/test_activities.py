"""The outreach register: recording, scope, photos, the portal calendar and the report (Excel, PDF, API)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.education import reports, selectors, services
from open12348.education.models import Activity, ActivityPhoto
from open12348.network.choices import InstitutionKind
from open12348.network.models import Institution

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 32
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def bureau(region) -> Institution:
    return Institution.objects.filter(kind=InstitutionKind.JUDICIAL_BUREAU, region=region).first()


def data(world, county: str = "weidong", **overrides) -> dict:
    region = world["regions"][county]
    values = {
        "kind": "school_visit", "title": "送法进校园", "organiser": bureau(region), "region": region,
        "place": "卫东区第一初级中学", "service_point": None, "starts_at": at(dt.date(2026, 3, 2)), "ends_at": None,
        "audience": "minors", "audience_note": "初二学生", "attendance": 320, "materials": "宣传册500份",
        "follow_up_count": 2, "follow_up_notes": "两名家长咨询抚养费", "status": "held", "is_public": True,
    }
    values.update(overrides)
    return values


def test_recording_an_activity_is_audited_and_scoped(world):
    activity = services.activity_create(actor=world["wd_editor"], data=data(world))
    assert AuditEvent.objects.filter(action="education.activity.create", object_id=str(activity.pk)).exists()
    assert list(selectors.activities_visible_to(user=world["wd_director"])) == [activity]
    assert not selectors.activities_visible_to(user=world["xh_director"]).exists()
    assert list(selectors.activities_visible_to(user=world["city_admin"])) == [activity]


def test_refusals_change_nothing(world):
    with pytest.raises(ApplicationError) as refused:
        services.activity_create(actor=world["wd_window"], data=data(world))
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError) as refused:  # another county's organiser
        services.activity_create(actor=world["wd_editor"], data=data(world, organiser=bureau(world["regions"]["xinhua"])))
    assert refused.value.code == "organiser_out_of_scope"
    activity = services.activity_create(actor=world["wd_editor"], data=data(world))
    with pytest.raises(ApplicationError):
        services.activity_update(actor=world["xh_director"], activity=activity,
                                 data=data(world, attendance=1))
    with pytest.raises(ApplicationError) as refused:
        services.activity_update(actor=world["wd_editor"], activity=activity,
                                 data=data(world, starts_at=timezone.now() + dt.timedelta(days=3)))
    assert refused.value.code == "held_in_future"
    activity.refresh_from_db()
    assert activity.attendance == 320 and activity.starts_at == at(dt.date(2026, 3, 2))
    assert Activity.objects.count() == 1


def test_the_staff_form_records_an_activity(world, client):
    client.force_login(world["wd_editor"])
    region = world["regions"]["weidong"]
    response = client.post(reverse("education:activity_new"), {
        "kind": "lecture", "title": "法治讲堂：农民工讨薪", "organiser": bureau(region).pk, "region": region.pk,
        "place": "建设路工地", "starts_at": "2026-04-01T14:00", "audience": "migrant_workers",
        "attendance": "80", "follow_up_count": "3", "status": "held", "is_public": "on",
    })
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    assert activity.attendance == 80 and activity.follow_up_count == 3
    assert client.get(reverse("education:activity", args=[activity.pk])).status_code == 200
    client.force_login(world["xh_director"])
    assert client.get(reverse("education:activity", args=[activity.pk])).status_code == 404


def test_window_staff_cannot_open_the_register(world, client):
    client.force_login(world["wd_window"])
    assert client.get(reverse("education:activities")).status_code == 403


def test_photos_are_checked_and_served_only_to_staff_of_the_area(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = services.activity_create(actor=world["wd_editor"], data=data(world))
    with pytest.raises(ApplicationError) as refused:
        services.activity_photo_add(actor=world["wd_editor"], activity=activity,
                                    upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n" + b"0" * 40))
    assert refused.value.code in ("not_a_photo", "file_type")
    photo = services.activity_photo_add(actor=world["wd_editor"], activity=activity,
                                        upload=SimpleUploadedFile("合影.png", PNG))
    with pytest.raises(ApplicationError) as refused:
        services.activity_photo_add(actor=world["wd_editor"], activity=activity, upload=SimpleUploadedFile("b.png", PNG))
    assert refused.value.code == "duplicate_photo"
    assert ActivityPhoto.objects.count() == 1
    client.force_login(world["wd_director"])
    response = client.get(reverse("education:activity_photo", args=[activity.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(world["xh_director"])
    assert client.get(reverse("education:activity_photo", args=[activity.pk, photo.pk])).status_code == 404


def test_the_portal_calendar_shows_upcoming_public_activities_near_me(world, client):
    soon = timezone.localdate() + dt.timedelta(days=5)
    weidong = services.activity_create(actor=world["city_admin"], data=data(
        world, title="卫东区法治讲堂", status="planned", attendance=None, starts_at=at(soon)))
    services.activity_create(actor=world["city_admin"], data=data(
        world, "xinhua", title="新华区送法进校园", status="planned", attendance=None, starts_at=at(soon)))
    services.activity_create(actor=world["city_admin"], data=data(
        world, title="内部培训", status="planned", attendance=None, starts_at=at(soon), is_public=False))
    services.activity_create(actor=world["city_admin"], data=data(world, title="已举办"))
    page = client.get(reverse("learn:events"), {"county": "410403"})
    assert [a.title for a in page.context["page_obj"]] == [weidong.title]
    page = client.get(reverse("learn:events"))
    assert sorted(a.title for a in page.context["page_obj"]) == ["卫东区法治讲堂", "新华区送法进校园"]


@pytest.fixture
def register(world):
    make = services.activity_create
    actor = world["city_admin"]
    make(actor=actor, data=data(world))  # 卫东区, school visit, minors, 320, 2 follow-ups
    make(actor=actor, data=data(world, kind="lecture", audience="migrant_workers", attendance=80, follow_up_count=5,
                                starts_at=at(dt.date(2026, 5, 10))))
    make(actor=actor, data=data(world, "xinhua", kind="lecture", audience="elderly", attendance=60, follow_up_count=0,
                                starts_at=at(dt.date(2026, 6, 30), 15)))
    make(actor=actor, data=data(world, "xinhua", status="cancelled", attendance=None))
    make(actor=actor, data=data(world, starts_at=at(dt.date(2025, 12, 31))))  # outside the period
    return world


def test_the_report_counts_held_activities_by_county_kind_and_audience(register):
    report = reports.activity_report(user=register["city_admin"], start=PERIOD[0], end=PERIOD[1])
    assert (report.total.held, report.total.attendance, report.total.follow_ups) == (3, 460, 7)
    assert report.cancelled == 1 and report.planned == 0
    assert [(r.label, r.held, r.attendance) for r in report.by_county] == [("新华区", 1, 60), ("卫东区", 2, 400)]
    kinds = {r.label: (r.held, r.attendance) for r in report.by_kind if r.held}
    assert sorted(kinds.values()) == [(1, 320), (2, 140)]
    county_report = reports.activity_report(user=register["wd_director"], start=PERIOD[0], end=PERIOD[1])
    assert county_report.total.held == 2 and [r.label for r in county_report.by_county] == ["卫东区"]


def test_the_report_downloads_as_excel_with_the_filters_on_top(register, client):
    from openpyxl import load_workbook

    client.force_login(register["city_admin"])
    response = client.get(reverse("education:activity_report"),
                          {"start": "2026-01-01", "end": "2026-06-30", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "普法宣传活动统计表"
    assert "2026-01-01" in rows[1][1] and "2026-06-30" in rows[1][1]
    county_rows = {row[0]: tuple(row[1:4]) for row in rows if row[0] in ("卫东区", "新华区")}
    assert county_rows == {"卫东区": (2, 400, 7), "新华区": (1, 60, 0)}
    assert AuditEvent.objects.filter(action="education.report.export").count() == 1


def test_the_report_downloads_as_pdf(register, client):
    from pypdf import PdfReader

    client.force_login(register["city_admin"])
    response = client.get(reverse("education:activity_report"),
                          {"start": "2026-01-01", "end": "2026-06-30", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "普法宣传活动统计表" in text and "卫东区" in text and "460" in text


def test_the_report_page_rejects_a_reversed_period(register, client):
    client.force_login(register["city_admin"])
    response = client.get(reverse("education:activity_report"), {"start": "2026-06-30", "end": "2026-01-01"})
    assert response.status_code == 400


def test_the_activity_list_runs_a_fixed_number_of_queries(register, client, django_assert_max_num_queries):
    client.force_login(register["city_admin"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("education:activities")).status_code == 200


def test_the_api_gives_published_articles_to_anyone_and_the_summary_to_staff(register, client):
    from .conftest import content

    article = services.article_create(actor=register["wd_editor"], data=content(register["regions"]["weidong"]))
    services.article_create(actor=register["wd_editor"], data=content(register["regions"]["weidong"], title="草稿"))
    services.article_transition(actor=register["wd_editor"], article=article, action="submit")
    services.article_transition(actor=register["wd_director"], article=article, action="publish")
    body = client.get("/api/v1/education/articles/").json()
    results = body["results"] if isinstance(body, dict) else body
    assert [a["title"] for a in results] == [article.title]
    assert results[0]["next_step_url"] == reverse("portal:apply")
    assert client.get("/api/v1/education/activities/").status_code in (401, 403)
    client.force_login(register["city_admin"])
    summary = client.get("/api/v1/education/activities/", {"start": "2026-01-01", "end": "2026-06-30"}).json()
    assert summary["total"]["held"] == 3 and summary["cancelled"] == 1

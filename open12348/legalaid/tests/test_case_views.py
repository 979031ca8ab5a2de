"""The case console: assignment, the case list (the lawyer's workspace), one case and its actions, the
deadline board, the hearing calendar and the subsidy list with its Excel export.

Every refusal also checks that nothing changed; lists are checked for a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, get_resolver, include, path, resolve, reverse
from django.utils import timezone

from config import urls as project_urls
from open12348.audit.models import AuditEvent
from open12348.legalaid import services, services_cases
from open12348.legalaid.choices import CaseStatus as C
from open12348.legalaid.choices import ProgressKind
from open12348.legalaid.models import (
    Application,
    Assignment,
    Case,
    CaseEvent,
    Objection,
    ProgressEntry,
    Subsidy,
)
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    PractitionerFactory,
    UserFactory,
)

from .factories import centre_setup, id_number, wage_claim

# The lead includes the case URLs in config/urls.py; until then (and whatever the order) the tests
# route them themselves on top of the project's URLs.
urlpatterns = list(project_urls.urlpatterns)
if "cases" not in get_resolver("config.urls").namespace_dict:
    urlpatterns.insert(0, path("legal-aid/cases/", include("open12348.legalaid.urls_cases")))
try:
    resolve("/api/v1/legal-aid/cases", urlconf="config.urls")
except Resolver404:
    urlpatterns.insert(0, path("api/v1/", include("open12348.legalaid.api_urls_cases")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PHONE = "13803751234"
MASKED_PHONE = "138****1234"


# --- building a centre, lawyers and cases ----------------------------------------------------

@pytest.fixture
def world():
    return build_world()


def build_world() -> dict:
    setup = centre_setup()
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南鹰城律师事务所",
                              region=setup["regions"]["weidong"])
    for key, name in (("lawyer", "王德洲"), ("other_lawyer", "李秀英")):
        user = UserFactory(username=f"wd_{key}")
        MembershipFactory(user=user, institution=firm, role="lawyer")
        setup[key] = user
        setup[f"{key}_p"] = PractitionerFactory(name=name, institution=firm, region=firm.region, user=user)
    setup["firm"] = firm
    evaluator = UserFactory(username="wd_evaluator")
    MembershipFactory(user=evaluator, institution=setup["centre"], role="evaluator")
    setup["evaluator"] = evaluator
    return setup


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assert on the English source strings
    return client


_serial = iter(range(100, 999))


def granted(world, *, applicant: dict | None = None, **details) -> Application:
    """A wage claim registered, reviewed and granted: it waits for a lawyer."""
    n = next(_serial)
    person = applicant or {"name": f"康建军{n}", "id_number": id_number(f"41040319850317{n:03d}"), "phone": PHONE,
                           "groups": ["migrant_worker"], "address": "平顶山市卫东区建设路1号"}
    data = wage_claim(applicant=person)
    data["details"] = {**data["details"], **details}
    application = services.application_create(actor=world["window_staff"], centre=world["centre"], channel="window",
                                              **data)
    application = services.application_review_start(actor=world["reviewer"], application=application)
    return services.application_decide(actor=world["reviewer"], application=application, decision="grant",
                                       reasons="符合法律援助条件")


def assigned(world, *, lawyer: str = "lawyer", **kwargs) -> Case:
    return services_cases.case_assign(actor=world["director"], application=granted(world, **kwargs),
                                      lawyer=world[f"{lawyer}_p"])


def in_progress(world, **kwargs) -> Case:
    case = assigned(world, **kwargs)
    lawyer = world["lawyer"]
    case = services_cases.case_sign_agreement(actor=lawyer, case=case, signed_on=timezone.localdate())
    return services_cases.case_begin(actor=lawyer, case=case)


def closed(world, **kwargs) -> Case:
    case = in_progress(world, **kwargs)
    codes = [code for code, _label in services_cases.case_checklist(case)]
    return services_cases.case_close(actor=world["lawyer"], case=case, how_ended="mediation",
                                     ended_on=timezone.localdate(), outcome="调解结案，拿回工资", hearings=1,
                                     checklist=codes)


def state(case: Case) -> tuple:
    case.refresh_from_db()
    return case.status, case.version, case.lawyer_id, case.events.count()


def act(client: Client, case: Case, action: str, **data):
    data.setdefault("version", case.version)
    return client.post(reverse("cases:act", args=[case.pk, action]), data)


def query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- 1. assignment -----------------------------------------------------------------------------

class TestAssignmentQueue:
    def test_the_queue_lists_applications_without_a_case_priority_first_with_days_left(self, world):
        ordinary = granted(world, applicant={"name": "李四", "id_number": id_number("41040319900101123"),
                                             "phone": PHONE, "groups": ["migrant_worker"]})
        Application.objects.filter(pk=ordinary.pk).update(priority=False)
        priority = granted(world)
        done = assigned(world)
        response = login(world["director"]).get(reverse("cases:assignments"))
        assert response.status_code == 200
        body = response.content.decode()
        assert priority.number in body and ordinary.number in body
        assert done.number not in body
        assert body.index(priority.number) < body.index(ordinary.number)
        assert 'data-deadline="' in body

    @pytest.mark.parametrize("role", ["window_staff", "lawyer", "bureau_admin"])
    def test_roles_that_do_not_assign_are_refused(self, world, role):
        application = granted(world)
        client = login(world[role])
        assert client.get(reverse("cases:assignments")).status_code == 403
        before = application.version
        response = client.post(reverse("cases:assign", args=[application.pk]),
                               {"lawyer": world["lawyer_p"].pk, "version": application.version})
        assert response.status_code == 403
        application.refresh_from_db()
        assert application.version == before
        assert not Case.objects.exists()


class TestAssign:
    def test_the_page_suggests_lawyers_with_reasons_and_assigning_creates_the_case(self, world):
        application = granted(world)
        client = login(world["reviewer"])
        page = client.get(reverse("cases:assign", args=[application.pk]))
        assert page.status_code == 200
        body = page.content.decode()
        assert f'data-suggestion="{world["lawyer_p"].pk}"' in body
        assert "open legal aid cases" in body  # a reason is shown
        assert f'name="version" value="{application.version}"' in body

        response = client.post(reverse("cases:assign", args=[application.pk]),
                               {"lawyer": world["lawyer_p"].pk, "version": application.version})
        case = Case.objects.get(application=application)
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:detail", args=[case.pk])
        assert case.lawyer == world["lawyer_p"] and case.lawyer_user == world["lawyer"]
        assert case.institution == world["firm"]
        assert case.status == C.ASSIGNED

    def test_a_second_dispatcher_with_the_old_version_is_told_and_nothing_changes(self, world):
        application = granted(world)
        seen = application.version
        login(world["director"]).post(reverse("cases:assign", args=[application.pk]),
                                      {"lawyer": world["lawyer_p"].pk, "version": seen})
        response = login(world["reviewer"]).post(reverse("cases:assign", args=[application.pk]),
                                                 {"lawyer": world["other_lawyer_p"].pk, "version": seen},
                                                 follow=True)
        case = Case.objects.get(application=application)
        assert case.lawyer == world["lawyer_p"]
        assert Assignment.objects.filter(case=case).count() == 1
        assert "already been assigned" in response.content.decode() or "changed" in response.content.decode()

    def test_a_stale_version_is_a_409_and_creates_no_case(self, world):
        application = granted(world)
        response = login(world["director"]).post(reverse("cases:assign", args=[application.pk]),
                                                 {"lawyer": world["lawyer_p"].pk, "version": application.version - 1})
        assert response.status_code == 409
        assert not Case.objects.exists()
        application.refresh_from_db()
        assert f'name="version" value="{application.version}"' in response.content.decode()

    def test_a_conflict_of_interest_needs_a_recorded_reason(self, world):
        first = assigned(world)  # 王德洲 acts for the aided person of case 1
        aided = first.application.applicant.name
        application = granted(world, opposing_party=aided)  # …who is the opposing party here
        client = login(world["director"])
        page = client.get(reverse("cases:assign", args=[application.pk])).content.decode()
        assert "data-conflict" in page and first.number in page
        assert 'name="conflict_override"' in page

        refused = client.post(reverse("cases:assign", args=[application.pk]),
                              {"lawyer": world["lawyer_p"].pk, "version": application.version})
        assert refused.status_code == 400
        assert "data-chosen-conflicts" in refused.content.decode()
        assert not Case.objects.filter(application=application).exists()

        response = client.post(reverse("cases:assign", args=[application.pk]),
                               {"lawyer": world["lawyer_p"].pk, "version": application.version,
                                "conflict_override": "受援人书面同意，且两案无利益冲突"})
        assert response.status_code == 302
        case = Case.objects.get(application=application)
        assert case.assignments.get().conflict_override.startswith("受援人书面同意")

    def test_the_search_finds_lawyers_beyond_the_suggestions_by_pinyin(self, world):
        application = granted(world)
        for n in range(11):  # more than the ten suggestions
            PractitionerFactory(name=f"赵律师{n}", institution=world["firm"], region=world["firm"].region)
        outsider = PractitionerFactory(name="赵律师外", institution=InstitutionFactory(
            kind=InstitutionKind.LAW_FIRM, name="新华律所", region=world["regions"]["xinhua"]))
        client = login(world["director"])
        found = client.get(reverse("cases:lawyer_search", args=[application.pk]), {"q": "zhaolvshi"},
                           headers={"HX-Request": "true"})
        assert found.status_code == 200
        body = found.content.decode()
        assert 'data-found-lawyer="' in body
        assert f'data-found-lawyer="{outsider.pk}"' not in body  # outside the dispatcher's area
        without_js = client.get(reverse("cases:assign", args=[application.pk]), {"q": "zhaolvshi"}).content.decode()
        assert 'data-found-lawyer="' in without_js

    def test_an_application_of_another_area_is_not_found(self, world):
        application = granted(world)
        client = login(world["xinhua_reviewer"])
        assert client.get(reverse("cases:assign", args=[application.pk])).status_code == 404
        response = client.post(reverse("cases:assign", args=[application.pk]),
                               {"lawyer": world["lawyer_p"].pk, "version": application.version})
        assert response.status_code == 404
        assert not Case.objects.exists()


# --- 2. the case list ------------------------------------------------------------------------------

class TestCaseList:
    def test_staff_see_the_area_and_a_lawyer_only_their_own_cases(self, world):
        mine = assigned(world)
        theirs = assigned(world, lawyer="other_lawyer")
        staff = login(world["window_staff"]).get(reverse("cases:list")).content.decode()
        assert mine.number in staff and theirs.number in staff
        own = login(world["lawyer"]).get(reverse("cases:list")).content.decode()
        assert mine.number in own and theirs.number not in own
        assert "My legal aid cases" in own
        outside = login(world["xinhua_reviewer"]).get(reverse("cases:list")).content.decode()
        assert mine.number not in outside

    def test_filters_by_status(self, world):
        waiting = assigned(world)
        working = in_progress(world)
        body = login(world["director"]).get(reverse("cases:list"), {"status": C.IN_PROGRESS}).content.decode()
        assert working.number in body and waiting.number not in body

    def test_roles_without_cases_are_refused(self, world):
        assigned(world)
        assert login(world["evaluator"]).get(reverse("cases:list")).status_code == 403
        assert AuditEvent.objects.filter(action="auth.permission_denied", actor=world["evaluator"]).exists()

    @pytest.mark.parametrize("who", ["director", "lawyer"])
    def test_the_list_is_a_constant_number_of_queries(self, world, who):
        for _ in range(2):
            in_progress(world)
        client = login(world[who])
        url = reverse("cases:list")
        client.get(url)  # warm caches (sessions, content types)
        few = query_count(client, url)
        for _ in range(4):
            in_progress(world)
        assert query_count(client, url) == few


# --- 3. one case ---------------------------------------------------------------------------------

class TestCaseDetail:
    def test_a_lawyer_cannot_open_or_act_on_another_lawyers_case(self, world):
        case = assigned(world, lawyer="other_lawyer")
        client = login(world["lawyer"])
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
        before = state(case)
        response = act(client, case, "sign_agreement", signed_on=timezone.localdate().isoformat())
        assert response.status_code == 404
        assert state(case) == before

    def test_the_assigned_lawyer_sees_the_full_phone_and_the_reading_is_audited(self, world):
        case = assigned(world)
        body = login(world["lawyer"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert PHONE in body and 'data-phone="full"' in body
        assert AuditEvent.objects.filter(action="legalaid.case.view_contact", actor=world["lawyer"],
                                         object_id=str(case.pk)).count() == 1

    def test_staff_without_private_data_see_a_masked_phone_and_nothing_is_audited(self, world):
        case = assigned(world)
        body = login(world["window_staff"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert PHONE not in body and MASKED_PHONE in body
        assert not AuditEvent.objects.filter(action="legalaid.case.view_contact").exists()

    def test_the_page_offers_only_the_actions_of_the_status_and_the_role(self, world):
        case = assigned(world)
        lawyer = login(world["lawyer"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert 'data-action="sign_agreement"' in lawyer and 'data-action="progress"' in lawyer
        assert 'data-action="close"' not in lawyer and 'data-action="reassign"' not in lawyer
        director = login(world["director"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert 'data-action="reassign"' in director and 'data-action="terminate"' in director
        assert 'data-action="sign_agreement"' not in director  # the lawyer has an account: their step
        assert "T5 Proceedings ended or the case was withdrawn" in director

    @pytest.mark.parametrize("role", ["window_staff", "director", "other_lawyer"])
    def test_only_the_assigned_lawyer_signs(self, world, role):
        case = assigned(world)
        before = state(case)
        response = act(login(world[role]), case, "sign_agreement", signed_on=timezone.localdate().isoformat())
        assert response.status_code in (403, 404)
        assert state(case) == before

    def test_a_stale_version_is_a_409_and_changes_nothing(self, world):
        case = assigned(world)
        client = login(world["lawyer"])
        response = act(client, case, "sign_agreement", version=case.version + 5,
                       signed_on=timezone.localdate().isoformat())
        assert response.status_code == 409
        assert state(case)[0] == C.ASSIGNED

    def test_an_action_in_the_wrong_status_is_refused_with_a_message(self, world):
        case = assigned(world)
        before = state(case)
        response = act(login(world["lawyer"]), case, "begin")
        assert response.status_code == 409
        assert "cannot be done while the case is" in response.content.decode()
        assert state(case) == before

    def test_a_hearing_without_its_court_is_refused_at_the_field(self, world):
        case = in_progress(world)
        response = login(world["lawyer"]).post(reverse("cases:act", args=[case.pk, "progress"]), {
            "kind": ProgressKind.HEARING, "occurred_on": timezone.localdate().isoformat(),
            "hearing_at": "2030-01-01T09:00"})
        assert response.status_code == 400
        assert 'data-field="court"' in response.content.decode()
        assert not ProgressEntry.objects.exists()

    def test_the_workspace_is_a_constant_number_of_queries(self, world):
        case = in_progress(world)
        client = login(world["lawyer"])
        url = reverse("cases:detail", args=[case.pk])
        client.get(url)
        few = query_count(client, url)
        for n in range(5):
            services_cases.progress_add(actor=world["lawyer"], case=case, kind=ProgressKind.MEETING,
                                        occurred_on=timezone.localdate(), note=f"会见 {n}")
        assert query_count(client, url) == few


# --- the whole path through the screens ------------------------------------------------------------

class TestFullPath:
    def test_assign_sign_begin_hearing_close_archive_and_pay(self, world):
        application = granted(world)
        director, lawyer = login(world["director"]), login(world["lawyer"])
        today = timezone.localdate()

        director.post(reverse("cases:assign", args=[application.pk]),
                      {"lawyer": world["lawyer_p"].pk, "version": application.version})
        case = Case.objects.get(application=application)
        assert act(lawyer, case, "sign_agreement", signed_on=today.isoformat()).status_code == 302
        case.refresh_from_db()
        assert case.status == C.AGREEMENT_SIGNED
        assert act(lawyer, case, "begin").status_code == 302
        case.refresh_from_db()
        hearing_at = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
        response = lawyer.post(reverse("cases:act", args=[case.pk, "progress"]), {
            "kind": ProgressKind.HEARING, "occurred_on": today.isoformat(),
            "hearing_at": hearing_at.strftime("%Y-%m-%dT%H:%M"), "court": "卫东区人民法院", "courtroom": "第三法庭",
            "note": "开庭"})
        assert response.status_code == 302
        calendar = director.get(reverse("cases:hearings")).content.decode()
        assert "卫东区人民法院" in calendar and case.number in calendar

        checklist = [code for code, _label in services_cases.case_checklist(case)]
        case.refresh_from_db()
        response = act(lawyer, case, "close", how_ended="mediation", ended_on=today.isoformat(),
                       outcome="调解结案，追回工资36000元", amount_recovered="36000", amount_awarded="0",
                       people_aided="3", hearings="1", checklist=checklist)
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == C.CLOSED

        response = act(director, case, "archive_review", result="pass", file_rating="合格", archive_number="档-1")
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == C.ARCHIVED and case.archive_number == "档-1"

        response = act(director, case, "pay_subsidy", paid_on=today.isoformat())
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == C.SUBSIDY_PAID
        subsidy = Subsidy.objects.get(case=case)
        assert subsidy.amount == Decimal("1200.00") and subsidy.month == f"{today:%Y-%m}"
        kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
        assert kinds == ["assigned", "agreement_signed", "begun", "progress", "closed", "archived", "subsidy_paid"]
        detail = director.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert "Subsidy paid" in detail and "Archive review passed" in detail

    def test_a_returned_file_goes_back_to_the_lawyer_and_is_resubmitted(self, world):
        case = closed(world)
        director, lawyer = login(world["director"]), login(world["lawyer"])
        refused = act(director, case, "archive_review", result="return")
        assert refused.status_code == 400 and 'data-field="reasons"' in refused.content.decode()
        assert state(case)[0] == C.CLOSED
        assert act(director, case, "archive_review", result="return", reasons="缺少调解书").status_code == 302
        case.refresh_from_db()
        assert case.status == C.RETURNED
        assert act(lawyer, case, "resubmit", note="已补充调解书").status_code == 302
        assert state(case)[0] == C.CLOSED

    def test_termination_objection_and_correction(self, world):
        case = in_progress(world)
        director = login(world["director"])
        assert act(director, case, "terminate", ground="T5", report="对方已全额支付，案件撤回").status_code == 302
        case.refresh_from_db()
        assert case.status == C.TERMINATED
        before = state(case)
        assert act(login(world["lawyer"]), case, "object_termination", reasons="x").status_code == 403
        assert state(case) == before
        assert act(login(world["window_staff"]), case, "object_termination",
                   reasons="受援人称对方未付款").status_code == 302
        case.refresh_from_db()
        assert case.status == C.TERMINATION_OBJECTION
        assert act(login(world["bureau_admin"]), case, "decide_objection", outcome="correct",
                   reasons="对方未实际支付").status_code == 302
        case.refresh_from_db()
        assert case.status == C.IN_PROGRESS
        assert Objection.objects.get(application=case.application).status == "corrected"

    def test_reassignment_moves_the_case_to_the_other_lawyer(self, world):
        case = assigned(world)
        response = act(login(world["director"]), case, "reassign", lawyer=world["other_lawyer_p"].pk,
                       reason="受援人申请更换承办律师")
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.lawyer_user == world["other_lawyer"]
        assert login(world["lawyer"]).get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert login(world["other_lawyer"]).get(reverse("cases:detail", args=[case.pk])).status_code == 200


# --- 4. deadlines --------------------------------------------------------------------------------

class TestDeadlines:
    def test_three_columns_and_a_lawyer_sees_only_their_own(self, world):
        today = timezone.localdate()
        overdue, due_today, soon = assigned(world), assigned(world), assigned(world, lawyer="other_lawyer")
        Case.objects.filter(pk=overdue.pk).update(agreement_due=today - dt.timedelta(days=2))
        Case.objects.filter(pk=due_today.pk).update(agreement_due=today)
        Case.objects.filter(pk=soon.pk).update(agreement_due=today + dt.timedelta(days=2))
        body = login(world["director"]).get(reverse("cases:deadlines")).content.decode()
        for column, case in (("overdue", overdue), ("due_today", due_today), ("due_soon", soon)):
            section = body[body.index(f'data-column="{column}"'):]
            section = section[:section.index("</section>")]
            assert case.number in section
        own = login(world["lawyer"]).get(reverse("cases:deadlines")).content.decode()
        assert overdue.number in own and soon.number not in own

    def test_roles_without_cases_are_refused(self, world):
        assert login(world["evaluator"]).get(reverse("cases:deadlines")).status_code == 403


# --- 5. hearing calendar ---------------------------------------------------------------------------

class TestHearings:
    def test_the_week_and_the_month_list_hearings_in_range(self, world):
        case = in_progress(world)
        today = timezone.localdate()
        next_month = (today.replace(day=1) + dt.timedelta(days=40)).replace(day=10)
        at = timezone.make_aware(dt.datetime.combine(next_month, dt.time(14, 0)))
        services_cases.progress_add(actor=world["lawyer"], case=case, kind=ProgressKind.HEARING, occurred_on=today,
                                    hearing_at=at, court="平顶山市中级人民法院", courtroom="第一法庭")
        client = login(world["reviewer"])
        this_week = client.get(reverse("cases:hearings")).content.decode()
        assert "平顶山市中级人民法院" not in this_week
        month = client.get(reverse("cases:hearings"), {"period": "month", "start": next_month.isoformat()})
        body = month.content.decode()
        assert "平顶山市中级人民法院" in body and "第一法庭" in body and "14:00" in body and "王德洲" in body

    def test_a_lawyer_cannot_see_the_calendar(self, world):
        assert login(world["lawyer"]).get(reverse("cases:hearings")).status_code == 403


# --- 6. subsidies --------------------------------------------------------------------------------

def paid(world, *, on: dt.date) -> Subsidy:
    case = closed(world)
    case = services_cases.archive_review(actor=world["director"], case=case, passed=True, file_rating="合格")
    return services_cases.subsidy_pay(actor=world["director"], case=case, paid_on=on)


class TestSubsidies:
    def test_the_month_lists_its_payments_with_the_total(self, world):
        today = timezone.localdate()
        first, second = paid(world, on=today), paid(world, on=today)
        response = login(world["director"]).get(reverse("cases:subsidies"), {"month": f"{today:%Y-%m}"})
        body = response.content.decode()
        assert first.case.number in body and second.case.number in body
        assert "2400.00" in body

    def test_the_excel_export_opens_and_has_the_months_rows_and_is_audited(self, world):
        from openpyxl import load_workbook

        today = timezone.localdate()
        first, second = paid(world, on=today), paid(world, on=today)
        response = login(world["director"]).get(reverse("cases:subsidies_export"), {"month": f"{today:%Y-%m}"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        rows = list(workbook.active.iter_rows(values_only=True))
        numbers = {row[0] for row in rows[1:-1]}
        assert numbers == {first.case.number, second.case.number}
        assert rows[-1][5] == 2400
        event = AuditEvent.objects.get(action="legalaid.subsidy.export")
        assert event.actor == world["director"] and event.extra["rows"] == 2

    @pytest.mark.parametrize("role", ["reviewer", "lawyer"])
    def test_roles_that_do_not_pay_are_refused_and_nothing_is_exported(self, world, role):
        client = login(world[role])
        assert client.get(reverse("cases:subsidies")).status_code == 403
        assert client.get(reverse("cases:subsidies_export")).status_code == 403
        assert not AuditEvent.objects.filter(action="legalaid.subsidy.export").exists()

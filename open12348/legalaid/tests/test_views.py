"""The legal aid console: intake for every channel, the application page, actions, the audited reveal,
and the bureau's decision on objections. Every refusal also checks that nothing changed."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.legalaid import services
from open12348.legalaid.choices import ApplicationStatus as S
from open12348.legalaid.models import Application, ApplicationEvent, Objection, Person
from open12348.network.tests.factories import MembershipFactory, UserFactory

from .factories import MAN, centre_setup, contract_dispute, id_number, wage_claim

pytestmark = pytest.mark.django_db

MASKED_MAN = MAN[:6] + "********" + MAN[-4:]
PHONE = "13803751234"


@pytest.fixture
def setup():
    return centre_setup()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assert on the English source strings
    return client


def create(setup, data=None, **kwargs) -> Application:
    data = data or wage_claim()
    kwargs.setdefault("channel", "window")
    return services.application_create(actor=setup["window_staff"], centre=setup["centre"], **data, **kwargs)


def state(application: Application) -> tuple:
    application.refresh_from_db()
    return application.status, application.version, application.events.count()


def form_data(setup, **overrides) -> dict:
    data = {
        "idempotency_key": uuid.uuid4().hex,
        "channel": "window",
        "centre": setup["centre"].pk,
        "applicant_name": "康建军",
        "applicant_id_number": MAN,
        "applicant_phone": PHONE,
        "applicant_address": "平顶山市卫东区建设路1号",
        "applicant_groups": ["migrant_worker"],
        "matter": "CV-05",
        "matter_subtype": "wages",
        "category": "civil",
        "aid_form": "labour_arbitration",
        "stage": "arbitration",
        "cause": "追索劳动报酬",
        "opposing_party": "平顶山某建筑公司",
        "facts": "节日加班未支付加班工资",
        "amount_claimed": "36000",
        "people_count": "3",
        "household_members": "3",
        "household_monthly_income": "2400",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def act(client, application, action, **data):
    data.setdefault("version", application.version)
    return client.post(reverse("legalaid:act", args=[application.pk, action]), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- who may see what ----------------------------------------------------------------------

class TestAccess:
    def test_each_screen_renders_for_the_roles_that_use_it(self, setup):
        application = create(setup)
        window, reviewer = login(setup["window_staff"]), login(setup["reviewer"])
        for client in (window, reviewer):
            assert client.get(reverse("legalaid:queue")).status_code == 200
            assert client.get(reverse("legalaid:detail", args=[application.pk])).status_code == 200
            assert client.get(reverse("legalaid:create")).status_code == 200
        assert login(setup["bureau_admin"]).get(reverse("legalaid:queue")).status_code == 200

    def test_a_role_without_legal_aid_access_gets_403_and_the_refusal_is_audited(self, setup):
        application = create(setup)
        lawyer = UserFactory(username="wd_lawyer")
        MembershipFactory(user=lawyer, institution=setup["centre"], role="lawyer")
        client = login(lawyer)
        for url in (reverse("legalaid:queue"), reverse("legalaid:create"),
                    reverse("legalaid:detail", args=[application.pk])):
            assert client.get(url).status_code == 403
        assert AuditEvent.objects.filter(action="auth.permission_denied", actor=lawyer).count() == 3

    def test_the_bureau_cannot_register_applications(self, setup):
        client = login(setup["bureau_admin"])
        response = client.post(reverse("legalaid:create"), form_data(setup))
        assert response.status_code == 403
        assert not Application.objects.exists()

    def test_anonymous_users_are_sent_to_sign_in(self, setup):
        response = Client().get(reverse("legalaid:queue"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_another_countys_application_is_the_same_404_as_a_missing_one(self, setup):
        application = create(setup)
        client = login(setup["xinhua_reviewer"])
        assert client.get(reverse("legalaid:detail", args=[application.pk])).status_code == 404
        assert client.get(reverse("legalaid:detail", args=[999999])).status_code == 404
        before = state(application)
        response = act(client, application, "review_start")
        assert response.status_code == 404
        assert state(application) == before
        assert client.post(reverse("legalaid:private", args=[application.pk])).status_code == 404
        assert not AuditEvent.objects.filter(action="legalaid.application.view_private").exists()


# --- intake ----------------------------------------------------------------------------------

class TestIntake:
    def test_the_form_defaults_to_the_users_centre_and_carries_a_fresh_key(self, setup):
        client = login(setup["window_staff"])
        first = client.get(reverse("legalaid:create")).context["form"]
        second = client.get(reverse("legalaid:create")).context["form"]
        assert first.initial["centre"] == setup["centre"].pk
        assert first.initial["idempotency_key"] != second.initial["idempotency_key"]
        # Only centres in the user's area are offered.
        assert list(first.fields["centre"].queryset) == [setup["centre"]]

    def test_a_window_application_is_registered_end_to_end(self, setup):
        client = login(setup["window_staff"])
        response = client.post(reverse("legalaid:create"), form_data(setup), follow=True)
        application = Application.objects.get()
        assert response.redirect_chain[-1][0] == reverse("legalaid:detail", args=[application.pk])
        assert any(application.number in m for m in messages_of(response))
        assert application.channel == "window" and application.status == S.RECEIVED
        assert application.applicant.id_number == MAN
        assert application.household["members"] == 3
        assert Decimal(application.household["monthly_income"]) == Decimal("2400")
        assert application.priority is True and application.eligibility["eligible"] is True
        assert application.created_by == setup["window_staff"]

    def test_a_detention_forwarding_is_registered_with_its_24_hour_clock(self, setup):
        client = login(setup["window_staff"])
        received = timezone.localtime() - dt.timedelta(hours=30)
        client.post(reverse("legalaid:create"), form_data(
            setup, channel="detention_forwarding", channel_detail="平顶山市看守所", matter="CR-A-DEF",
            matter_subtype="", category="criminal", aid_form="criminal_defence", stage="investigation",
            cause="盗窃", applicant_groups=[], facility_received_at=received.strftime("%Y-%m-%dT%H:%M"),
        ))
        application = Application.objects.get()
        assert application.channel == "detention_forwarding"
        assert application.channel_detail == "平顶山市看守所"
        assert application.forwarding_due_at == received.replace(second=0, microsecond=0) + dt.timedelta(hours=24)
        assert application.events.get().data["forwarded_late"] is True
        page = client.get(reverse("legalaid:detail", args=[application.pk])).content.decode()
        assert 'data-forwarding="late"' in page

    def test_a_detention_forwarding_without_the_facilitys_time_is_refused_at_that_field(self, setup):
        client = login(setup["window_staff"])
        response = client.post(reverse("legalaid:create"), form_data(setup, channel="detention_forwarding"))
        assert response.status_code == 200
        assert "facility_received_at" in response.context["form"].errors
        assert not Application.objects.exists()

    def test_a_notification_skips_review(self, setup):
        client = login(setup["window_staff"])
        data = form_data(
            setup, channel="notification", notifying_organ="public_security", notice_number="卫公通〔2026〕12号",
            applicant_name="王小", applicant_id_number=id_number("41040320100101123"), applicant_phone="",
            applicant_groups=[], matter="CR-N-MINOR", matter_subtype="", category="", aid_form="criminal_defence",
            stage="investigation", cause="盗窃", household_members="", household_monthly_income="",
        )
        response = client.post(reverse("legalaid:create"), data)
        application = Application.objects.get()
        assert response.status_code == 302
        assert application.status == S.NOTIFIED
        assert application.category == "criminal"  # the matter's usual category when left blank
        assert application.notifying_organ == "public_security" and application.assignment_due is not None
        assert application.review_due is None and application.household == {}

    def test_a_notification_without_its_document_number_is_refused_at_that_field(self, setup):
        client = login(setup["window_staff"])
        response = client.post(reverse("legalaid:create"), form_data(
            setup, channel="notification", notifying_organ="court", matter="CR-N-MINOR", matter_subtype="",
            category="criminal", aid_form="criminal_defence"))
        assert list(response.context["form"].errors) == ["notice_number"]
        assert not Application.objects.exists()

    def test_a_bad_check_digit_is_shown_at_the_id_field_and_everything_typed_is_kept(self, setup):
        client = login(setup["window_staff"])
        wrong = MAN[:-1] + ("0" if MAN[-1] != "0" else "1")
        response = client.post(reverse("legalaid:create"), form_data(setup, applicant_id_number=wrong))
        form = response.context["form"]
        assert response.status_code == 200
        assert list(form.errors) == ["applicant_id_number"]
        page = response.content.decode()
        assert 'data-field="applicant_id_number"' in page
        assert 'value="康建军"' in page and "节日加班未支付加班工资" in page
        assert not Application.objects.exists() and not Person.objects.exists()

    def test_a_household_error_from_the_service_lands_at_its_field(self, setup):
        client = login(setup["window_staff"])
        response = client.post(reverse("legalaid:create"),
                               form_data(setup, applicant_groups=["three_no_elderly"]))
        # The engine refuses a group that contradicts the age derived from the ID number.
        assert list(response.context["form"].errors) == ["applicant_groups"]
        assert not Application.objects.exists()

    def test_a_double_submit_makes_one_application(self, setup):
        client = login(setup["window_staff"])
        data = form_data(setup)
        first = client.post(reverse("legalaid:create"), data)
        second = client.post(reverse("legalaid:create"), data)
        assert Application.objects.count() == 1
        assert first.url == second.url == reverse("legalaid:detail", args=[Application.objects.get().pk])

    def test_the_eligibility_check_answers_without_saving_anything(self, setup):
        client = login(setup["window_staff"])
        audit_rows = AuditEvent.objects.count()
        response = client.post(reverse("legalaid:create"), {**form_data(setup), "check": "1"},
                               HTTP_HX_REQUEST="true")
        page = response.content.decode()
        assert response.status_code == 200
        assert 'data-eligible="true"' in page
        assert 'data-rule="GC-MIGRANT"' in page and 'data-rule="EX-03"' in page
        assert "<html" not in page  # htmx gets the fragment only
        assert not Application.objects.exists() and not Person.objects.exists()
        assert AuditEvent.objects.count() == audit_rows

    def test_the_eligibility_check_reports_bad_input_at_its_field(self, setup):
        client = login(setup["window_staff"])
        wrong = MAN[:-1] + ("0" if MAN[-1] != "0" else "1")
        response = client.post(reverse("legalaid:create"),
                               {**form_data(setup, applicant_id_number=wrong), "check": "1"}, HTTP_HX_REQUEST="true")
        assert [p["field"] for p in response.context["problems"]] == ["applicant_id_number"]
        assert response.context["answer"] is None

    def test_the_eligibility_check_works_without_javascript(self, setup):
        client = login(setup["window_staff"])
        response = client.post(reverse("legalaid:create"),
                               {**form_data(setup, matter="CV-OTHER", matter_subtype=""), "check": "1"})
        assert response.status_code == 200
        assert response.context["answer"]["eligible"] is False
        assert 'value="康建军"' in response.content.decode()  # the whole form comes back as typed
        assert not Application.objects.exists()


# --- the application page ----------------------------------------------------------------------

class TestDetail:
    def test_personal_data_is_masked_and_private_details_are_not_on_the_page(self, setup):
        application = create(setup)
        for role in ("window_staff", "reviewer"):
            page = login(setup[role]).get(reverse("legalaid:detail", args=[application.pk])).content.decode()
            assert MASKED_MAN in page and "138****1234" in page
            assert MAN not in page and PHONE not in page
            assert "节日加班" not in page  # the facts are behind the reveal
        assert not AuditEvent.objects.filter(action="legalaid.application.view_private").exists()

    def test_the_page_shows_the_eligibility_answer_deadlines_and_timeline(self, setup):
        application = create(setup)
        response = login(setup["reviewer"]).get(reverse("legalaid:detail", args=[application.pk]))
        page = response.content.decode()
        assert 'data-rule="GC-MIGRANT"' in page
        assert [d["due"] for d in response.context["deadlines"]] == [application.review_due]
        assert 'data-event="received"' in page

    def test_reviewers_see_the_persons_other_applications(self, setup):
        first = create(setup)
        second = create(setup)
        response = login(setup["reviewer"]).get(reverse("legalaid:detail", args=[second.pk]))
        assert [a.pk for a in response.context["other_applications"]] == [first.pk]
        window = login(setup["window_staff"]).get(reverse("legalaid:detail", args=[second.pk]))
        assert window.context["other_applications"] is None

    def test_the_actions_offered_follow_the_status_and_the_users_capabilities(self, setup):
        application = create(setup)
        url = reverse("legalaid:detail", args=[application.pk])
        reviewer = {a["name"] for a in login(setup["reviewer"]).get(url).context["actions"]}
        window = {a["name"] for a in login(setup["window_staff"]).get(url).context["actions"]}
        bureau = {a["name"] for a in login(setup["bureau_admin"]).get(url).context["actions"]}
        assert reviewer == {"review_start", "supplement_request", "decide", "advance_aid", "withdraw"}
        assert window == {"withdraw"}
        assert bureau == set()
        upload = reverse("legalaid:material_upload", args=[application.pk])
        assert upload in login(setup["window_staff"]).get(url).content.decode()
        assert upload not in login(setup["bureau_admin"]).get(url).content.decode()

    def test_the_decision_form_is_prefilled_from_the_eligibility_check(self, setup):
        eligible = create(setup)
        refused = create(setup, contract_dispute())
        for application, decision in ((eligible, "grant"), (refused, "refuse")):
            response = login(setup["reviewer"]).get(reverse("legalaid:detail", args=[application.pk]))
            decide = next(a for a in response.context["actions"] if a["name"] == "decide")
            assert decide["form"].initial["decision"] == decision
            for rule in application.eligibility["rules"]:
                assert rule["code"] in decide["form"].initial["reasons"]


# --- actions ---------------------------------------------------------------------------------

class TestActions:
    def test_supplement_request_then_materials_received(self, setup):
        application = create(setup)
        reviewer, window = login(setup["reviewer"]), login(setup["window_staff"])
        response = act(reviewer, application, "supplement_request", items="身份证复印件\n\n劳动合同\n", note="请补充")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.SUPPLEMENT_REQUESTED and application.review_due is None
        assert application.supplement_requests.get().items == ["身份证复印件", "劳动合同"]
        response = act(window, application, "supplement_receive", note="已收到")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.UNDER_REVIEW and application.review_due is not None
        page = reviewer.get(reverse("legalaid:detail", args=[application.pk])).content.decode()
        assert 'data-supplement="fulfilled"' in page and "劳动合同" in page

    def test_an_empty_materials_list_is_refused_at_its_field(self, setup):
        application = create(setup)
        before = state(application)
        response = act(login(setup["reviewer"]), application, "supplement_request", items="  \n ")
        assert response.status_code == 400
        bound = next(a for a in response.context["actions"] if a["name"] == "supplement_request")["form"]
        assert "items" in bound.errors
        assert state(application) == before

    def test_grant(self, setup):
        application = create(setup)
        client = login(setup["reviewer"])
        act(client, application, "review_start")
        application.refresh_from_db()
        response = act(client, application, "decide", decision="grant", reasons="符合法律援助条件")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.APPROVED and application.decided_by == setup["reviewer"]
        assert application.assignment_due is not None and application.decision_override is False
        page = client.get(reverse("legalaid:detail", args=[application.pk]))
        assert list(page.context["documents"]) == list(application.documents.all())
        for document in application.documents.all():
            assert reverse("legalaid:document_download", args=[application.pk, document.pk]) in page.content.decode()

    def test_refuse_needs_reasons(self, setup):
        application = create(setup, contract_dispute())
        client = login(setup["reviewer"])
        before = state(application)
        response = act(client, application, "decide", decision="refuse", reasons="")
        assert response.status_code == 400
        bound = next(a for a in response.context["actions"] if a["name"] == "decide")["form"]
        assert list(bound.errors) == ["reasons"]
        assert state(application) == before
        response = act(client, application, "decide", decision="refuse", reasons="不属于法律援助事项范围")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.REJECTED and application.decision_reasons == "不属于法律援助事项范围"

    def test_deciding_against_the_check_needs_an_override_reason(self, setup):
        application = create(setup, contract_dispute())  # the check says: not eligible
        client = login(setup["reviewer"])
        before = state(application)
        response = act(client, application, "decide", decision="grant", reasons="")
        bound = next(a for a in response.context["actions"] if a["name"] == "decide")["form"]
        assert list(bound.errors) == ["override_reason"]
        assert state(application) == before
        act(client, application, "decide", decision="grant", reasons="", override_reason="申请人系军属")
        application.refresh_from_db()
        assert application.status == S.APPROVED
        assert application.decision_override is True and application.override_reason == "申请人系军属"

    def test_advance_aid_then_regularise(self, setup):
        application = create(setup)
        client = login(setup["reviewer"])
        near = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        response = act(client, application, "advance_aid", reason="仲裁时效将届满", limitation_deadline=near)
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.ADVANCE_AID and application.limitation_deadline.isoformat() == near
        act(client, application, "regularise", reasons="材料已补齐")
        application.refresh_from_db()
        assert application.status == S.APPROVED and application.regularised_at is not None

    def test_advance_aid_for_a_distant_deadline_is_refused_at_that_field(self, setup):
        application = create(setup)
        before = state(application)
        far = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
        response = act(login(setup["reviewer"]), application, "advance_aid", reason="x", limitation_deadline=far)
        bound = next(a for a in response.context["actions"] if a["name"] == "advance_aid")["form"]
        assert list(bound.errors) == ["limitation_deadline"]
        assert state(application) == before

    def test_withdraw(self, setup):
        application = create(setup)
        response = act(login(setup["window_staff"]), application, "withdraw", note="申请人撤回")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == S.WITHDRAWN

    def test_objection_filed_and_corrected_by_the_bureau(self, setup):
        application = create(setup, contract_dispute())
        act(login(setup["reviewer"]), application, "decide", decision="refuse", reasons="不属于法律援助事项范围")
        application.refresh_from_db()
        response = act(login(setup["window_staff"]), application, "object", reasons="申请人认为属于援助范围")
        assert response.status_code == 302
        application.refresh_from_db()
        objection = Objection.objects.get()
        assert application.status == S.OBJECTION and objection.status == "pending"

        bureau = login(setup["bureau_admin"])
        url = reverse("legalaid:objection_decide", args=[objection.pk])
        page = bureau.get(url)
        assert page.status_code == 200 and "申请人认为属于援助范围" in page.content.decode()
        queue = bureau.get(reverse("legalaid:queue") + "?queue=objections").content.decode()
        assert url in queue
        response = bureau.post(url, {"outcome": "correct", "reasons": "属于地方扩展事项",
                                     "version": application.version})
        assert response.status_code == 302
        application.refresh_from_db()
        objection.refresh_from_db()
        assert objection.status == "corrected" and application.status == S.APPROVED

    def test_only_the_bureau_decides_objections_and_a_refusal_changes_nothing(self, setup):
        application = create(setup, contract_dispute())
        services.application_decide(actor=setup["reviewer"], application=application, decision="refuse",
                                    reasons="不属于法律援助事项范围")
        objection = services.objection_file(actor=setup["window_staff"], application=application, reasons="异议")
        before = state(application)
        url = reverse("legalaid:objection_decide", args=[objection.pk])
        for role in ("reviewer", "director"):
            client = login(setup[role])
            assert client.get(url).status_code == 403
            assert client.post(url, {"outcome": "correct", "reasons": "x", "version": before[1]}).status_code == 403
        objection.refresh_from_db()
        assert objection.status == "pending" and state(application) == before

    def test_window_staff_cannot_decide_and_the_refusal_changes_nothing(self, setup):
        application = create(setup)
        before = state(application)
        response = act(login(setup["window_staff"]), application, "decide", decision="grant", reasons="x")
        assert response.status_code == 403
        assert state(application) == before
        denied = AuditEvent.objects.get(action="auth.permission_denied", actor=setup["window_staff"])
        assert denied.object_id == str(application.pk) and denied.result == "denied"

    def test_an_action_the_status_does_not_allow_is_a_conflict(self, setup):
        application = create(setup)
        client = login(setup["reviewer"])
        before = state(application)
        response = act(client, application, "regularise")
        assert response.status_code == 409
        assert state(application) == before

    def test_an_unknown_action_is_404(self, setup):
        application = create(setup)
        assert act(login(setup["reviewer"]), application, "explode").status_code == 404

    def test_a_stale_version_gets_the_conflict_message_and_changes_nothing(self, setup):
        application = create(setup)
        seen = application.version
        # Another reviewer starts the review first.
        services.application_review_start(actor=setup["director"], application=application, expected_version=seen)
        before = state(application)
        response = act(login(setup["reviewer"]), application, "decide", version=seen, decision="grant",
                       reasons="符合条件")
        assert response.status_code == 409
        assert any("Someone else changed this application" in m for m in messages_of(response))
        assert state(application) == before
        # The form comes back with what was typed, against the version now on screen.
        decide = next(a for a in response.context["actions"] if a["name"] == "decide")["form"]
        assert decide.initial["version"] == before[1] and decide.initial["reasons"] == "符合条件"

    def test_a_stale_version_on_an_objection_changes_nothing(self, setup):
        application = create(setup, contract_dispute())
        services.application_decide(actor=setup["reviewer"], application=application, decision="refuse",
                                    reasons="不属于")
        application.refresh_from_db()
        stale = application.version - 1
        before = state(application)
        response = act(login(setup["window_staff"]), application, "object", version=stale, reasons="异议")
        assert response.status_code == 409
        assert state(application) == before and not Objection.objects.exists()


# --- the audited reveal ------------------------------------------------------------------------

class TestReveal:
    def test_a_reviewer_sees_the_full_values_and_each_view_is_audited(self, setup):
        application = create(setup, wage_claim(household={"members": 3, "monthly_income": "2400",
                                                           "assets": "自住房一套"}))
        client = login(setup["reviewer"])
        url = reverse("legalaid:private", args=[application.pk])
        page = client.post(url).content.decode()
        assert MAN in page and PHONE in page and "2400" in page and "自住房一套" in page and "节日加班" in page
        client.post(url, HTTP_HX_REQUEST="true")
        rows = AuditEvent.objects.filter(action="legalaid.application.view_private", actor=setup["reviewer"])
        assert rows.count() == 2
        assert {r.object_id for r in rows} == {str(application.pk)}
        assert all(MAN not in str(r.extra) for r in rows)

    def test_window_staff_cannot_reveal(self, setup):
        application = create(setup)
        response = login(setup["window_staff"]).post(reverse("legalaid:private", args=[application.pk]))
        assert response.status_code == 403
        assert MAN not in response.content.decode()
        assert AuditEvent.objects.filter(action="auth.permission_denied", actor=setup["window_staff"]).exists()
        assert not AuditEvent.objects.filter(action="legalaid.application.view_private").exists()

    def test_the_reveal_is_post_only(self, setup):
        application = create(setup)
        response = login(setup["reviewer"]).get(reverse("legalaid:private", args=[application.pk]))
        assert response.status_code == 405
        assert not AuditEvent.objects.filter(action="legalaid.application.view_private").exists()

    def test_the_service_refuses_and_audits_without_the_capability(self, setup):
        from django.core.exceptions import PermissionDenied

        from open12348.legalaid.services_private import application_private_view

        application = create(setup)
        with pytest.raises(PermissionDenied):
            application_private_view(actor=setup["window_staff"], application=application)
        denied = AuditEvent.objects.get(action="auth.permission_denied")
        assert denied.object_id == str(application.pk)
        assert ApplicationEvent.objects.filter(application=application).count() == 1


def test_the_bureau_can_uphold_a_refusal_from_the_application_page(setup):
    application = create(setup, contract_dispute())
    services.application_decide(actor=setup["reviewer"], application=application, decision="refuse", reasons="不属于")
    objection = services.objection_file(actor=setup["window_staff"], application=application, reasons="异议")
    application.refresh_from_db()
    bureau = login(setup["bureau_admin"])
    page = bureau.get(reverse("legalaid:detail", args=[application.pk]))
    assert page.context["objection_form"] is not None
    response = bureau.post(reverse("legalaid:objection_decide", args=[objection.pk]),
                           {"outcome": "uphold", "reasons": "确不属于援助范围", "version": application.version})
    assert response.status_code == 302
    objection.refresh_from_db()
    application.refresh_from_db()
    assert objection.status == "upheld" and application.status == S.REJECTED
    # Deciding it again is a conflict, and changes nothing.
    before = state(application)
    again = bureau.post(reverse("legalaid:objection_decide", args=[objection.pk]),
                        {"outcome": "correct", "reasons": "x", "version": application.version})
    assert again.status_code == 409
    assert state(application) == before

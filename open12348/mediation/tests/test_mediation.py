import datetime as dt
import io

import pytest
from docx import Document
from pypdf import PdfReader

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid.eligibility.codes import Channel
from open12348.legalaid.tests.factories import MAN
from open12348.mediation import services
from open12348.mediation.choices import DisputeStatus, PartyConsent
from open12348.mediation.documents import agreement_docx, agreement_pdf
from open12348.mediation.models import Agreement, DisputeCase, Session

from .conftest import TODAY, register

pytestmark = pytest.mark.django_db


def consent_all(case, actor):
    for party in case.parties.all():
        case = services.party_consent_record(actor=actor, party=party, consents=True)
    return case


def test_register_encrypts_and_masks_personal_data(world):
    case = register(world)
    assert case.number == "〔2026〕调字第0001号"
    assert case.status == DisputeStatus.AWAITING_CONSENT
    assert case.guideline_due == dt.date(2026, 4, 2)
    party = case.parties.get(name="康建军")
    assert party.id_number == MAN and party.id_number_masked == "410403********1234"[:6] + "********" + MAN[-4:]
    assert party.phone_masked == "138****1234"
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM mediation_party WHERE id = %s", [party.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert MAN not in raw_id and "13803751234" not in raw_phone
    assert case.parties.filter(side="applicant").count() == 2


def test_a_dispute_needs_a_party_on_each_side(world):
    with pytest.raises(ApplicationError) as exc:
        register(world, parties=[{"side": "applicant", "name": "甲"}])
    assert exc.value.code == "parties_required"
    assert not DisputeCase.objects.exists()


def test_without_every_consent_nothing_can_be_mediated(world):
    case = register(world)
    first = case.parties.first()
    case = services.party_consent_record(actor=world["mediator"], party=first, consents=True)
    assert case.status == DisputeStatus.AWAITING_CONSENT
    with pytest.raises(ApplicationError) as exc:
        services.session_record(actor=world["mediator"], case=case, held_on=TODAY, notes="第一次调解")
    assert exc.value.code == "consent_missing"
    with pytest.raises(ApplicationError) as exc:
        services.agreement_make(actor=world["mediator"], case=case, made_on=TODAY, issues="x", content="y",
                                performance_manner="z", performance_due=TODAY)
    assert exc.value.code == "consent_missing"
    assert not Session.objects.exists() and not Agreement.objects.exists()


def test_a_refusal_ends_the_mediation(world):
    case = register(world)
    parties = list(case.parties.all())
    services.party_consent_record(actor=world["mediator"], party=parties[0], consents=True)
    case = services.party_consent_record(actor=world["mediator"], party=parties[2], consents=False)
    assert case.status == DisputeStatus.REFUSED and case.closed_on == TODAY
    with pytest.raises(ApplicationError):
        services.party_consent_record(actor=world["mediator"], party=parties[1], consents=True)
    assert case.parties.get(pk=parties[1].pk).consent == PartyConsent.PENDING
    assert list(case.events.values_list("action", flat=True)) == ["register", "consent", "refusal", "refuse"]


def test_from_consent_to_confirmed_and_performed_agreement(world):
    case = register(world)
    case = consent_all(case, world["station"])
    assert case.status == DisputeStatus.MEDIATING
    services.session_record(actor=world["mediator"], case=case, held_on=TODAY + dt.timedelta(days=2),
                            place="东安路司法所调解室", notes="双方陈述意见，初步同意疏通排水沟")
    agreement = services.agreement_make(
        actor=world["mediator"], case=case, made_on=dt.date(2026, 3, 10), issues="排水沟堵塞致雨水倒灌，双方均有责任",
        content="王秀英于三月底前疏通排水沟并赔偿康建军损失人民币800元", performance_manner="现金一次性支付",
        performance_due=dt.date(2026, 3, 31))
    with pytest.raises(ApplicationError) as exc:
        services.agreement_sign(actor=world["mediator"], agreement=agreement, signed_on=dt.date(2026, 3, 10),
                                all_parties_signed=True, mediator_signed=True, sealed=False)
    assert exc.value.code == "signing_incomplete"
    agreement.refresh_from_db()
    assert agreement.effective_on is None
    agreement = services.agreement_sign(actor=world["mediator"], agreement=agreement, signed_on=dt.date(2026, 3, 10),
                                        all_parties_signed=True, mediator_signed=True, sealed=True)
    assert agreement.effective_on == dt.date(2026, 3, 10)
    assert agreement.confirmation_due == dt.date(2026, 4, 9)
    agreement = services.confirmation_apply(actor=world["mediator"], agreement=agreement,
                                            applied_on=dt.date(2026, 3, 20), court="平顶山市卫东区人民法院")
    agreement = services.confirmation_result_record(actor=world["mediator"], agreement=agreement,
                                                    result="confirmed", decided_on=dt.date(2026, 3, 30))
    agreement = services.performance_record(actor=world["mediator"], agreement=agreement, performance="performed",
                                            checked_on=dt.date(2026, 4, 2), note="已付清")
    case.refresh_from_db()
    assert case.status == DisputeStatus.AGREED and case.closed_on == dt.date(2026, 3, 10)
    assert agreement.confirmation_result == "confirmed" and agreement.performance == "performed"
    assert AuditEvent.objects.filter(action__startswith="mediation.").count() >= 8


def test_confirmation_window_moves_past_the_national_day_holiday(world):
    # Effective 1 September 2026: day 30 is 1 October, in the National Day holiday (1–7 October).
    due = services.confirmation_window(dt.date(2026, 9, 1))
    assert due.due == dt.date(2026, 10, 8)
    assert dt.date(2026, 10, 1) in due.moved_over


def test_an_application_after_the_window_is_refused(world):
    case = consent_all(register(world), world["mediator"])
    agreement = services.agreement_make(actor=world["mediator"], case=case, made_on=TODAY, issues="责任", content="内容",
                                        performance_manner="转账", performance_due=TODAY)
    agreement = services.agreement_sign(actor=world["mediator"], agreement=agreement, signed_on=TODAY,
                                        all_parties_signed=True, mediator_signed=True, sealed=True)
    with pytest.raises(ApplicationError) as exc:
        services.confirmation_apply(actor=world["mediator"], agreement=agreement,
                                    applied_on=agreement.confirmation_due + dt.timedelta(days=1), court="卫东区人民法院")
    assert exc.value.code == "window_passed"
    agreement.refresh_from_db()
    assert agreement.confirmation_applied_on is None


def _signed_agreement(world):
    case = consent_all(register(world), world["mediator"])
    agreement = services.agreement_make(actor=world["mediator"], case=case, made_on=TODAY,
                                        issues="排水沟堵塞，双方均有责任", content="王秀英赔偿康建军损失人民币800元",
                                        performance_manner="现金一次性支付", performance_due=dt.date(2026, 3, 31))
    return services.agreement_sign(actor=world["mediator"], agreement=agreement, signed_on=TODAY,
                                   all_parties_signed=True, mediator_signed=True, sealed=True)


def test_agreement_pdf_has_the_article_28_contents(world):
    agreement = _signed_agreement(world)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(agreement_pdf(agreement))).pages)
    text = text.replace(" ", "").replace("\n", "")
    for expected in ("人民调解协议书", "东安路街道人民调解委员会", "康建军", "王秀英", MAN, "纠纷主要事实",
                     "院墙滴水", "争议事项及各方当事人的责任", "赔偿康建军损失人民币800元", "履行方式及期限",
                     "现金一次性支付", "2026年3月31日", "马秀兰"):
        assert expected in text, expected


def test_agreement_docx_opens_with_the_chinese_text(world):
    agreement = _signed_agreement(world)
    document = Document(io.BytesIO(agreement_docx(agreement)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "人民调解协议书" in text and "王秀英赔偿康建军损失人民币800元" in text and "申请司法确认" in text


def test_failed_mediation_referred_to_legal_aid(world):
    case = consent_all(register(world, dispute_type="labour"), world["mediator"])
    case = services.dispute_fail(actor=world["mediator"], case=case, closed_on=TODAY, note="被申请人拒绝支付")
    party = case.parties.get(name="康建军")
    application = services.dispute_refer_legal_aid(actor=world["district"], case=case, party=party,
                                                   centre=world["centre"])
    assert application.channel == Channel.MEDIATION
    assert application.applicant.name == "康建军" and application.matter == "CV-05"
    case.refresh_from_db()
    assert case.legal_aid_application == application and case.referral == "legal_aid"


def test_failed_mediation_recorded_as_referred_to_arbitration(world):
    case = consent_all(register(world), world["mediator"])
    case = services.dispute_fail(actor=world["mediator"], case=case, closed_on=TODAY, note="调解不成",
                                 referral="arbitration", referral_note="告知向劳动人事争议仲裁委员会申请仲裁")
    assert case.status == DisputeStatus.FAILED and case.get_referral_display()


def test_outsiders_cannot_act_and_nothing_changes(world):
    case = register(world)
    party = case.parties.first()
    with pytest.raises(ApplicationError) as exc:
        services.party_consent_record(actor=world["xinhua_mediator"], party=party, consents=False)
    assert exc.value.status == 404
    with pytest.raises(ApplicationError) as exc:
        services.party_consent_record(actor=world["window_staff"], party=party, consents=False)
    assert exc.value.status == 403
    case.refresh_from_db()
    assert case.status == DisputeStatus.AWAITING_CONSENT and case.version == 1
    assert set(case.parties.values_list("consent", flat=True)) == {PartyConsent.PENDING}


def test_guideline_overdue_flag(world):
    case = register(world, received_on=dt.date(2026, 1, 31))
    assert case.guideline_due == dt.date(2026, 2, 28)
    assert case.overdue_on(TODAY)
    assert not case.overdue_on(dt.date(2026, 2, 28))


def test_confirmation_reminder_reaches_the_township_staff(world):
    from open12348.mediation.reminders import mediation_deadlines

    agreement = _signed_agreement(world)
    deadlines = list(mediation_deadlines(today=agreement.confirmation_due, within_days=1))
    keys = {d.key for d in deadlines}
    assert f"mediation.agreement:{agreement.pk}:confirmation" in keys
    recipients = next(d for d in deadlines if "confirmation" in d.key).recipients
    assert {u.username for u in recipients} >= {"t_mediator", "t_station"}

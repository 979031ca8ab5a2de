"""The life of an online question: ask, answer, follow up, close, withdraw, decline; limits and permissions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.consult import services, workflow
from open12348.consult.choices import QuestionStatus, ReplyAuthor
from open12348.consult.models import Attachment, Question, Reply
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError, ConflictError
from open12348.notifications import backends
from open12348.portal.identity import citizen_phone_hash

from .factories import ASKER, OTHER, answered, ask

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


def snapshot(question: Question) -> tuple:
    question.refresh_from_db()
    return question.status, question.version, question.replies.count(), len(backends.outbox)


# --- asking ------------------------------------------------------------------------------------

def test_ask_makes_a_waiting_question_with_a_code_a_due_date_and_a_text_message(data):
    weidong = data["regions"]["weidong"]
    question = ask(weidong, send_sms=True)
    assert question.status == QuestionStatus.WAITING
    assert len(question.tracking_code) == 10 and question.tracking_code.isdigit()
    expected = due_date(start=timezone.localdate(), days=services.answer_days(), calendar=legal_calendar()).due
    assert question.answer_due == expected
    assert question.phone_hash == citizen_phone_hash(ASKER)
    [sms] = backends.outbox
    assert sms.to == ASKER and question.tracking_code in sms.body
    assert "工资" not in sms.body  # the question's words never travel by SMS
    assert AuditEvent.objects.filter(action="consult.question.ask", object_id=str(question.pk)).exists()


def test_the_phone_and_the_question_are_encrypted_at_rest(data):
    question = ask(data["regions"]["weidong"], text="我的身份证号是410403198503171234，老板欠钱不给。")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, text FROM consult_question WHERE id = %s", [question.pk])
        phone, text = cursor.fetchone()
    assert ASKER not in phone and "410403198503171234" not in text and "老板" not in text


def test_the_same_form_sent_twice_makes_one_question(data):
    weidong = data["regions"]["weidong"]
    kwargs = {"phone": ASKER, "region": weidong, "category": "labour", "text": "老板拖欠工资怎么办呢？",
              "wants_public": False, "submit_token": "same-token"}
    first = services.question_ask(**kwargs)
    second = services.question_ask(**kwargs)
    assert first.pk == second.pk and Question.objects.count() == 1


def test_a_phone_may_ask_only_so_many_questions_a_day(data, settings):
    settings.CONSULT_MAX_QUESTIONS_PER_DAY = 2
    weidong = data["regions"]["weidong"]
    ask(weidong)
    ask(weidong)
    with pytest.raises(ApplicationError) as refused:
        ask(weidong)
    assert refused.value.code == "too_many_questions" and refused.value.status == 429
    assert Question.objects.count() == 2
    ask(weidong, phone=OTHER)  # another phone is not held back


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"text": "太短"}, "too_short", "text"),
    ({"text": "字" * 2001}, "too_long", "text"),
    ({"category": "astrology"}, "category_invalid", "category"),
    ({"region": None}, "region_required", "region"),
    ({"phone": "12345"}, "phone_invalid", "phone"),
])
def test_bad_questions_are_refused_at_their_field_and_nothing_is_written(data, change, code, field):
    kwargs = {"phone": ASKER, "region": data["regions"]["weidong"], "category": "labour",
              "text": "老板拖欠工资怎么办呢？", "wants_public": False, "submit_token": "t", **change}
    with pytest.raises(ApplicationError) as refused:
        services.question_ask(**kwargs)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert Question.objects.count() == 0


def test_a_photo_is_kept_under_its_hash(data):
    question = ask(data["regions"]["weidong"], attachment=Upload(PNG, "../../合同 照片.png"))
    [row] = question.attachments.all()
    assert row.content_type == "image/png" and row.original_name == "合同 照片.png"
    assert row.file.name.endswith(row.sha256) and row.file.read() == PNG


@pytest.mark.parametrize(("data_bytes", "name", "code"), [
    (b"MZ\x90\x00 this is a program", "photo.jpg", "file_type"),
    (b"", "empty.png", "file_empty"),
])
def test_an_unacceptable_attachment_stops_the_question(data, data_bytes, name, code):
    with pytest.raises(ApplicationError) as refused:
        ask(data["regions"]["weidong"], attachment=Upload(data_bytes, name))
    assert (refused.value.code, refused.value.field) == (code, "attachment")
    assert Question.objects.count() == 0 and Attachment.objects.count() == 0


def test_an_attachment_over_the_limit_is_refused(data, settings):
    settings.CONSULT_ATTACHMENT_MAX_BYTES = 32
    with pytest.raises(ApplicationError) as refused:
        ask(data["regions"]["weidong"], attachment=Upload(PNG, "big.png"))
    assert refused.value.code == "file_too_large"
    assert Question.objects.count() == 0


# --- answering ---------------------------------------------------------------------------------

def test_a_duty_lawyer_of_the_region_answers_and_the_asker_is_texted_a_link(data, settings):
    settings.NOTIFY_SITE_URL = "https://12348.example.cn"
    question = ask(data["regions"]["weidong"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        reply = services.question_answer(actor=data["weidong_lawyer"], question=question,
                                         text="可以申请劳动仲裁，也可以向劳动监察投诉。")
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.answered_by == data["weidong_lawyer"]
    assert reply.author_kind == ReplyAuthor.LAWYER
    [sms] = backends.outbox
    assert sms.to == ASKER
    assert f"https://12348.example.cn/portal/ask/q/{question.tracking_code}/" in sms.body
    assert "仲裁" not in sms.body


def test_a_city_supervisor_answers_questions_of_every_district(data):
    question = ask(data["regions"]["xinhua"])
    services.question_answer(actor=data["supervisor"], question=question, text="这个问题可以这样处理：先协商，再仲裁。")
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED


@pytest.mark.parametrize(("who", "status"), [("xinhua_lawyer", 404), ("window", 403), ("weidong_admin", 403)])
def test_others_cannot_answer_and_nothing_changes(data, who, status):
    question = ask(data["regions"]["weidong"])
    before = snapshot(question)
    with pytest.raises(ApplicationError) as refused:
        services.question_answer(actor=data[who], question=question, text="这是一个不该被保存的答复内容。")
    assert refused.value.status == status
    assert snapshot(question) == before


def test_two_lawyers_answering_at_once_one_wins(data):
    question = ask(data["regions"]["weidong"])
    services.question_answer(actor=data["weidong_lawyer"], question=question, text="第一位律师的答复内容。",
                             expected_version=question.version)
    with pytest.raises(ConflictError):
        services.question_answer(actor=data["supervisor"], question=question, text="第二位律师同时写的答复。",
                                 expected_version=question.version)
    assert Reply.objects.filter(question=question).count() == 1


def test_an_answer_may_be_added_to(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    services.question_answer(actor=data["weidong_lawyer"], question=question, text="补充一点：仲裁时效是一年。")
    assert question.replies.filter(author_kind=ReplyAuthor.LAWYER).count() == 2


def test_declining_tells_the_asker_where_to_go(data):
    question = ask(data["regions"]["weidong"])
    with pytest.raises(ApplicationError) as refused:
        services.question_decline(actor=data["weidong_lawyer"], question=question, reason="去")
    assert refused.value.field == "reason"
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.question_decline(actor=data["weidong_lawyer"], question=question,
                                  reason="需要看合同原件，请带材料到卫东区公共法律服务中心。")
    question.refresh_from_db()
    assert question.status == QuestionStatus.DECLINED and "合同原件" in question.declined_reason
    assert len(backends.outbox) == 1


# --- the asker ---------------------------------------------------------------------------------

def test_a_follow_up_puts_the_question_back_in_the_queue_with_a_new_due_date(data, monkeypatch):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    later = timezone.now() + dt.timedelta(days=10)
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.question_follow_up(phone_hash=citizen_phone_hash(ASKER), question=question, text="那仲裁要交钱吗？")
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING
    assert question.answer_due > timezone.localdate(later) - dt.timedelta(days=1)


def test_only_the_asker_follows_up_and_only_so_often(data, settings):
    settings.CONSULT_MAX_FOLLOW_UPS = 1
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    with pytest.raises(ApplicationError) as refused:
        services.question_follow_up(phone_hash=citizen_phone_hash(OTHER), question=question, text="我也想问问")
    assert refused.value.status == 404
    services.question_follow_up(phone_hash=citizen_phone_hash(ASKER), question=question, text="那仲裁要交钱吗？")
    services.question_answer(actor=data["weidong_lawyer"], question=question, text="劳动仲裁不收费，可以放心申请。")
    with pytest.raises(ApplicationError) as refused:
        services.question_follow_up(phone_hash=citizen_phone_hash(ASKER), question=question, text="还有一个问题")
    assert refused.value.code == "too_many_follow_ups"
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED


def test_withdraw_only_while_waiting_and_close_only_when_answered(data):
    asker = citizen_phone_hash(ASKER)
    waiting = ask(data["regions"]["weidong"])
    with pytest.raises(ConflictError):
        services.question_close(phone_hash=asker, question=waiting)
    services.question_withdraw(phone_hash=asker, question=waiting)
    waiting.refresh_from_db()
    assert waiting.status == QuestionStatus.WITHDRAWN
    with pytest.raises(ConflictError):
        services.question_answer(actor=data["weidong_lawyer"], question=waiting, text="撤回之后不能再回答的内容。")

    done = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    with pytest.raises(ConflictError):
        services.question_withdraw(phone_hash=asker, question=done)
    services.question_close(phone_hash=asker, question=done)
    done.refresh_from_db()
    assert done.status == QuestionStatus.CLOSED


def test_the_workflow_table_says_where_each_action_leads():
    assert workflow.actions_from(QuestionStatus.WAITING) == ["answer", "decline", "withdraw"]
    assert workflow.actions_from(QuestionStatus.ANSWERED) == ["answer", "follow_up", "close"]
    for final in (QuestionStatus.CLOSED, QuestionStatus.WITHDRAWN, QuestionStatus.DECLINED):
        assert workflow.actions_from(final) == []

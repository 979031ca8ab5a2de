"""Test helpers for consultation: a region with its duty lawyers, questions asked through the service."""

from __future__ import annotations

import itertools

from django.test import TestCase

from open12348.consult import services
from open12348.consult.models import Question
from open12348.network.tests.factories import pingdingshan, staff_in

ASKER = "13803751234"
OTHER = "13903759876"
_tokens = itertools.count(1)


def world() -> dict:
    """卫东区 and 新华区 with their duty lawyers, a city supervisor, a bureau admin and a director."""
    regions = pingdingshan()
    return {
        "regions": regions,
        "weidong_lawyer": staff_in(regions["weidong"], role="duty_lawyer", username="wd_duty"),
        "xinhua_lawyer": staff_in(regions["xinhua"], role="duty_lawyer", username="xh_duty"),
        "supervisor": staff_in(regions["city"], role="hotline_supervisor", username="city_supervisor"),
        "weidong_admin": staff_in(regions["weidong"], role="bureau_admin", username="wd_admin"),
        "xinhua_director": staff_in(regions["xinhua"], role="director", username="xh_director"),
        "window": staff_in(regions["weidong"], role="window_staff", username="wd_window"),
    }


def ask(region, *, phone: str = ASKER, text: str = "老板拖欠我三个月工资，我该怎么办？", category: str = "labour",
        public: bool = True, attachment=None, send_sms: bool = False) -> Question:
    """A question asked through the service (its SMS runs only with send_sms, after commit)."""
    kwargs = {"phone": phone, "region": region, "category": category, "text": text, "wants_public": public,
              "submit_token": f"token-{next(_tokens)}", "attachment": attachment}
    if send_sms:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return services.question_ask(**kwargs)
    return services.question_ask(**kwargs)


def answered(region, lawyer, *, phone: str = ASKER, public: bool = True,
             answer: str = "可以向劳动监察大队投诉，或者申请劳动仲裁；农民工讨薪可以申请法律援助。") -> Question:
    question = ask(region, phone=phone, public=public)
    services.question_answer(actor=lawyer, question=question, text=answer)
    question.refresh_from_db()
    return question

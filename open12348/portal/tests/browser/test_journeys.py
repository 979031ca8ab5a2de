"""A new citizen's journeys through 掌上12348 on a phone: find a lawyer by pinyin initials, ask a
question and see the answer arrive, rate it; plus the large-text switch. Every step leaves a
screenshot in var/screenshots/, and the main pages are checked with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from open12348.consult.choices import FollowUpStatus, QuestionStatus
from open12348.consult.models import FollowUp, Question, Rating
from open12348.network.choices import InstitutionKind, ServicePointKind
from open12348.network.models import ServiceType, Specialty
from open12348.network.tests.factories import (
    InstitutionFactory,
    PractitionerFactory,
    ServicePointFactory,
    pingdingshan,
    staff_in,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13803751234"


def directory() -> dict:
    regions = pingdingshan()
    aid = ServiceType.objects.create(code="legal-aid", name="法律援助")
    advice = ServiceType.objects.create(code="advice", name="法律咨询")
    labour = Specialty.objects.create(code="labour", name="劳动争议")
    point = ServicePointFactory(kind=ServicePointKind.CENTRE, name="卫东区公共法律服务中心", region=regions["weidong"],
                                address="平顶山市卫东区建设路12号", phone="0375-2812348")
    point.services.set([aid, advice])
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南碧野律师事务所", region=regions["weidong"],
                              phone="0375-2934567", opening_hours="周一至周五 8:30-17:30", service_point=point)
    firm.services.set([advice])
    lawyer = PractitionerFactory(name="王德洲", institution=firm, region=regions["weidong"], duty_hours="周二上午")
    lawyer.specialties.set([labour])
    PractitionerFactory(name="王德明", institution=firm, region=regions["weidong"])
    PractitionerFactory(name="李秀英", institution=firm, region=regions["weidong"])
    return {"regions": regions, "lawyer": lawyer, "firm": firm}


def staff_page(browser_context_factory, live_url: str, user):
    """A second browser, signed in as `user` (a session made by the test client, handed over as a cookie)."""
    client = Client()
    client.force_login(user)
    context = browser_context_factory()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_url}])
    return context.new_page()


@pytest.fixture
def new_context(_playwright_browser, live_url):
    contexts = []

    def make():
        context = _playwright_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def assert_accessible(axe_check, page, what: str) -> None:
    violations = axe_check(page)
    assert violations == [], f"{what}: {violations}"


def test_find_a_lawyer_by_pinyin_initials(browser_page, live_url, shot, axe_check):
    data = directory()
    page = browser_page
    page.goto(f"{live_url}/portal/")
    shot("home")
    assert_accessible(axe_check, page, "home")

    page.locator(".p-nav").get_by_role("link", name=re.compile("找|Find help")).click()
    page.wait_for_url(re.compile(r"/portal/help/$"))
    shot("find-help")
    assert_accessible(axe_check, page, "find help")

    page.locator("#id_q").fill("wdz")
    page.get_by_role("button", name=re.compile("搜索|Search")).click()
    page.wait_for_url(re.compile(r"/portal/help/people/\?q=wdz"))
    results = page.locator("ul.results > li")
    assert results.count() == 1  # 王德洲, not 王德明 (wdm) nor 李秀英
    assert "王德洲" in results.first.inner_text()
    shot("results-wdz")
    assert_accessible(axe_check, page, "people results")

    results.first.get_by_role("link", name="王德洲").click()
    page.wait_for_url(re.compile(rf"/portal/help/people/{data['lawyer'].pk}/$"))
    call = page.locator("a.tel").first
    assert call.get_attribute("href") == "tel:0375-2934567"
    assert "劳动争议" in page.content() and "周二上午" in page.content()
    shot("lawyer")
    assert_accessible(axe_check, page, "lawyer page")

    page.get_by_role("link", name="河南碧野律师事务所").click()
    assert "周一至周五 8:30-17:30" in page.content()
    shot("law-firm")
    page.get_by_role("link", name="卫东区公共法律服务中心").click()
    assert "法律援助" in page.locator("dl").inner_text()
    shot("service-point")
    assert_accessible(axe_check, page, "service point")


def test_large_text_mode_is_one_switch_and_is_remembered(browser_page, live_url, shot, axe_check):
    directory()
    page = browser_page
    page.goto(f"{live_url}/portal/help/points/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.locator(".btn-switch").click()
    page.wait_for_url(re.compile(r"/portal/help/points/$"))
    assert page.locator("body.elder").count() == 1
    large = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large >= normal * 1.2
    assert page.locator(".btn-switch").get_attribute("aria-pressed") == "true"
    shot("large-text")
    assert_accessible(axe_check, page, "large text")
    page.goto(f"{live_url}/portal/")  # remembered on the next page (cookie)
    assert page.locator("body.elder").count() == 1
    shot("large-text-home")
    page.locator(".btn-switch").click()
    assert page.locator("body.elder").count() == 0


def test_ask_a_question_see_the_answer_and_rate_it(browser_page, live_url, shot, axe_check, citizen_login,
                                                     new_context):
    data = directory()
    regions = data["regions"]
    lawyer = staff_in(regions["city"], role="duty_lawyer", username="duty_luo")
    supervisor = staff_in(regions["city"], role="hotline_supervisor", username="supervisor_zhao")
    page = browser_page

    page.goto(f"{live_url}/portal/")
    page.get_by_role("link", name=re.compile("问律师|Ask a lawyer")).first.click()
    # Not signed in: the SMS-code pages first, then the notice for sensitive information.
    page.wait_for_url(re.compile(r"/portal/verify/"))
    citizen_login(page, PHONE, "/portal/ask/", shot=shot)
    page.wait_for_url(re.compile(r"/portal/consent/\?purpose=sensitive"))
    shot("consent")
    assert_accessible(axe_check, page, "consent")
    page.locator("#id_agree").check()
    page.get_by_role("button", name=re.compile("同意|Agree")).click()
    page.wait_for_url(re.compile(r"/portal/ask/$"))
    shot("ask-form")
    assert_accessible(axe_check, page, "ask form")

    # Sent without a category and with too short a text: messages at the fields, the text kept.
    page.locator("#id_text").fill("工资")
    page.get_by_role("button", name=re.compile("提交|Send my question")).click()
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_category_field .field-error").is_visible()
    assert page.locator("#id_region_field .field-error").is_visible()
    assert page.locator("#id_text_field .field-error").is_visible()
    assert page.locator("#id_text").input_value() == "工资"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    shot("ask-errors")
    assert_accessible(axe_check, page, "ask form with errors")

    page.get_by_label(re.compile("工资|Wages")).check()
    page.locator("#id_region").select_option("410403")
    page.locator("#id_text").fill("我在工地干了三个月，老板王德洲一直不给工资，他的电话13912345678。我该怎么办？")
    page.get_by_label(re.compile("可以|Yes, after")).check()
    page.get_by_role("button", name=re.compile("提交|Send my question")).click()
    page.wait_for_url(re.compile(r"/portal/ask/q/\d{10}/$"))
    question = Question.objects.get()
    assert question.status == QuestionStatus.WAITING
    assert question.tracking_code in page.content()
    shot("question-waiting")
    assert_accessible(axe_check, page, "question waiting")

    # A duty lawyer answers from the console queue, in another browser.
    console = staff_page(new_context, live_url, lawyer)
    console.goto(f"{live_url}/consult/")
    console.get_by_role("link", name=question.tracking_code).click()
    console.locator("#id_text").fill("拖欠工资可以向劳动监察大队投诉，也可以申请劳动仲裁。农民工讨薪可以申请法律援助，不审查经济困难。")
    shot("lawyer-answers", page=console)
    console.get_by_role("button", name=re.compile("发送|Send the answer")).click()
    console.wait_for_url(re.compile(r"/consult/$"))

    # The citizen's page notices the new version and shows the answer without a tap.
    page.wait_for_selector(".thread .from-lawyer", timeout=15_000)
    assert "劳动仲裁" in page.locator(".thread").inner_text()
    shot("answer-arrived")
    assert_accessible(axe_check, page, "question answered")

    page.get_by_role("link", name=re.compile("评价|Rate this answer")).click()
    page.wait_for_url(re.compile(r"/portal/rate/\?kind=question"))
    shot("rate-form")
    assert_accessible(axe_check, page, "rating form")
    page.get_by_label(re.compile("^(不满意|Dissatisfied)$")).check()
    page.locator("#id_comment").fill("回答太简单了，想再问问。")
    page.get_by_role("button", name=re.compile("提交|Send my rating")).click()
    page.wait_for_url(re.compile(r"/portal/rate/\?kind=question"))
    assert page.locator(".alert-warning").is_visible()
    shot("rated")
    rating = Rating.objects.get()
    assert rating.level == 2 and rating.question_id == question.pk
    follow_up = FollowUp.objects.get(rating=rating)
    assert follow_up.status == FollowUpStatus.OPEN

    # The hotline supervisor sees the follow-up in the console.
    console = staff_page(new_context, live_url, supervisor)
    console.goto(f"{live_url}/consult/followups/")
    assert question.tracking_code in console.content()
    shot("follow-up-list", page=console)

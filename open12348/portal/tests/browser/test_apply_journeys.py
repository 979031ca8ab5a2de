"""Applying for legal aid on a phone: a migrant worker owed wages (green channel) and a traffic
victim whose income is tested, each through every screen of the interview; the pre-filled form
downloaded; and the application followed through approval by a reviewer. Every screen leaves a
screenshot in var/screenshots/, and the pages are checked with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from open12348.legalaid import services
from open12348.legalaid.models import Application
from open12348.legalaid.tests.factories import MAN, centre_setup

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13803751234"
SAVE = re.compile("保存并继续|Save and continue")

WAGES = [
    ("region", "410403"), ("for_whom", "self"), ("topic", "work"), ("problem", "wages"), ("other_counsel", "no"),
    ("applicant_name", "康建军"), ("applicant_id_number", MAN), ("groups", ["migrant_worker"]),
    ("stage", "arbitration"), ("handling_organ", "平顶山市劳动人事争议仲裁委员会"),
    ("opposing_party", "平顶山某建筑公司"), ("amount_claimed", "36000"), ("people_count", "3"),
    ("facts", "2025年在工地干活，老板拖欠工资36000元，一直不给。"), ("township", "410403001"),
    ("address", "平顶山市卫东区建设路1号"),
]
TRAFFIC = [
    ("region", "410403"), ("for_whom", "self"), ("topic", "injury"), ("problem", "traffic"), ("other_counsel", "no"),
    ("applicant_name", "李明"), ("applicant_id_number", MAN), ("groups", []), ("household_members", "3"),
    ("monthly_income", "2400"), ("integrity_commitment", True), ("stage", "first_instance"),
    ("handling_organ", "卫东区人民法院"), ("opposing_party", "张三"), ("amount_claimed", "52000"),
    ("facts", "2026年1月过马路时被车撞伤，对方不赔偿。"), ("township", "410403001"),
    ("address", "平顶山市卫东区建设路2号"),
]


def assert_accessible(axe_check, page, what: str) -> None:
    violations = axe_check(page)
    assert violations == [], f"{what}: {violations}"


def start(page, live_url, citizen_login, shot, axe_check) -> None:
    page.goto(f"{live_url}/portal/apply/")
    shot("apply-start")
    assert_accessible(axe_check, page, "apply start")
    page.get_by_role("link", name=re.compile("开始申请|Start my application")).click()
    citizen_login(page, PHONE, "/portal/apply/start/")
    if "/portal/consent/" in page.url:
        page.locator("#id_agree").check()
        page.get_by_role("button", name=re.compile("同意|Agree")).click()
    page.wait_for_url(re.compile(r"/portal/apply/start/$"))
    page.get_by_role("button", name=re.compile("新的申请|Start a new application")).click()
    page.wait_for_url(re.compile(r"/q/region/$"))


def answer(page, key: str, value) -> None:
    """Answer the question on screen, which must be `key`, and go on."""
    page.wait_for_url(re.compile(rf"/q/{key}/$"))
    if isinstance(value, list):
        for item in value:
            page.locator(f'input[name="answer"][value="{item}"]').check()
    elif value is True:
        page.locator("#id_answer").check()
    elif page.locator(f'input[type="radio"][name="answer"][value="{value}"]').count():
        page.locator(f'input[type="radio"][name="answer"][value="{value}"]').check()
    else:
        page.locator("#id_answer").fill(value)
    page.get_by_role("button", name=SAVE).click()


def interview(page, script, shot, axe_check, *, to_review: bool = True) -> None:
    for number, (key, value) in enumerate(script):
        page.wait_for_url(re.compile(rf"/q/{key}/$"))
        shot(f"q-{key}")
        if number in (0, 7):  # a list of choices, and the tick boxes
            assert_accessible(axe_check, page, key)
        answer(page, key, value)
    if not to_review:
        return
    page.wait_for_url(re.compile(r"/q/materials/$"))
    shot("materials")
    assert_accessible(axe_check, page, "materials")
    page.get_by_role("button", name=re.compile("不添加材料|Continue without papers")).click()
    page.wait_for_url(re.compile(r"/review/$"))


def download_text(page, link_name) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_a_migrant_worker_applies_downloads_the_form_and_follows_it_to_approval(
        browser_page, live_url, shot, axe_check, citizen_login):
    world = centre_setup()
    page = browser_page
    start(page, live_url, citizen_login, shot, axe_check)

    # A wrong ID number: the message is at the field, and what was typed stays.
    interview(page, WAGES[:6], shot, axe_check, to_review=False)
    page.wait_for_url(re.compile(r"/q/applicant_id_number/$"))
    page.locator("#id_answer").fill("41040319850317")
    page.get_by_role("button", name=SAVE).click()
    assert page.locator("#id_answer_field .field-error").is_visible()
    assert page.locator("#id_answer").input_value() == "41040319850317"
    shot("id-number-error")
    assert_accessible(axe_check, page, "id number with an error")
    interview(page, WAGES[6:], shot, axe_check)

    shot("review")
    assert_accessible(axe_check, page, "review")
    precheck = page.locator("#precheck")
    assert precheck.get_attribute("data-tone") == "good"
    assert "农民工" in precheck.inner_text()  # why no proof of hardship is needed
    text = download_text(page, "PDF")
    assert "康建军" in text and "■农民工" in text

    page.get_by_role("button", name=re.compile("提交申请|Send my application")).click()
    page.wait_for_url(re.compile(r"/sent/$"))
    shot("sent")
    assert_accessible(axe_check, page, "sent")
    application = Application.objects.get()
    assert application.channel == "online" and application.priority
    assert page.locator("#application-number").inner_text() == application.number

    page.get_by_role("link", name=re.compile("查看申请进度|Follow my application")).first.click()
    page.wait_for_url(re.compile(r"/portal/track/\d+/$"))
    assert page.locator("#status").get_attribute("data-state") == "received"
    shot("track-received")
    assert_accessible(axe_check, page, "track received")

    # A reviewer at the centre approves it.
    services.application_review_start(actor=world["reviewer"], application=application)
    services.application_decide(actor=world["director"], application=application, decision="grant",
                                reasons="符合法律援助条件，属于农民工追索劳动报酬")
    page.reload()
    assert page.locator("#status").get_attribute("data-state") == "approved"
    shot("track-approved")
    assert_accessible(axe_check, page, "track approved")
    with page.expect_download() as info:
        page.locator("#decision-letter").click()
    letter = Path(info.value.path()).read_bytes()
    assert "给予法律援助决定书" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter)).pages)


def test_an_ordinary_case_answers_the_income_questions(browser_page, live_url, shot, axe_check, citizen_login):
    centre_setup()
    page = browser_page
    start(page, live_url, citizen_login, shot, axe_check)
    interview(page, TRAFFIC, shot, axe_check)
    shot("review")
    precheck = page.locator("#precheck").inner_text()
    assert "800.00" in precheck and "1100.00" in precheck
    page.get_by_role("button", name=re.compile("提交申请|Send my application")).click()
    page.wait_for_url(re.compile(r"/sent/$"))
    shot("sent")
    application = Application.objects.get()
    assert application.household == {"members": 3, "monthly_income": "2400"}
    assert application.eligibility["economic_review"] == "passed"

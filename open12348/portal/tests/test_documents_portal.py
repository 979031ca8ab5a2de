"""The application form and the economic statement, blank and filled in, as PDF and Word on A4."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from django.urls import reverse
from docx import Document as Docx
from pypdf import PdfReader

from open12348.legalaid import services
from open12348.legalaid.eligibility import default_rulebook
from open12348.legalaid.tests.factories import MAN, WOMAN_ELDERLY, centre_setup, id_number
from open12348.portal import documents, interview

from .test_apply_support import citizen

CTX = interview.InterviewContext(rulebook=default_rulebook(), on=date(2026, 3, 2), regions=(("410403", "卫东区"),))
A4 = (595.28, 841.89)
WAGES = {"region": "410403", "for_whom": "self", "topic": "work", "problem": "wages", "other_counsel": False,
         "applicant_name": "康建军", "applicant_id_number": MAN, "groups": ["migrant_worker"], "stage": "arbitration",
         "opposing_party": "平顶山某建筑公司", "amount_claimed": "36000", "people_count": 3, "facts": "老板拖欠工资。",
         "address": "平顶山市卫东区建设路1号"}
TRAFFIC = {**WAGES, "topic": "injury", "problem": "traffic", "groups": [], "household_members": 3,
           "monthly_income": "2400", "integrity_commitment": True, "stage": "first_instance"}
UMING = documents.FONT_CANDIDATES[0][0]


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = Docx(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def page_sizes(data: bytes) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in PdfReader(io.BytesIO(data)).pages}


@pytest.mark.parametrize("form", [documents.APPLICATION_FORM, documents.ECONOMIC_FORM])
def test_blank_forms_are_a4_and_carry_every_field(form):
    pdf = documents.render_form(form, "pdf")
    assert pdf.startswith(b"%PDF") and page_sizes(pdf) == {A4}
    text = pdf_text(pdf)
    sheet = documents.SHEETS[form](documents.BLANK)
    labels = [cell.text for row in sheet.rows for cell in row if cell.label]
    assert sheet.title in text.replace(" ", "")
    for label in labels:
        assert label.replace("\n", "") in text.replace("\n", "").replace(" ", ""), label
    word = documents.render_form(form, "docx")
    document = Docx(io.BytesIO(word))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    words = docx_text(word)
    for label in labels:
        assert label in words, label
    assert sheet.title in words


def test_application_form_filled_from_a_draft():
    record = documents.record_from_answers(WAGES, CTX, phone="13803751234", centre="卫东区法律援助中心")
    text = pdf_text(documents.render_form("application", "pdf", record)).replace(" ", "")
    for value in ("康建军", MAN, "13803751234", "男", "1985年3月17日", "平顶山某建筑公司", "36000.00",
                  "劳动争议调解与仲裁代理", "请求支付劳动报酬", "卫东区法律援助中心", "EX-03、GC-MIGRANT"):
        assert value in text, value
    assert "■农民工" in text and "□残疾人" in text  # the population boxes
    assert "■仲裁" in text and "□一审" in text  # the procedural stage
    words = docx_text(documents.render_form("application", "docx", record))
    assert "康建军" in words and MAN in words and "■农民工" in words


def test_economic_statement_filled_with_the_household_income():
    record = documents.record_from_answers(TRAFFIC, CTX, phone="13803751234")
    text = pdf_text(documents.render_form("economic", "pdf", record)).replace(" ", "")
    for value in ("康建军", "2400.00", "800.00", "1100.00", "个人诚信承诺书", "第六十四条"):
        assert value in text, value
    assert "2400.00" in docx_text(documents.render_form("economic", "docx", record))


def test_agent_and_a_half_finished_draft():
    girl = id_number("41040220120605122")
    answers = {"region": "410403", "for_whom": "other", "agent_relationship": "parent", "agent_name": "王芳",
               "agent_id_number": WOMAN_ELDERLY, "topic": "family", "problem": "support", "other_counsel": False,
               "applicant_name": "王小", "applicant_id_number": girl}
    record = documents.record_from_answers(answers, CTX, phone="13803751234")
    assert (record.agent_name, record.agent_relationship, record.agent_phone, record.phone) == (
        "王芳", "父母", "13803751234", "")
    assert {"minor", "woman"} <= record.groups
    text = pdf_text(documents.render_form("application", "pdf", record)).replace(" ", "")
    assert "王小" in text and "王芳" in text and "■未成年人" in text and "■妇女" in text
    assert record.facts == "" and record.address == ""  # not answered yet: left to fill by hand


@pytest.mark.django_db
def test_forms_filled_from_a_registered_application():
    data = centre_setup()
    application = services.application_create(
        actor=data["window_staff"], centre=data["centre"], channel="window",
        applicant={"name": "李明", "id_number": MAN, "phone": "13903751234", "ethnicity": "汉族",
                   "education": "junior", "occupation": "建筑工人"},
        details={"matter": "CV-07", "matter_subtype": "work_injury", "category": "civil",
                 "aid_form": "civil_litigation", "stage": "first_instance", "facts": "工地受伤"},
        household={"members": 2, "monthly_income": "1800"}, integrity_commitment=True,
    )
    record = documents.record_from_application(application)
    text = pdf_text(documents.render_form("application", "pdf", record)).replace(" ", "")
    for value in ("李明", application.number, "汉族", "初中", "建筑工人", "请求工伤事故人身损害赔偿", "民事案件诉讼代理",
                  "900.00"):
        assert value in text, value
    assert documents.filename("application", "pdf", record) == f"法律援助申请表-{application.number}.pdf"


@pytest.mark.skipif(not os.path.exists(UMING), reason="fonts-arphic-uming is not installed (see documents.py)")
def test_the_chinese_font_is_embedded():
    data = documents.render_form("application", "pdf", documents.record_from_answers(WAGES, CTX, phone=""))
    reader = PdfReader(io.BytesIO(data))
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    embedded = [f for f in fonts if "UMing" in str(f["/BaseFont"])]
    assert embedded
    assert all("/FontFile2" in f["/FontDescriptor"] for f in embedded)  # the glyphs are in the file


def test_without_a_truetype_font_the_reader_supplies_the_cid_font(settings):
    settings.PORTAL_FORM_FONT = "/nonexistent/font.ttf"
    data = documents.render_form("application", "pdf")
    assert b"/STSong-Light" in data
    assert "法律援助申请表" in pdf_text(data).replace(" ", "")


@pytest.mark.django_db
def test_blank_forms_are_public_and_cacheable(client):
    response = client.get(reverse("portal:apply_form_blank", args=["economic", "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.CONTENT_TYPES["docx"]
    assert "public" in response["Cache-Control"]
    assert "个人诚信承诺书" in docx_text(response.content)
    assert client.get("/portal/apply/forms/other.pdf").status_code == 404


@pytest.mark.django_db
def test_a_draft_form_is_only_for_the_phone_that_owns_it():
    from .test_apply_support import OTHER_PHONE, new_draft

    centre_setup()
    owner = citizen()
    draft = new_draft(owner)
    owner.post(reverse("portal:apply_step", args=[draft.pk, "region"]), {"answer": "410403"})
    url = reverse("portal:apply_form_draft", args=[draft.pk, "application", "pdf"])
    response = owner.get(url)
    assert response.status_code == 200
    assert "卫东区法律援助中心" in pdf_text(response.content).replace(" ", "")
    assert citizen(OTHER_PHONE).get(url).status_code == 404

"""Rendering: the report's PDF says what the figures say (in Chinese), the workbook keeps numbers as
numbers, and the opinion letter (征询意见函) names the organ, the case and the questions with a reply
slip, shows only the aided person's surname, and is downloaded only by evaluators of the region.

PDF text is read with legalaid's `pdf_text` (a small reader of what reportlab writes), so no PDF
library is needed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from open12348.audit.models import AuditEvent
from open12348.legalaid.documents import chinese_date
from open12348.legalaid.tests.factories import MAN
from open12348.legalaid.tests.test_cases_fixtures import ASSIGNED_ON, Clock, granted, in_progress
from open12348.legalaid.tests.test_documents import pdf_text
from open12348.network.models import Institution
from open12348.quality import documents, reports
from open12348.quality.documents import Table, display, mask_name, workbook_bytes
from open12348.quality.models import OpinionLetter
from open12348.quality.reports import GradeSummary, LawyerRow, Share

from .test_reports import Q3, base_world, build, login, q3_report

PAGE = re.compile(rb"/Type /Page[^s]")


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, ASSIGNED_ON)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return _(message)


# --- small pieces ----------------------------------------------------------------------------------

def test_display_formats_each_kind_of_value():
    assert display(None) == "—"
    assert display(Share("0.6667")) == "66.67%"
    assert display(Decimal("71.25")) == "71.25"
    assert display(Decimal("80")) == "80.00"
    assert display(3) == "3"
    assert display(dt.date(2026, 9, 30)) == "2026-09-30"
    with translation.override("en"):
        assert display(True) == "Yes"


def test_mask_name_keeps_the_surname_only():
    assert mask_name("康建军") == "康某"
    assert mask_name("欧阳明华") == "欧阳某"
    assert mask_name("欧阳") == "欧某"  # a two-character name is surname + given name
    assert mask_name(" 李 ") == "李某"
    assert mask_name("") == ""


def test_letter_questions_ask_for_the_defence_or_the_representation():
    defence = documents.letter_questions(SimpleNamespace(application=SimpleNamespace(aid_form="criminal_defence")))
    civil = documents.letter_questions(SimpleNamespace(application=SimpleNamespace(aid_form="labour_arbitration")))
    assert len(defence) == len(civil) == 5
    assert "书面辩护意见" in defence[1] and "书面代理意见" in civil[1]


def test_the_workbook_keeps_numbers_as_numbers_and_text_as_text():
    tables = [
        Table("a", "Figures / 2026", ["Name", "Count", "Score", "Share", "Day", "Flag"],
              [["=HYPERLINK(\"x\")", 3, Decimal("71.25"), Share("0.5"), dt.date(2026, 9, 30), True]],
              total=["Total", 3, None, None, None, None]),
        Table("b", "Figures / 2026", ["Name"], []),
    ]
    with translation.override("en"):
        data = workbook_bytes(tables, title="测试")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Figures   2026", "Figures   2026 2"]  # no "/" in a sheet name, none twice
    sheet = workbook.worksheets[0]
    assert sheet["A1"].font.bold and sheet["A3"].font.bold  # header and total rows
    name, count, score, rate, day, flag = sheet[2]
    assert (name.value, name.data_type) == ('=HYPERLINK("x")', "s")  # never a formula
    assert (count.value, score.value, score.number_format) == (3, 71.25, "0.00")
    assert (rate.value, rate.number_format) == (0.5, "0.00%")
    assert day.value.date() == dt.date(2026, 9, 30) and day.number_format == "yyyy-mm-dd"
    assert flag.value == "Yes"
    assert workbook.properties.title == "测试"


def test_a_long_report_breaks_across_pages_without_the_database():
    centre = Institution(name="卫东区法律援助中心")
    lawyers = [LawyerRow(practitioner_id=n, name=f"律师{n}", institution="河南鹰城律师事务所",
                         grades=GradeSummary(counts={"优秀": n % 3, "良好": 1, "合格": 0, "不合格": 0},
                                             score_total=Decimal(85 * (n % 3 + 1))), open_tickets=n % 2)
               for n in range(1, 121)]
    report = reports.QualityReport(
        centre=centre, issuer="平顶山市卫东区法律援助中心", start=Q3[0], end=Q3[1], generated_on=dt.date(2026, 10, 8),
        closed_by_category=[], evaluations=[], cases_evaluated=0, grades=GradeSummary(),
        follow_up=reports.FollowUpSummary(0, None, None, None, 0), tickets=[], subsidy_cuts=[], exemplary=[],
        lawyers=lawyers)
    data = documents.report_pdf(report)
    text = pdf_text(data)
    assert len(PAGE.findall(data)) >= 3
    assert "律师1" in text and "律师120" in text
    assert text.count(zh("Open tickets")) >= 2  # the header row repeats on each page of the table


# --- the quality report as files ---------------------------------------------------------------------

@pytest.mark.django_db
class TestReportFiles:
    def test_the_pdf_says_what_the_report_says(self, clock):
        data = build(clock)
        report = q3_report(data)
        pdf = documents.report_pdf(report)
        text = pdf_text(pdf)
        assert pdf.startswith(b"%PDF-")
        for words in ("平顶山市卫东区法律援助中心", "2026年第三季度", "法律援助案件质量报告", chinese_date(Q3[0]),
                      chinese_date(Q3[1]), "优秀", "良好", "合格", "不合格", "71.25", "50.00%", "75.00%", "3.50",
                      "王德洲", "李秀英", "河南鹰城律师事务所", "农民工追索劳动报酬案", data["cases"][2].number,
                      "1200.00", "600.00"):
            assert words in text, words
        for heading in ("Key figures", "Grades", "Supervision tickets", "By lawyer", "Mean score"):
            assert zh(heading) in text  # the document is always in Chinese, whatever the reader's language
        assert "康建军" not in text and MAN not in text

    def test_the_workbook_has_one_sheet_per_table_with_the_figures(self, clock):
        data = build(clock)
        report = q3_report(data)
        workbook = load_workbook(io.BytesIO(documents.report_xlsx(report)))
        with translation.override("zh-hans"):
            titles = [table.title for table in documents.report_tables(report)]
        assert workbook.sheetnames == [title[:31] for title in titles]  # Excel's limit
        grades = list(workbook.worksheets[3].iter_rows(values_only=True))
        assert grades[0] == (zh("Grade"), zh("Cases"), zh("Share of graded cases"))
        assert grades[1:] == [("优秀", 1, 0.25), ("良好", 1, 0.25), ("合格", 1, 0.25), ("不合格", 1, 0.25),
                              (zh("Total"), 4, 1)]
        lawyers = list(workbook.worksheets[-1].iter_rows(values_only=True))
        assert [row[:4] for row in lawyers[1:]] == [("李秀英", "河南中兴律师事务所", 1, 80),
                                                  ("王德洲", "河南鹰城律师事务所", 3, 68.33)]
        assert lawyers[2][-1] == 1  # 王德洲's open ticket
        tickets = list(workbook.worksheets[5].iter_rows(values_only=True))
        assert tickets[-1][1:] == (2, 1, 1, 1, 1)
        cuts = list(workbook.worksheets[6].iter_rows(values_only=True))
        assert cuts[1][2:6] == (1200, 600, 0.5, zh("No"))


# --- the opinion letter ----------------------------------------------------------------------------

def letter_for(data, clock, **overrides) -> OpinionLetter:
    """Until quality.services.opinion_letter_send is merged, the row is written directly."""
    case = in_progress(data, clock, granted(data))  # 康建军's wage claim
    fields = {"case": case, "number": "卫法援质询〔2026〕第001号", "organ": "court",
              "organ_name": "平顶山市卫东区劳动人事争议仲裁委员会", "sent_on": ASSIGNED_ON, "reply_due": dt.date(2026, 10, 26)}
    return OpinionLetter.objects.create(**{**fields, **overrides})


@pytest.mark.django_db
class TestOpinionLetter:
    def test_the_letter_names_the_organ_the_case_the_questions_and_has_a_reply_slip(self, clock):
        data = base_world()
        letter = letter_for(data, clock)
        pdf = documents.letter_pdf(OpinionLetter.objects.select_related(
            "case__centre", "case__lawyer", "case__institution", "case__application__applicant").get(pk=letter.pk))
        text = pdf_text(pdf)
        assert len(PAGE.findall(pdf)) == 2  # the letter, then the reply slip on its own page
        for words in ("卫东区法律援助中心", "法律援助案件征询意见函", "卫法援质询〔2026〕第001号",
                      "平顶山市卫东区劳动人事争议仲裁委员会：", letter.case.number, "追索劳动报酬", "康某", "王德洲",
                      "河南鹰城律师事务所", "第五十九条", "按时参加", "书面代理意见", "庭审", "法律效果",
                      "其他意见和建议", "征询意见函回执", chinese_date(dt.date(2026, 10, 26)),
                      chinese_date(ASSIGNED_ON), "回复单位（盖章）"):
            assert words in text, words
        assert "康建军" not in text and MAN not in text

    def test_evaluators_of_the_region_download_it_and_it_is_audited(self, clock):
        data = base_world()
        letter = letter_for(data, clock)
        response = login(data["evaluator"]).get(reverse("quality:letter_pdf", args=[letter.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "康某" in pdf_text(b"".join(response.streaming_content))
        event = AuditEvent.objects.get(action="quality.letter_download")
        assert (event.actor, event.object_id) == (data["evaluator"], str(letter.pk))
        assert event.extra == {"case": letter.case_id, "organ": "court"}

    def test_others_are_refused_and_nothing_is_logged_as_downloaded(self, clock):
        data = base_world()
        letter = letter_for(data, clock)
        url = reverse("quality:letter_pdf", args=[letter.pk])
        for user, status in ((data["xinhua_evaluator"], 404), (data["lawyer"].user, 403), (data["director"], 403)):
            assert login(user).get(url).status_code == status
        assert login(data["evaluator"]).get(reverse("quality:letter_pdf", args=[letter.pk + 1])).status_code == 404
        assert Client().get(url).status_code == 302  # to the sign-in page
        assert not AuditEvent.objects.filter(action="quality.letter_download").exists()

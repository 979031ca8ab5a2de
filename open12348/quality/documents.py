"""Rendering of quality reports, profiles and the opinion letter: tables, PDF (A4, Chinese) and Excel.

A report is turned into `Table`s once (`report_tables`, `profile_table`, `profile_list_table`);
the HTML preview, the PDF and the workbook all render those same tables, so the three never
disagree. Headings and column names are interface text (English msgids); the files are always
rendered in Simplified Chinese (`translation.override`), as the documents of a Chinese centre.

The letter asking a judicial organ for its opinion (征询意见函, Art. 59) is official text and,
like the forms in legalaid/documents.py, is written here in Chinese as it must appear on paper.
The PDF layout (the CID font, paragraph styles, escaping) is legalaid/documents.py's.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from html import escape
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

# The legal aid documents' styles, so that both apps print alike.
from open12348.legalaid.documents import chinese_date, matter_words, pdf_paragraph, pdf_styles

from .models import OpinionLetter
from .reports import (
    GRADES,
    LAWYER,
    REPORT_NAME,
    Figures,
    ProfileRow,
    QualityProfile,
    QualityReport,
    Share,
    share,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"
SHEET_TITLE_MAX = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


# --- tables ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


@dataclass
class Table:
    """A titled table of typed values: int, Decimal (2 places), Share (a percentage), date, str or None."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None
    widths: Sequence[float] = field(default_factory=tuple)  # relative column widths in the PDF
    empty: str = ""  # what the PDF and the page say when there is no row

    def display(self, row: list[Any]) -> list[Cell]:
        return [Cell(display(value), is_number(value)) for value in row]

    def display_rows(self) -> list[list[Cell]]:
        return [self.display(row) for row in self.rows]

    def display_total(self) -> list[Cell] | None:
        return self.display(self.total) if self.total is not None else None


def is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def display(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Share):
        return f"{value * 100:.2f}%"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def report_tables(report: QualityReport) -> list[Table]:
    """The report's tables in the active language, in the order the PDF prints them."""
    grades, follow = report.grades, report.follow_up
    tickets_total = report.tickets_total
    measure, value = _("Measure"), _("Value")
    summary = Table("summary", _("Key figures"), [measure, value], [
        [_("Legal aid centre"), report.issuer],
        [_("Reporting period"), f"{report.start.isoformat()} – {report.end.isoformat()}"],
        [_("Cases closed"), report.closed_total],
        [_("Cases evaluated"), report.cases_evaluated],
        [_("Cases graded"), grades.graded],
        [_("Mean score"), grades.mean_score],
        [_("Share rated excellent or good (优良率)"), grades.good_rate],
        [_("Pass rate"), grades.pass_rate],
        [_("Follow-up satisfaction (1–5)"), follow.satisfaction_mean],
        [_("Supervision tickets opened"), tickets_total.opened],
        [_("Subsidies reduced or withheld"), len(report.subsidy_cuts)],
        [_("Exemplary cases named"), len(report.exemplary)],
    ], widths=(3, 2))
    closed = Table("closed", _("Cases closed by category"), [_("Case category"), _("Cases closed")],
                   [[row.label, row.count] for row in report.closed_by_category],
                   total=[_("Total"), report.closed_total], widths=(3, 2))
    checks = Table("evaluations", _("Cases evaluated by method"), [_("Method"), _("Records"), _("Cases")],
                   [[row.label, row.records, row.cases] for row in report.evaluations],
                   total=[_("Total"), sum(row.records for row in report.evaluations), report.cases_evaluated],
                   widths=(3, 1, 1))
    grade_table = Table("grades", _("Grades"), [_("Grade"), _("Cases"), _("Share of graded cases")],
                        [[grade, count, share(count, grades.graded)] for grade, count in grades.ordered()],
                        total=[_("Total"), grades.graded, share(grades.graded, grades.graded)], widths=(2, 1, 1))
    follow_up = Table("follow_up", _("Follow-up with the aided persons"), [measure, value], [
        [_("Follow-ups recorded"), follow.records],
        [_("Mean satisfaction (1–5)"), follow.satisfaction_mean],
        [_("The lawyer met the aided person"), follow.met_client],
        [_("The lawyer explained the risks"), follow.risks_explained],
        [_("The lawyer asked for money (follow-ups)"), follow.money_asked],
    ], widths=(3, 2))
    ticket_headers = [_("Reason"), _("Opened"), _("Closed"), _("Overdue"), _("Escalated"),
                      _("Open at the end of the period")]
    tickets = Table("tickets", _("Supervision tickets"), ticket_headers,
                    [[t.label, t.opened, t.closed, t.overdue, t.escalated, t.open_at_end] for t in report.tickets],
                    total=[tickets_total.label, tickets_total.opened, tickets_total.closed, tickets_total.overdue,
                           tickets_total.escalated, tickets_total.open_at_end], widths=(2, 1, 1, 1, 1, 1.4))
    cuts = Table("subsidies", _("Subsidies reduced or withheld for quality"),
                 [_("Case number"), _("Lawyer"), _("Amount before (yuan)"), _("Amount after (yuan)"),
                  _("Share paid"), _("Withheld"), _("Date")],
                 [[c.case_number, c.lawyer, c.amount_before, c.amount, Share(c.factor), c.withheld, c.on]
                  for c in report.subsidy_cuts],
                 total=[_("Total"), "", sum((c.amount_before for c in report.subsidy_cuts), Decimal(0)),
                        sum((c.amount for c in report.subsidy_cuts), Decimal(0)), None, None, None]
                 if report.subsidy_cuts else None,
                 widths=(2.2, 1.2, 1.3, 1.3, 1, 0.8, 1.4), empty=_("No subsidy was reduced for quality in this period."))
    exemplary = Table("exemplary", _("Exemplary cases named"),
                      [_("Case number"), _("Title"), _("Lawyer"), _("Institution"), _("Named on")],
                      [[e.case_number, e.title, e.lawyer, e.institution, e.named_on] for e in report.exemplary],
                      widths=(2, 3, 1.2, 2, 1.4), empty=_("No exemplary case was named in this period."))
    lawyers = Table("lawyers", _("By lawyer"),
                    [_("Lawyer"), _("Institution"), _("Cases graded"), _("Mean score"), *GRADES,
                     _("Share rated excellent or good (优良率)"), _("Open tickets")],
                    [[row.name, row.institution, row.grades.graded, row.grades.mean_score,
                      *(count for _grade, count in row.grades.ordered()), row.grades.good_rate, row.open_tickets]
                     for row in report.lawyers],
                    widths=(1.3, 2.2, 1, 1, 0.8, 0.8, 0.8, 0.9, 1.1, 1),
                    empty=_("No case was graded in this period."))
    return [summary, closed, checks, grade_table, follow_up, tickets, cuts, exemplary, lawyers]


def figures_headers() -> list[str]:
    return [_("Cases assigned"), _("Cases closed"), _("Cases graded"), *GRADES, _("Mean score"),
            _("Share rated excellent or good (优良率)"), _("Tickets opened"), _("Tickets closed"),
            _("Tickets overdue"), _("Complaints"), _("Exemplary cases"), _("Follow-ups"),
            _("Mean satisfaction (1–5)")]


def figures_values(figures: Figures) -> list[Any]:
    grades = figures.grades
    return [figures.assigned, figures.closed, grades.graded, *(count for _grade, count in grades.ordered()),
            grades.mean_score, grades.good_rate, figures.tickets_opened, figures.tickets_closed,
            figures.tickets_overdue, figures.complaints, figures.exemplary, figures.follow_ups,
            figures.satisfaction_mean]


def profile_table(profile: QualityProfile) -> Table:
    return Table("years", _("Quality by year"), [_("Year"), *figures_headers()],
                 [[str(year), *figures_values(figures)] for year, figures in profile.years],
                 total=[_("All years"), *figures_values(profile.total)] if profile.years else None,
                 empty=_("No legal aid case yet."))


def profile_list_table(rows: list[ProfileRow], *, kind: str, year: int) -> Table:
    if kind == LAWYER:
        headers = [_("Lawyer"), _("Licence number"), _("Institution")]
        subjects = [[r.subject.name, r.subject.licence_no,
                     r.subject.institution.name if r.subject.institution_id else ""] for r in rows]
    else:
        headers = [_("Institution"), _("Unified social credit code"), _("Kind")]
        subjects = [[r.subject.name, r.subject.credit_code, r.subject.get_kind_display()] for r in rows]
    title = _("Lawyers %(year)s") if kind == LAWYER else _("Institutions %(year)s")
    return Table("profiles", title % {"year": year}, [*headers, *figures_headers()],
                 [[*subject, *figures_values(row.figures)] for subject, row in zip(subjects, rows, strict=True)])


# --- Excel -------------------------------------------------------------------------------------

def _sheet_title(title: str, taken: set[str]) -> str:
    base = title.translate(SHEET_TITLE_FORBIDDEN).strip()[:SHEET_TITLE_MAX] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name, n = base[:SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def workbook_bytes(tables: Sequence[Table], *, title: str = "") -> bytes:
    """One sheet per table: a bold header row, then the rows. Numbers stay numbers (shares formatted
    as percentages, amounts and scores with two decimals) so they can be summed; text is never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    workbook.properties.title = title or None
    workbook.properties.creator = "Open12348"
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(table.title, taken))
        rows = [[WriteOnlyCell(sheet, value=header) for header in table.headers]]
        rows += [[_excel_cell(sheet, value) for value in row] for row in table.rows]
        if table.total is not None:
            rows.append([_excel_cell(sheet, value) for value in table.total])
        for cell in rows[0] + (rows[-1] if table.total is not None else []):
            cell.font = bold
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool):
        value = display(value)
    cell = WriteOnlyCell(sheet, value=Decimal(value) if isinstance(value, Decimal) else value)
    if isinstance(value, Share):
        cell.number_format = "0.00%"
    elif isinstance(value, Decimal):
        cell.number_format = "0.00"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def report_xlsx(report: QualityReport) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return workbook_bytes(report_tables(report), title=report.title)


def profiles_xlsx(rows: list[ProfileRow], *, kind: str, year: int) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        table = profile_list_table(rows, kind=kind, year=year)
        return workbook_bytes([table], title=table.title)


# --- PDF -----------------------------------------------------------------------------------------

MARGIN = 20 * mm
FRAME_PADDING = 6  # points on each side of SimpleDocTemplate's frame: a table wider than the text would overhang
TEXT_WIDTH = A4[0] - 2 * MARGIN - 2 * FRAME_PADDING
# The letter keeps legalaid's margins for official documents (left 28, right 26, top 30, bottom 25 mm).
LETTER_MARGINS = {"leftMargin": 28 * mm, "rightMargin": 26 * mm, "topMargin": 30 * mm, "bottomMargin": 25 * mm}
LETTER_WIDTH = A4[0] - LETTER_MARGINS["leftMargin"] - LETTER_MARGINS["rightMargin"] - 2 * FRAME_PADDING


@cache
def _report_styles() -> dict[str, ParagraphStyle]:
    base = pdf_styles()
    return {
        "issuer": ParagraphStyle("report_issuer", parent=base["issuer"], fontSize=16, leading=24),
        "title": ParagraphStyle("report_title", parent=base["title"], fontSize=18, leading=28),
        "subtitle": ParagraphStyle("report_subtitle", parent=base["field"], fontSize=10.5, leading=16,
                                   alignment=TA_CENTER),
        "heading": ParagraphStyle("report_heading", parent=base["field"], fontSize=13, leading=22, spaceBefore=8),
        "note": ParagraphStyle("report_note", parent=base["field"], fontSize=10.5, leading=16),
        "cell": ParagraphStyle("report_cell", parent=base["cell"], fontSize=9, leading=12),
        "number": ParagraphStyle("report_number", parent=base["cell"], fontSize=9, leading=12, alignment=TA_RIGHT),
        "head": ParagraphStyle("report_head", parent=base["cell"], fontSize=9, leading=12, alignment=TA_CENTER),
    }


def _para(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), _report_styles()[style])


def _pdf_table(table: Table) -> list:
    styles = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef"))]
    rows = [[_para(header, "head") for header in table.headers]]
    for cells in table.display_rows():
        rows.append([_para(c.text, "number" if c.numeric else "cell") for c in cells])
    total = table.display_total()
    if total is not None:
        rows.append([_para(c.text, "number" if c.numeric else "cell") for c in total])
        styles.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#f8f9fa")))
    flowables: list = [_para(table.title, "heading")]
    if not table.rows and table.empty:
        return [*flowables, _para(table.empty, "note")]
    weights = list(table.widths) or [2, *([1] * (len(table.headers) - 1))]
    widths = [TEXT_WIDTH * w / sum(weights) for w in weights]
    pdf_table = PdfTable(rows, colWidths=widths, repeatRows=1)
    pdf_table.setStyle(TableStyle(styles))
    return [*flowables, pdf_table]


def _build(story: list, *, title: str, author: str, subject: str, margins: dict[str, float] | None = None) -> bytes:
    buffer = io.BytesIO()
    margins = margins or {"leftMargin": MARGIN, "rightMargin": MARGIN, "topMargin": MARGIN, "bottomMargin": MARGIN}
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=author, subject=subject,
                                 creator="Open12348", **margins)
    document.build(story)
    return buffer.getvalue()


def report_pdf(report: QualityReport) -> bytes:
    """The centre's quality report on A4 in Chinese: the title, the period, then every table."""
    with translation.override(settings.LANGUAGE_CODE):
        story: list = [
            _para(report.issuer, "issuer"),
            _para(f"{report.period}{REPORT_NAME}", "title"),
            _para(_("Period: %(start)s to %(end)s. Drawn up on %(day)s.") % {
                "start": chinese_date(report.start), "end": chinese_date(report.end),
                "day": chinese_date(report.generated_on)}, "subtitle"),
            Spacer(1, 4 * mm),
        ]
        for table in report_tables(report):
            story += [*_pdf_table(table), Spacer(1, 3 * mm)]
        return _build(story, title=report.title, author=report.issuer, subject=REPORT_NAME)


# --- the letter asking for an opinion (征询意见函) -------------------------------------------

LETTER_TITLE = "法律援助案件征询意见函"
REPLY_TITLE = "征询意见函回执"
# Two-character surnames, so that 欧阳某 is not printed as 欧某.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
    "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "申屠", "太史", "万俟",
    "闻人", "赫连", "钟离", "宗政", "濮阳", "淳于", "单于", "羊舌", "拓跋", "第五",
})


def mask_name(name: str) -> str:
    """康建军 → 康某, 欧阳明 → 欧阳某: the surname only, as published documents name a private person."""
    name = (name or "").strip()
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return f"{surname}某"


def letter_questions(case) -> list[str]:
    opinion = "辩护意见" if case.application.aid_form == "criminal_defence" else "代理意见"
    return [
        "承办律师是否按时参加会见、阅卷、开庭等诉讼活动？",
        f"承办律师是否提交书面{opinion}，意见是否有针对性、切中要点？",
        "承办律师在庭审中的表现（仪表举止、发言、遵守法庭纪律等）如何？",
        f"案件办理的法律效果如何，{opinion}是否被采纳？",
        "其他意见和建议。",
    ]


def _case_lines(case) -> list[tuple[str, str]]:
    return [
        ("案件编号", case.number),
        ("案由", matter_words(case.application)),
        ("受援人", mask_name(case.application.applicant.name)),
        ("承办律师", case.lawyer.name if case.lawyer_id else "（未指派）"),
        ("所在单位", case.institution.name if case.institution_id else ""),
    ]


def _two_columns(lines: list[tuple[str, str]]) -> PdfTable:
    table = PdfTable([[pdf_paragraph(label, "cell"), pdf_paragraph(value, "cell")] for label, value in lines],
                     colWidths=[30 * mm, LETTER_WIDTH - 30 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _contact(centre) -> list:
    lines = []
    if centre.address:
        lines.append(f"地址：{centre.address}")
    if centre.phone:
        lines.append(f"联系电话：{centre.phone}")
    return [pdf_paragraph(line, "field") for line in lines]


def _blanks(labels: list[str]) -> PdfTable:
    """Labels with a line to write on (the organ fills them in by hand)."""
    table = PdfTable([[pdf_paragraph(label, "field"), ""] for label in labels], colWidths=[48 * mm, 75 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return table


def _letter_page(letter: OpinionLetter) -> list:
    case, centre = letter.case, letter.case.centre
    questions = letter_questions(case)
    return [
        pdf_paragraph(centre.name, "issuer"),
        pdf_paragraph(LETTER_TITLE, "title"),
        pdf_paragraph(letter.number, "number"),
        Spacer(1, 3 * mm),
        pdf_paragraph(f"{letter.organ_name}：", "field"),
        pdf_paragraph("为加强法律援助案件质量管理，根据《中华人民共和国法律援助法》第五十九条的规定，"
           "本中心就下列法律援助案件征询你单位对承办律师履职情况的意见。"),
        _two_columns(_case_lines(case)),
        Spacer(1, 2 * mm),
        pdf_paragraph("请你单位就以下事项提出意见："),
        *[pdf_paragraph(f"{number}. {question}", "item") for number, question in enumerate(questions, start=1)],
        pdf_paragraph(f"请于{chinese_date(letter.reply_due)}前填写所附回执，加盖公章后寄回或送达本中心。感谢你单位的支持。"),
        *_contact(centre),
        Spacer(1, 8 * mm),
        pdf_paragraph(centre.name, "sign"),
        pdf_paragraph(chinese_date(letter.sent_on), "sign"),
    ]


def _reply_page(letter: OpinionLetter) -> list:
    case, centre = letter.case, letter.case.centre
    header = [pdf_paragraph("序号", "cell"), pdf_paragraph("征询事项", "cell"), pdf_paragraph("意见", "cell")]
    rows = [header] + [[pdf_paragraph(str(n), "cell"), pdf_paragraph(q, "cell"), ""]
                       for n, q in enumerate(letter_questions(case), start=1)]
    table = PdfTable(rows, colWidths=[12 * mm, 72 * mm, LETTER_WIDTH - 84 * mm],
                     rowHeights=[None] + [24 * mm] * (len(rows) - 1), repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    lawyer = case.lawyer.name if case.lawyer_id else ""
    return [
        pdf_paragraph(REPLY_TITLE, "title"),
        pdf_paragraph(f"（{letter.number}）", "number"),
        pdf_paragraph(f"{centre.name}：", "field"),
        pdf_paragraph(f"你中心{letter.number}征询意见函（案件编号：{case.number}，承办律师：{lawyer}）收悉，现回复如下："),
        table,
        Spacer(1, 4 * mm),
        _blanks(["回复单位（盖章）：", "经办人：", "联系电话：", "日期："]),
        Spacer(1, 4 * mm),
        pdf_paragraph(f"请于{chinese_date(letter.reply_due)}前寄回或送达{centre.name}。", "field"),
    ]


def letter_pdf(letter: OpinionLetter) -> bytes:
    """The letter and, on its own page to be returned, the reply slip (回执) with a line per question.
    Load the letter with case__centre, case__lawyer, case__institution, case__application__applicant."""
    story = [*_letter_page(letter), PageBreak(), *_reply_page(letter)]
    return _build(story, title=f"{LETTER_TITLE} {letter.number}", author=letter.case.centre.name,
                  subject=LETTER_TITLE, margins=LETTER_MARGINS)


def letter_filename(letter: OpinionLetter) -> str:
    return f"opinion-letter-{letter.pk}.pdf"

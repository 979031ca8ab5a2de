"""The outreach report as Excel (openpyxl) and PDF (reportlab with legalaid's CJK font helpers).

Both carry the filters at the top (period, area, what is counted), then the three tables with
their totals. Numbers stay numbers in Excel so they can be summed again.
"""

from __future__ import annotations

import io
from html import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from open12348.legalaid.documents import chinese_date, pdf_styles

from .reports import ActivityReport, Row

REPORT_NAME = "普法宣传活动统计表"  # the document's own name, printed in Chinese whatever the reader's language
MARGIN = 20 * mm


def headers() -> list[str]:
    return ["", _("Activities held"), _("Attendance"), _("Follow-up requests")]


def filters(report: ActivityReport) -> list[tuple[str, str]]:
    return [
        (_("Period"), f"{report.start.isoformat()} – {report.end.isoformat()}"),
        (_("Area"), report.region_name),
        (_("Counted"), _("Activities held in the period; planned: %(planned)d, cancelled: %(cancelled)d")
         % {"planned": report.planned, "cancelled": report.cancelled}),
        (_("Drawn up on"), report.generated_on.isoformat()),
    ]


def _values(row: Row) -> list:
    return [row.label, row.held, row.attendance, row.follow_ups]


def report_xlsx(report: ActivityReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "统计"
        workbook.properties.title = REPORT_NAME
        workbook.properties.creator = "Open12348"
        bold = Font(bold=True)
        sheet.append([REPORT_NAME])
        sheet["A1"].font = Font(bold=True, size=14)
        for label, value in filters(report):
            sheet.append([label, value])
        for title, rows in report.tables():
            sheet.append([])
            sheet.append([title])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            sheet.append(headers())
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in rows:
                sheet.append(_values(row))
            sheet.append([_("Total"), report.total.held, report.total.attendance, report.total.follow_ups])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula
        sheet.column_dimensions["A"].width = 24
        for letter in "BCD":
            sheet.column_dimensions[letter].width = 16
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _styles() -> dict[str, ParagraphStyle]:
    base = pdf_styles()
    return {
        "title": ParagraphStyle("edu_title", parent=base["title"], fontSize=18, leading=28),
        "note": ParagraphStyle("edu_note", parent=base["field"], fontSize=10.5, leading=16),
        "heading": ParagraphStyle("edu_heading", parent=base["field"], fontSize=13, leading=22, spaceBefore=8),
        "cell": ParagraphStyle("edu_cell", parent=base["cell"], fontSize=9.5, leading=13),
        "number": ParagraphStyle("edu_number", parent=base["cell"], fontSize=9.5, leading=13, alignment=TA_RIGHT),
        "head": ParagraphStyle("edu_head", parent=base["cell"], fontSize=9.5, leading=13, alignment=TA_CENTER),
    }


def report_pdf(report: ActivityReport) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        styles = _styles()

        def para(text, style: str) -> Paragraph:
            return Paragraph(escape(str(text)), styles[style])

        story: list = [para(REPORT_NAME, "title"),
                       para(_("Period: %(start)s to %(end)s. Drawn up on %(day)s.") % {
                           "start": chinese_date(report.start), "end": chinese_date(report.end),
                           "day": chinese_date(report.generated_on)}, "note")]
        for label, value in filters(report)[1:3]:
            story.append(para(f"{label}：{value}", "note"))
        width = A4[0] - 2 * MARGIN - 12
        for title, rows in report.tables():
            data = [[para(h, "head") for h in headers()]]
            for row in [*rows, report.total]:
                label, *numbers = _values(row)
                data.append([para(label, "cell"), *[para(n, "number") for n in numbers]])
            table = Table(data, colWidths=[width * 0.4, width * 0.2, width * 0.2, width * 0.2], repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                                       ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f8f9fa"))]))
            story += [para(title, "heading"), table, Spacer(1, 3 * mm)]
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=A4, title=REPORT_NAME, author="Open12348", creator="Open12348",
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN).build(story)
        return buffer.getvalue()

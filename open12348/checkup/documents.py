"""The check-up report (法治体检报告) as a PDF, and the figures as an Excel workbook.

The report is official text given to the enterprise, written in Chinese as it must appear on paper
(like the forms of legalaid/documents.py); the check-list's labels go through the catalogue and are
rendered in Simplified Chinese. Named workers never appear in the report: it speaks of numbers.
The PDF layout (the CID font, paragraph styles, escaping) is legalaid/documents.py's.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from open12348.legalaid.documents import chinese_date, pdf_paragraph, pdf_styles

from .choices import FollowUpResult, ProblemKind
from .models import Visit
from .selectors import FigureRow, Figures

REPORT_TITLE = "企业法治体检报告"
PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARGINS = {"leftMargin": 25 * mm, "rightMargin": 25 * mm, "topMargin": 25 * mm, "bottomMargin": 22 * mm}
WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"] - 12


def _grid(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef"))]))
    return table


def _team(visit: Visit) -> str:
    names = [u.real_name or u.username for u in visit.team_users.all()]
    names += [f"{p.name}（{p.institution.name}）" if p.institution_id else p.name
              for p in visit.team_practitioners.select_related("institution")]
    return "、".join(names) or "—"


def report_pdf(visit: Visit) -> bytes:
    """The report of an issued check-up: the enterprise, the visit, what each line of the check-list
    found, the legal opinion and recommendations, and the follow-up visit."""
    pdf_styles()
    enterprise, campaign = visit.enterprise, visit.campaign
    issuer = campaign.organiser.name
    with translation.override(settings.LANGUAGE_CODE):
        labels = dict(ProblemKind.choices)
        findings = {f.kind: f for f in visit.findings.all()}
        rows = [[pdf_paragraph(t, "cell") for t in ("序号", "体检事项", "结论", "涉及人数", "情况说明")]]
        found = 0
        for n, kind in enumerate(ProblemKind.values, start=1):
            f = findings.get(kind)
            is_found = bool(f and f.found)
            found += is_found
            rows.append([pdf_paragraph(str(n), "cell"), pdf_paragraph(str(labels[kind]), "cell"),
                         pdf_paragraph("存在问题" if is_found else "未发现问题", "cell"),
                         pdf_paragraph(str(f.workers_affected) if is_found else "—", "cell"),
                         pdf_paragraph(f.note if f and f.note else "", "cell")])
        story = [
            pdf_paragraph(issuer, "issuer"),
            pdf_paragraph(REPORT_TITLE, "title"),
            pdf_paragraph(visit.report_number or "", "number"),
            Spacer(1, 3 * mm),
            pdf_paragraph(f"{enterprise.name}：", "field"),
            pdf_paragraph(f"根据“{campaign.name}”工作安排，本单位法治体检小组于"
                          f"{chinese_date(visit.visited_on) if visit.visited_on else '—'}到你单位开展农民工劳动合同"
                          f"法治体检，走访询问劳动者{visit.workers_interviewed}人，查阅劳动合同、工资支付、社会保险等"
                          f"材料，共发现问题{found}项。现将体检情况报告如下。"),
            _grid([[pdf_paragraph(a, "cell"), pdf_paragraph(b, "cell")] for a, b in (
                ("企业名称", enterprise.name),
                ("统一社会信用代码", enterprise.credit_code),
                ("所属行业", str(enterprise.get_sector_display())),
                ("企业规模", str(enterprise.get_size_display())),
                ("所在地", enterprise.region.name + (f"　{enterprise.address}" if enterprise.address else "")),
                ("体检日期", chinese_date(visit.visited_on) if visit.visited_on else "—"),
                ("体检人员", _team(visit)),
                ("询问劳动者人数", str(visit.workers_interviewed)),
            )], [40 * mm, WIDTH - 40 * mm]),
            Spacer(1, 3 * mm),
            pdf_paragraph("一、体检发现的问题", "field"),
            _grid(rows, [12 * mm, 48 * mm, 24 * mm, 18 * mm, WIDTH - 102 * mm]),
            Spacer(1, 3 * mm),
            pdf_paragraph("二、法律意见", "field"),
            pdf_paragraph(visit.opinion or "经体检，未发现需要出具法律意见的问题。"),
            pdf_paragraph("三、整改建议", "field"),
            pdf_paragraph(visit.recommendations or "请继续依法规范用工管理。"),
        ]
        if visit.follow_up_due:
            story.append(pdf_paragraph(f"请你单位按照上述意见和建议及时整改，本单位将于{chinese_date(visit.follow_up_due)}"
                                       "前后进行回访，了解整改情况。"))
        if visit.followed_up_on:
            story += [pdf_paragraph("四、回访情况", "field"),
                      pdf_paragraph(f"{chinese_date(visit.followed_up_on)}回访：{visit.get_follow_up_result_display()}。"
                                    f"{visit.follow_up_note}")]
        story += [Spacer(1, 10 * mm), pdf_paragraph(issuer, "sign"),
                  pdf_paragraph(chinese_date(visit.report_issued_on or dt.date.today()), "sign")]
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=A4, title=f"{REPORT_TITLE} {visit.report_number}", author=issuer,
                          subject=REPORT_TITLE, creator="Open12348", **MARGINS).build(story)
        return buffer.getvalue()


def report_filename(visit: Visit) -> str:
    return f"checkup-report-{visit.pk}.pdf"


# --- figures --------------------------------------------------------------------------------------

def figures_headers() -> list[str]:
    return [_("Area"), _("Enterprises visited"), _("Visits"), _("Workers interviewed"), _("Problems found"),
            *[str(label) for label in ProblemKind.labels], _("Legal opinions issued"), _("Reports issued"),
            *[str(label) for label in FollowUpResult.labels], _("Legal aid applications")]


def figures_values(row: FigureRow) -> list:
    return [row.label, row.enterprises_visited, row.visits, row.workers_interviewed, row.problems_total,
            *row.problem_counts(), row.opinions, row.reports, *row.follow_up_counts(), row.applications]


def filter_lines(figures: Figures) -> list[tuple[str, str]]:
    return [
        (_("Campaign"), figures.campaign.name if figures.campaign else _("All campaigns")),
        (_("County / district"), figures.county.name if figures.county else _("All of your area")),
        (_("Visited from"), figures.start.isoformat() if figures.start else "—"),
        (_("Visited until"), figures.end.isoformat() if figures.end else "—"),
    ]


def figures_xlsx(figures: Figures) -> bytes:
    """One sheet: the title, the filters that made the figures, then a row per county and the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Check-up figures")[:31]
        bold = Font(bold=True)
        sheet.append([_("Enterprise legal check-ups: figures")])
        sheet["A1"].font = Font(bold=True, size=14)
        for label, value in filter_lines(figures):
            sheet.append([label, value])
        sheet.append([])
        sheet.append(figures_headers())
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in figures.by_county:
            sheet.append(figures_values(row))
        total = figures.total
        total.label = _("Total")
        sheet.append(figures_values(total))
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

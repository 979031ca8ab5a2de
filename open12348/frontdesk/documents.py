"""The referral letter (转介函) a person takes to the receiving body. Official text, in Chinese, laid
out like the legal aid documents (legalaid/documents.py)."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from open12348.legalaid.documents import chinese_date, pdf_paragraph

from .models import Ticket

PDF_CONTENT_TYPE = "application/pdf"


def referral_letter_pdf(ticket: Ticket) -> bytes:
    visit = ticket.visit
    person = visit.person
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                            bottomMargin=25 * mm, title="转介函")
    story = [
        pdf_paragraph(visit.desk.name, "issuer"),
        pdf_paragraph("转介函", "title"),
        pdf_paragraph(ticket.number, "number"),
        Spacer(1, 4 * mm),
        pdf_paragraph(f"{ticket.owner_name}：", "field"),
        pdf_paragraph(f"现有{person.name}来我处求助，经了解，其事项属于贵单位职责范围，特转介至贵单位，请予接洽办理。"),
        pdf_paragraph(f"事项概要：{ticket.summary}"),
        pdf_paragraph(f"请于{chinese_date(ticket.feedback_due)}前将办理结果反馈我处，以便告知当事人。"),
        Spacer(1, 8 * mm),
        pdf_paragraph(visit.desk.name, "sign"),
        pdf_paragraph(chinese_date(timezone.localdate(visit.registered_at)), "sign"),
    ]
    if visit.desk.phone:
        story.append(pdf_paragraph(f"联系电话：{visit.desk.phone}", "field"))
    doc.build(story)
    return buffer.getvalue()

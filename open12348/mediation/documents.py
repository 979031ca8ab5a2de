"""The mediation agreement (人民调解协议书) as PDF and DOCX, with the contents Art. 28–29 require:
the parties' particulars, the main facts, the matters in dispute and each party's responsibility,
what was agreed, and the manner and time of performance; then signatures and the committee's seal.

The document is official text and, like legalaid/documents.py's forms, is written in Chinese as it
must appear on paper. Both formats render the same `agreement_blocks`, so they never disagree.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from open12348.legalaid.documents import chinese_date, pdf_paragraph

from .choices import PartySide
from .models import Agreement

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _party_line(party) -> str:
    side = "申请人" if party.side == PartySide.APPLICANT else "被申请人"
    sex = {"M": "男", "F": "女"}.get(party.sex, "")
    bits = [f"{side}：{party.name}"]
    if sex:
        bits.append(sex)
    if party.id_number:
        bits.append(f"公民身份号码{party.id_number}")
    if party.address:
        bits.append(f"住址{party.address}")
    if party.phone:
        bits.append(f"联系电话{party.phone}")
    return "，".join(bits) + "。"


def agreement_blocks(agreement: Agreement) -> list[tuple[str, str]]:
    """(style, text) pairs: style is one of issuer, title, number, field, body, sign."""
    case = agreement.case
    parties = list(case.parties.order_by("side", "position", "id"))
    mediators = "、".join(m.name for m in case.mediators.all())
    blocks: list[tuple[str, str]] = [
        ("issuer", case.committee.name),
        ("title", "人民调解协议书"),
        ("number", case.number),
        ("field", "当事人基本情况："),
        *[("item", _party_line(p)) for p in parties],
        ("field", "纠纷主要事实："),
        ("body", case.facts),
        ("field", "争议事项及各方当事人的责任："),
        ("body", agreement.issues),
        ("field", "经调解，各方当事人自愿达成如下协议："),
        ("body", agreement.content),
        ("field", "履行方式及期限："),
        ("body", f"{agreement.performance_manner}，于{chinese_date(agreement.performance_due)}前履行完毕。"),
        ("body", "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                 "各方当事人应当按照约定履行。经人民调解委员会调解达成调解协议后，双方当事人认为有必要的，"
                 "可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。"),
        ("body", f"本协议一式{len(parties) + 1}份，各方当事人各执一份，人民调解委员会留存一份。"),
        *[("sign", f"{'申请人' if p.side == PartySide.APPLICANT else '被申请人'}（签名、盖章或者按指印）：{p.name}")
          for p in parties],
        ("sign", f"人民调解员（签名）：{mediators}"),
        ("sign", f"{case.committee.name}（印章）"),
        ("sign", chinese_date(agreement.signed_on or agreement.made_on)),
    ]
    return blocks


def agreement_pdf(agreement: Agreement) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                            bottomMargin=25 * mm, title="人民调解协议书")
    story = []
    for style, text in agreement_blocks(agreement):
        story.append(pdf_paragraph(text, style))
        if style in ("number", "title"):
            story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return buffer.getvalue()


def agreement_docx(agreement: Agreement) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(12)
    for style, text in agreement_blocks(agreement):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        if style in ("title", "issuer"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.font.size = Pt(20 if style == "title" else 16)
            run.bold = style == "title"
        elif style in ("number", "sign"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif style == "field":
            run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def agreement_filename(agreement: Agreement, ext: str) -> str:
    return f"mediation-agreement-{agreement.case_id}.{ext}"

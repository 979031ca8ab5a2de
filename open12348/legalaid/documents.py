"""The documents a legal aid centre issues, as PDF: decisions, the notice to supply materials, the receipt.

`render_document` turns an application into the bytes of one prescribed form; `document_issue`
stores them as a frozen `Document` (issuing again makes a new row, never changes an old one).

The body of each form is official Chinese legal text (the forms of SF/T 0024 and the Legal Aid
Law's own wording), written here in Chinese as it must appear on paper; it is not interface text
and does not go through the translation catalogue. Generic labels (the kinds of material) do, and
are rendered in Simplified Chinese. See docs/documents.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from functools import cache
from html import escape

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_id_number
from open12348.network.choices import InstitutionKind
from open12348.network.models import Institution

from .choices import Channel, MaterialKind, SupplementStatus
from .eligibility.codes import LAA, MATTER_INFO
from .models import Application, ApplicationEvent, Document

DECISION_GRANT = "decision_grant"
DECISION_REFUSE = "decision_refuse"
SUPPLEMENT_NOTICE = "supplement_notice"
MATERIAL_RECEIPT = "material_receipt"
ASSIGNMENT_NOTICE = "assignment_notice"
ORGAN_LETTER = "organ_letter"

# The prescribed titles (SF/T 0024-2017's form list).
TITLES: dict[str, str] = {
    DECISION_GRANT: "给予法律援助决定书",
    DECISION_REFUSE: "不予法律援助决定书",
    SUPPLEMENT_NOTICE: "补充材料通知书",
    MATERIAL_RECEIPT: "法律援助申请材料接收凭证",
}
# Forms issued once a lawyer is assigned: they need the application's case.
CASE_TITLES: dict[str, str] = {
    ASSIGNMENT_NOTICE: "指派通知书",
    ORGAN_LETTER: "法律援助公函",
}
ALL_TITLES = {**TITLES, **CASE_TITLES}

# The organ that notified the centre (Art. 25/28), as a letter addresses it when its name is not known.
ORGAN_TERMS: dict[str, str] = {
    "court": "人民法院",
    "procuratorate": "人民检察院",
    "public_security": "公安机关",
    "state_security": "国家安全机关",
}

# Art. 22's own wording for each form of service, as the decision must state it.
AID_FORM_TERMS: dict[str, str] = {
    "consultation": "法律咨询",
    "drafting": "代拟法律文书",
    "criminal_defence": "刑事辩护",
    "criminal_representation": "刑事代理",
    "civil_litigation": "民事案件诉讼代理",
    "administrative_litigation": "行政案件诉讼代理",
    "state_compensation": "国家赔偿案件代理",
    "non_litigation": "非诉讼代理",
    "duty_lawyer": "值班律师法律帮助",
    "labour_arbitration": "劳动争议调解与仲裁代理",
    "other": "法律、法规、规章规定的其他形式",
}

log = logging.getLogger(__name__)


def storage_failed_message() -> str:
    return _("The file store is not available, so nothing was saved. Please try again later or tell the "
             "system administrator.")


FONT = "STSong-Light"  # a CID font every PDF reader carries: no font file to ship or embed
BODY_SIZE = 12


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# --- layout --------------------------------------------------------------------------------

@cache
def pdf_styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.9, wordWrap="CJK")
    return {
        "issuer": ParagraphStyle("issuer", parent=base, fontSize=18, leading=28, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=34, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=base, alignment=TA_RIGHT),
        "body": ParagraphStyle("text", parent=base, firstLineIndent=BODY_SIZE * 2),
        "field": base,
        "item": ParagraphStyle("item", parent=base, leftIndent=BODY_SIZE * 2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=15),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
    }


def pdf_paragraph(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: what users typed is escaped, never read as markup."""
    return Paragraph(escape(text).replace("\n", "<br/>"), pdf_styles()[style])


def matter_words(application: Application) -> str:
    info = MATTER_INFO.get(application.matter)
    term = info.term_zh if info else application.matter
    cause = application.cause.strip()
    return f"{cause}（{term}）" if cause and cause != term else term


def _parties(application: Application) -> list[Paragraph]:
    applicant = application.applicant
    lines = [f"申请人：{applicant.name}"]
    if applicant.id_number:
        lines[0] += f"（身份证号：{mask_id_number(applicant.id_number)}）"
    if application.agent_id:
        agent = application.agent
        line = f"代理申请人：{agent.name}"
        extras = []
        if application.agent_relationship:
            extras.append(f"与申请人关系：{application.agent_relationship}")
        if agent.id_number:
            extras.append(f"身份证号：{mask_id_number(agent.id_number)}")
        lines.append(line + (f"（{'，'.join(extras)}）" if extras else ""))
    lines.append(f"申请事项：{matter_words(application)}")
    if application.opposing_party:
        lines.append(f"对方当事人：{application.opposing_party}")
    lines.append(f"申请日期：{chinese_date(timezone.localdate(application.received_at))}")
    return [pdf_paragraph(line, "field") for line in lines]


def _bureau_name(application: Application) -> str:
    """The justice bureau that set up the centre (Art. 49), found in the centre's own region."""
    bureau = Institution.objects.filter(kind=InstitutionKind.JUDICIAL_BUREAU, region_id=application.region_id).first()
    return bureau.name if bureau else ""


def _grant_body(application: Application) -> list:
    form = AID_FORM_TERMS.get(application.aid_form, application.get_aid_form_display())
    return [
        pdf_paragraph(f"{application.applicant.name}：", "field"),
        pdf_paragraph(f"你于{chinese_date(timezone.localdate(application.received_at))}提出的法律援助申请，本中心已依法审查。"
           f"经审查，你的申请符合{LAA}规定的法律援助条件，本中心决定给予法律援助。"),
        pdf_paragraph(f"法律援助形式：{form}。", "field"),
        pdf_paragraph(f"本中心将自作出本决定之日起三日内指派法律援助人员为你提供法律援助（{LAA}第四十三条）。"
           "请你如实陈述与法律援助事项有关的情况，及时提供证据材料，协助、配合办理法律援助事项（第四十七条）。"),
        pdf_paragraph(f"法律援助是免费的。法律援助人员不得向你收取任何财物（{LAA}第二十条）；"
           "如有收取财物的情形，请向本中心或者司法行政部门反映。"),
    ]


def _refuse_body(application: Application) -> list:
    flowables = [
        pdf_paragraph(f"{application.applicant.name}：", "field"),
        pdf_paragraph(f"你于{chinese_date(timezone.localdate(application.received_at))}提出的法律援助申请，本中心已依法审查。"
           f"根据{LAA}第四十三条的规定，本中心决定不予法律援助。理由如下："),
        pdf_paragraph(application.decision_reasons or "（未载明理由）", "item"),
    ]
    rules = (application.eligibility or {}).get("rules") or []
    if rules:
        flowables.append(pdf_paragraph("审查适用的规定：", "field"))
        for number, rule in enumerate(rules, start=1):
            source = f"（{rule['source']}）" if rule.get("source") else ""
            flowables.append(pdf_paragraph(f"{number}. {rule.get('code', '')} {rule.get('title', '')}{source}", "item"))
    bureau = _bureau_name(application)
    where = f"设立本中心的司法行政部门（{bureau}）" if bureau else "设立本中心的司法行政部门"
    flowables.append(pdf_paragraph(
        f"如对本决定有异议，可以向{where}提出。司法行政部门应当自收到异议之日起五日内进行审查，"
        "作出维持本中心决定或者责令本中心改正的决定。对司法行政部门维持本决定不服的，"
        f"可以依法申请行政复议或者提起行政诉讼（{LAA}第四十九条）。"
    ))
    return flowables


def _supplement_body(application: Application) -> list:
    request = application.supplement_requests.filter(status=SupplementStatus.OPEN).order_by("-requested_at").first()
    if request is None:
        raise ApplicationError(_("There is no open request for materials to put in a notice."),
                               code="no_open_request", status=409)
    flowables = [
        pdf_paragraph(f"{application.applicant.name}：", "field"),
        pdf_paragraph(f"你于{chinese_date(timezone.localdate(application.received_at))}提出的法律援助申请，经审查，申请材料不齐全。"
           f"根据{LAA}第四十三条第二款的规定，现一次性告知你需要补充的全部材料如下："),
    ]
    flowables += [pdf_paragraph(f"{number}. {item}", "item") for number, item in enumerate(request.items, start=1)]
    if request.note:
        flowables.append(pdf_paragraph(f"说明：{request.note}", "item"))
    flowables.append(pdf_paragraph(
        f"请于{chinese_date(request.due)}前将上述材料提交本中心，或者对无法提供的材料作出说明。"
        "补充材料期间不计入审查期限。逾期未按要求补充材料或者作出说明的，视为撤回申请。"
    ))
    return flowables


def _receipt_body(application: Application) -> list:
    flowables = [pdf_paragraph(f"本中心已收到{application.applicant.name}提交的下列法律援助申请材料：")]
    header = ["序号", "材料类别", "文件名称", "大小", "接收时间"]
    rows = [[pdf_paragraph(text, "cell") for text in header]]
    labels = dict(MaterialKind.choices)
    for number, material in enumerate(application.materials.order_by("uploaded_at", "id"), start=1):
        received = timezone.localtime(material.uploaded_at)
        rows.append([pdf_paragraph(text, "cell") for text in (
            str(number), str(labels.get(material.kind, material.kind)), material.original_name,
            human_size(material.size), f"{chinese_date(received.date())} {received:%H:%M}",
        )])
    if len(rows) == 1:
        rows.append([pdf_paragraph(text, "cell") for text in ("", "（尚未收到材料）", "", "", "")])
    table = Table(rows, colWidths=[12 * mm, 40 * mm, 60 * mm, 20 * mm, 36 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    flowables += [table, Spacer(1, 4 * mm),
                  pdf_paragraph("本凭证仅证明本中心已收到上列材料，不表示已作出是否给予法律援助的决定。")]
    return flowables


def _assigned_case(application: Application):
    case = getattr(application, "case", None)
    if case is None or case.lawyer_id is None:
        raise ApplicationError(_("No lawyer has been assigned yet, so there is nothing to notify."),
                               code="not_assigned", status=409)
    return case


def _assignment_body(application: Application) -> list:
    """指派通知书: tells the institution (and through it the lawyer) to take the case, and by when."""
    case = _assigned_case(application)
    form = AID_FORM_TERMS.get(application.aid_form, application.get_aid_form_display())
    notified = application.channel == Channel.NOTIFICATION
    basis = (f"根据{LAA}第三十六条的规定，本中心收到{_organ_name(application)}的通知" if notified
             else f"经审查，该申请符合法律援助条件。根据{LAA}第四十三条的规定")
    flowables = [
        pdf_paragraph(f"{case.institution.name}：", "field"),
        pdf_paragraph(f"{application.applicant.name}{matter_words(application)}一案，{basis}，"
           f"现指派你单位{case.lawyer.name}承办该法律援助事项。"),
        pdf_paragraph(f"法律援助形式：{form}。", "field"),
        pdf_paragraph(f"承办人员：{case.lawyer.name}" + (f"（执业证号：{case.lawyer.licence_no}）" if case.lawyer.licence_no else ""),
           "field"),
    ]
    if application.handling_organ:
        flowables.append(pdf_paragraph(f"办案机关：{application.handling_organ}", "field"))
    if case.agreement_due:
        flowables.append(pdf_paragraph(
            f"请承办人员于{chinese_date(case.agreement_due)}前与受援人签订委托协议和授权委托书"
            "（《办理法律援助案件程序规定》第二十七条）。"
        ))
    flowables += [
        pdf_paragraph(f"承办人员应当依法及时为受援人提供法律援助，向受援人通报法律援助事项办理情况（{LAA}第四十六条），"
           f"不得向受援人收取任何财物（{LAA}第二十条）。"),
        pdf_paragraph(f"法律援助事项办结后，承办人员应当及时向本中心报告，并自结案之日起三十日内提交有关法律文书和结案材料"
           f"（{LAA}第五十条）。"),
    ]
    return flowables


def _organ_name(application: Application) -> str:
    return (application.handling_organ or application.channel_detail
            or ORGAN_TERMS.get(application.notifying_organ, "办案机关"))


def _organ_letter_body(application: Application) -> list:
    """法律援助公函: tells the notifying court, procuratorate or police which lawyer was assigned (Art. 36)."""
    case = _assigned_case(application)
    role = "辩护人" if application.aid_form == "criminal_defence" else "诉讼代理人"
    notice = f"（{application.notice_number}）" if application.notice_number else ""
    flowables = [
        pdf_paragraph(f"{_organ_name(application)}：", "field"),
        pdf_paragraph(f"你单位关于为{application.applicant.name}提供法律援助的通知{notice}收悉。根据{LAA}第二十五条、"
           f"第三十六条的规定，本中心指派{case.institution.name}{case.lawyer.name}担任{application.applicant.name}"
           f"的{role}。"),
        pdf_paragraph(f"承办人员：{case.lawyer.name}" + (f"（执业证号：{case.lawyer.licence_no}）" if case.lawyer.licence_no else ""),
           "field"),
        pdf_paragraph(f"所在单位：{case.institution.name}", "field"),
    ]
    if case.institution.phone:
        flowables.append(pdf_paragraph(f"联系电话：{case.institution.phone}", "field"))
    flowables += [
        pdf_paragraph("请为承办人员依法会见、阅卷、调查取证等履行职责提供便利。"),
        pdf_paragraph("特此函告。"),
    ]
    return flowables


BODIES = {
    DECISION_GRANT: _grant_body,
    DECISION_REFUSE: _refuse_body,
    SUPPLEMENT_NOTICE: _supplement_body,
    MATERIAL_RECEIPT: _receipt_body,
    ASSIGNMENT_NOTICE: _assignment_body,
    ORGAN_LETTER: _organ_letter_body,
}


def render_document(kind: str, application: Application, *, issued_on: dt.date | None = None) -> bytes:
    """The PDF of one form for `application`, on A4, in Simplified Chinese, dated `issued_on` (today)."""
    if kind not in BODIES or kind not in ALL_TITLES:
        raise ApplicationError(_("This kind of document does not exist."), code="document_kind_invalid", field="kind")
    issued_on = issued_on or timezone.localdate()
    centre = application.centre.name
    with translation.override("zh-hans"):  # generic labels inside the form read in Chinese
        story = [
            pdf_paragraph(centre, "issuer"),
            pdf_paragraph(ALL_TITLES[kind], "title"),
            pdf_paragraph(application.number, "number"),
            Spacer(1, 4 * mm),
            *_parties(application),
            Spacer(1, 4 * mm),
            *BODIES[kind](application),
            Spacer(1, 12 * mm),
            pdf_paragraph(centre, "sign"),
            pdf_paragraph(chinese_date(issued_on), "sign"),
        ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm, bottomMargin=25 * mm,
        title=f"{ALL_TITLES[kind]} {application.number}", author=centre, subject=ALL_TITLES[kind],
        creator="Open12348",
    )
    document.build(story)
    return buffer.getvalue()


# --- issuing -------------------------------------------------------------------------------

def is_assigned_lawyer(*, actor, application: Application) -> bool:
    """The actor handles this application's case (他们必须能看到和补充自己案件的材料)."""
    if not user_can(actor, Capability.CASE_HANDLE):
        return False
    case = getattr(application, "case", None)  # None before a lawyer is assigned
    return case is not None and case.lawyer_user_id == actor.pk


def ensure_visible(*, actor, application: Application) -> None:
    """The actor may see legal aid applications and this one is in their region subtree, or the
    actor is the lawyer assigned to its case."""
    if is_assigned_lawyer(actor=actor, application=application):
        return
    if not user_can(actor, Capability.AID_VIEW):
        raise ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)
    paths = region_paths_for(actor)
    if paths is not None and not any(application.region.path.startswith(p) for p in paths):
        raise ApplicationError(_("This application is outside your area."), code="out_of_scope", status=404)


def document_filename(*, application: Application, kind: str) -> str:
    return get_valid_filename(f"{application.number}-{kind}.pdf")


@transaction.atomic
def document_issue(*, actor, application: Application, kind: str) -> Document:
    """Render, store and record one document. Documents are frozen: issuing again adds a new one.

    The file is written before the row; if the row cannot be written the file is removed again,
    so no Document ever points at a missing file.
    """
    ensure_visible(actor=actor, application=application)
    data = render_document(kind, application)
    document = Document(application=application, kind=kind, title=ALL_TITLES[kind],
                        sha256=hashlib.sha256(data).hexdigest(),
                        issued_by=actor if getattr(actor, "is_authenticated", False) else None)
    try:
        document.file.save(document_filename(application=application, kind=kind), ContentFile(data), save=False)
    except OSError as exc:
        log.exception("storing document %s for application %s failed", kind, application.pk)
        raise ApplicationError(storage_failed_message(), code="storage_failed", status=503) from exc
    try:
        with transaction.atomic():
            document.save()
            ApplicationEvent.objects.create(
                application=application, actor=document.issued_by, kind="document_issued",
                to_status=application.status, note=document.title,
                data={"document": document.pk, "kind": kind, "sha256": document.sha256},
            )
            audit_record(actor=actor, action="legalaid.document.issue", obj=document,
                         extra={"application": application.pk, "kind": kind, "sha256": document.sha256})
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


def document_open(*, actor, application: Application, document_id: int) -> Document:
    """The document to download, with the access logged. Documents carry only masked ID numbers."""
    ensure_visible(actor=actor, application=application)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise ApplicationError(_("This document does not exist."), code="not_found", status=404)
    audit_record(actor=actor, action="legalaid.document.download", obj=document,
                 extra={"application": application.pk, "kind": document.kind})
    return document

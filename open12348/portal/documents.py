"""The two forms a legal aid applicant signs, blank or filled in, as PDF and as Word (.docx), on A4.

- 法律援助申请表 (the application form; fields as RULES.md §9 lists them, plus the agent applicant
  and the basis for not examining the economic situation, which the 2021 law added);
- 经济困难状况说明表 with the 个人诚信承诺书 (Legal Aid Law Art. 41, 程序规定 2023).

Each form is described once, as rows of cells (`Sheet`), and drawn twice: by reportlab for the PDF
and by python-docx for the Word file, so both always carry the same fields. The content is filled
from a `FormRecord`, which comes from an interview draft (`record_from_answers`), from a submitted
application (`record_from_application`), or is empty for the blank form.

The forms' words are the official Chinese wording as it must appear on paper (like
legalaid/documents.py); they are not interface text and do not go through the catalogue.

Fonts: the PDF embeds a subset of a Chinese TrueType font (AR PL UMing, a Song face, from the Debian
package fonts-arphic-uming; `settings.PORTAL_FORM_FONT` may name another .ttf/.ttc), so every glyph
is in the file and it prints the same on any phone or printer. Where no such font is installed the
PDF falls back to the STSong-Light CID font, which readers supply themselves; that is logged. The
Word file names 宋体 (SimSun), which Word and WPS carry.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from html import escape
from typing import Any

from django.conf import settings
from django.utils import timezone
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from open12348.core.idnumber import parse_id_number
from open12348.legalaid.documents import AID_FORM_TERMS
from open12348.legalaid.eligibility.codes import ELDERLY_AGE, MATTER_INFO, MINOR_AGE
from open12348.legalaid.eligibility.facts import age_on

from . import interview

log = logging.getLogger(__name__)

APPLICATION_FORM = "application"
ECONOMIC_FORM = "economic"
FORMS = {APPLICATION_FORM: "法律援助申请表", ECONOMIC_FORM: "经济困难状况说明表"}
PDF, DOCX = "pdf", "docx"
CONTENT_TYPES = {PDF: "application/pdf",
                 DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN: a Song (Ming) face, as forms use
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
EMBEDDED_FONT = "PortalFormSong"
CID_FONT = "STSong-Light"
DOCX_FONT = "宋体"
CHECKED, UNCHECKED = "■", "□"  # glyphs every Chinese font has (☑ is missing from many)

# --- the words on the forms ----------------------------------------------------------------

SEX_TERMS = {"M": "男", "F": "女"}
EDUCATION_TERMS = {"none": "未受教育", "primary": "小学", "junior": "初中", "senior": "高中（中专）",
                   "college": "大专", "university": "本科及以上"}
HEALTH_TERMS = (("healthy", "健康"), ("disabled", "残疾"), ("serious_illness", "严重疾病"))
# 人群类别 as the 2013 template lists them, and the group codes (RULES.md §12) that tick each box.
POPULATION_BOXES: tuple[tuple[str, frozenset[str]], ...] = (
    ("残疾人", frozenset({"disabled"})),
    ("老年人", frozenset({"elderly", "three_no_elderly"})),
    ("未成年人", frozenset({"minor"})),
    ("妇女", frozenset({"woman"})),
    ("农民工", frozenset({"migrant_worker"})),
    ("军人军属", frozenset({"military", "military_family", "military_benefit"})),
    ("一般贫困", frozenset({"social_assistance", "no_fixed_income"})),
    ("其他", frozenset({"judicial_assistance", "laid_off"})),
)
# What a sub-type claims, in the statute's words (Art. 31(5) and (7)).
SUBTYPE_TERMS = {"wages": "请求支付劳动报酬", "labour_relation": "请求确认劳动关系",
                 "work_injury": "请求工伤事故人身损害赔偿", "traffic": "请求交通事故人身损害赔偿",
                 "food_drug": "请求食品药品安全事故人身损害赔偿", "medical": "请求医疗事故人身损害赔偿"}
CIVIL_POSITIONS = ("原告（申请人）", "被告（被申请人）", "第三人")
CRIMINAL_POSITIONS = ("自诉人", "犯罪嫌疑人", "被告人", "被害人", "近亲属")
STAGE_BOXES: tuple[tuple[str, frozenset[str]], ...] = (
    ("尚未进入程序", frozenset({"not_started"})),
    ("侦查", frozenset({"investigation"})),
    ("审查起诉", frozenset({"prosecution_review"})),
    ("一审", frozenset({"first_instance"})),
    ("二审", frozenset({"second_instance"})),
    ("重审", frozenset({"retrial_remand"})),
    ("再审", frozenset({"retrial"})),
    ("仲裁", frozenset({"arbitration"})),
    ("调解", frozenset({"mediation"})),
    ("行政处理", frozenset({"administrative"})),
    ("复议", frozenset({"reconsideration"})),
    ("执行", frozenset({"execution"})),
)

DECLARATION = ("本人保证以上所填内容及所提交的材料真实、完整。如有虚假，愿意承担因此产生的法律责任"
               "（《中华人民共和国法律援助法》第四十八条、第六十四条）。")
COMMITMENT = (
    "本人郑重承诺：本表所填本人及家庭成员的经济状况真实、完整，没有隐瞒、虚报。本人同意法律援助机构通过信息共享"
    "查询等方式核查本人的经济状况，并配合核查（《中华人民共和国法律援助法》第四十一条）。",
    "如有以欺骗或者其他不正当手段获得法律援助的情形，本人愿意接受法律援助机构终止法律援助的决定"
    "（第四十八条第一款第（一）项），并由司法行政部门责令支付已实施法律援助的费用，处三千元以下罚款（第六十四条）。",
    "本承诺书应当由申请人本人签名；本人不能书写的，由他人代书，申请人捺印，代书人注明姓名和身份证号码。",
)


# --- what fills the forms ------------------------------------------------------------------

@dataclass(frozen=True)
class FormRecord:
    """The values written on the forms, as text. Empty strings are left blank for handwriting."""

    number: str = ""
    date: str = ""
    centre: str = ""
    name: str = ""
    sex: str = ""
    birth_date: str = ""
    ethnicity: str = ""
    id_number: str = ""
    household_registration: str = ""
    phone: str = ""
    employer: str = ""
    occupation: str = ""
    address: str = ""
    education: str = ""
    health: str = ""
    groups: frozenset[str] = frozenset()
    agent_name: str = ""
    agent_relationship: str = ""
    agent_id_number: str = ""
    agent_phone: str = ""
    matter: str = ""
    subtype: str = ""
    category: str = ""
    stage: str = ""
    aid_form: str = ""
    cause: str = ""
    opposing_party: str = ""
    handling_organ: str = ""
    amount_claimed: str = ""
    people_count: str = ""
    facts: str = ""
    household_members: str = ""
    monthly_income: str = ""
    per_person: str = ""
    standard: str = ""
    waiver: str = ""  # the rule codes under which hardship is not examined, e.g. "EX-03、GC-MIGRANT"
    filled: bool = field(default=False)


BLANK = FormRecord()


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _money(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(str(value)):.2f}"
    except InvalidOperation:
        return ""


def _per_person(members: Any, income: Any) -> str:
    try:
        members, income = int(members), Decimal(str(income))
    except (TypeError, ValueError, InvalidOperation):
        return ""
    return f"{income / members:.2f}" if members > 0 else ""


def _waiver(decision: Mapping[str, Any] | None) -> str:
    if not decision or not decision.get("in_scope"):
        return ""
    return "、".join(rule["code"] for rule in decision.get("rules", ())
                    if {"exempt", "not_required"} & set(rule.get("effects", ())))


def _standard(decision: Mapping[str, Any] | None) -> str:
    threshold = (decision or {}).get("threshold")
    return _money(threshold["amount"]) if threshold else ""


def _derived_groups(id_number: str, on: dt.date) -> set[str]:
    try:
        parsed = parse_id_number(id_number)
    except ValueError:
        return set()
    age, groups = age_on(parsed.birth_date, on), set()
    if age < MINOR_AGE:
        groups.add("minor")
    if age >= ELDERLY_AGE:
        groups.add("elderly")
    if parsed.sex == "F":
        groups.add("woman")
    return groups


def _identity(id_number: str) -> dict[str, str]:
    try:
        parsed = parse_id_number(id_number)
    except ValueError:
        return {}
    return {"sex": SEX_TERMS[parsed.sex], "birth_date": chinese_date(parsed.birth_date)}


def record_from_answers(answers: Mapping[str, Any], ctx: interview.InterviewContext, *, phone: str,
                        centre: str = "") -> FormRecord:
    """What an interview draft already says, even half-finished; the rest stays blank."""
    answers = interview.prune(answers, ctx)
    problem = interview.problem_of(answers)
    for_other = answers.get("for_whom") == "other"
    id_number = answers.get("applicant_id_number") or ""
    decision = interview.precheck(answers, ctx)
    stage = answers.get("stage") or ("retrial" if problem and problem.matter == "PET-RETRIAL" else "")
    aid_form = ""
    if problem:
        aid_form = interview.aid_form_for(problem.matter, stage, labour=problem.value in interview.LABOUR_PROBLEMS)
    members, income = answers.get("household_members"), answers.get("monthly_income")
    return FormRecord(
        date=chinese_date(ctx.on), centre=centre,
        name=answers.get("applicant_name", ""), id_number=id_number, **_identity(id_number),
        phone=(answers.get("applicant_phone") or "") if for_other else phone,
        address=answers.get("address", ""),
        health="disabled" if "disabled" in (answers.get("groups") or ()) else "",
        groups=frozenset(answers.get("groups") or ()) | _derived_groups(id_number, ctx.on),
        agent_name=answers.get("agent_name", "") if for_other else "",
        agent_relationship=interview.RELATIONSHIP_TERMS.get(answers.get("agent_relationship", ""), "")
        if for_other else "",
        agent_id_number=answers.get("agent_id_number", "") if for_other else "",
        agent_phone=phone if for_other else "",
        matter=problem.matter if problem else "", subtype=problem.subtype if problem else "",
        category=interview.category_of(answers), stage=stage,
        aid_form=AID_FORM_TERMS.get(aid_form, ""), cause=answers.get("cause", ""),
        opposing_party=answers.get("opposing_party", ""), handling_organ=answers.get("handling_organ", ""),
        amount_claimed=_money(answers.get("amount_claimed")),
        people_count=str(answers.get("people_count") or ("1" if problem else "")),
        facts=answers.get("facts", ""),
        household_members=str(members or ""), monthly_income=_money(income), per_person=_per_person(members, income),
        standard=_standard(decision), waiver=_waiver(decision), filled=True,
    )


def record_from_application(application) -> FormRecord:
    """What a registered application says (`legalaid.Application` with its applicant and agent loaded)."""
    person, agent = application.applicant, application.agent
    household = application.household or {}
    members, income = household.get("members"), household.get("monthly_income")
    decision = application.eligibility or {}
    return FormRecord(
        number=application.number, date=chinese_date(timezone.localdate(application.received_at)),
        centre=application.centre.name,
        name=person.name, sex=SEX_TERMS.get(person.sex, ""), birth_date=chinese_date(person.birth_date),
        ethnicity=person.ethnicity, id_number=person.id_number,
        household_registration=person.household_registration, phone=person.phone, employer=person.employer,
        occupation=person.occupation, address=person.address, education=EDUCATION_TERMS.get(person.education, ""),
        health=person.health or ("disabled" if "disabled" in (application.groups or ()) else ""),
        groups=frozenset(application.groups or ()),
        agent_name=agent.name if agent else "", agent_relationship=application.agent_relationship,
        agent_id_number=agent.id_number if agent else "", agent_phone=agent.phone if agent else "",
        matter=application.matter, subtype=application.matter_subtype, category=application.category,
        stage=application.stage,
        aid_form=AID_FORM_TERMS.get(application.aid_form, ""), cause=application.cause,
        opposing_party=application.opposing_party, handling_organ=application.handling_organ,
        amount_claimed=_money(application.amount_claimed), people_count=str(application.people_count or ""),
        facts=application.facts,
        household_members=str(members or ""), monthly_income=_money(income), per_person=_per_person(members, income),
        standard=_standard(decision), waiver=_waiver(decision), filled=True,
    )


# --- the forms as rows of cells ------------------------------------------------------------

COLUMNS = 4  # label, value, label, value
TALL_ROW = 26 * mm  # a cell to write in by hand (facts, property, reasons)


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    label: bool = False
    tall: bool = False  # room to write by hand


@dataclass(frozen=True)
class Sheet:
    title: str
    subtitle: str
    rows: tuple[tuple[Cell, ...], ...]
    closing: tuple[str, ...]
    signatures: tuple[str, ...]


def _l(text: str) -> Cell:
    return Cell(text, label=True)


def _v(text: str, span: int = 1, *, tall: bool = False) -> Cell:
    return Cell(text, span=span, tall=tall)


def _section(text: str) -> tuple[Cell, ...]:
    return (Cell(text, span=COLUMNS, label=True),)


def _boxes(options: Iterable[str], ticked: Iterable[str]) -> str:
    ticked = set(ticked)
    return "  ".join(f"{CHECKED if option in ticked else UNCHECKED}{option}" for option in options)


def _population(groups: frozenset[str]) -> str:
    return _boxes([label for label, _codes in POPULATION_BOXES],
                  [label for label, codes in POPULATION_BOXES if codes & groups])


def _positions(record: FormRecord) -> str:
    """法律地位: an applicant claims (civil, administrative) or is the accused or the victim (criminal)."""
    if record.matter == "CR-A-DEF":
        ticked = ["犯罪嫌疑人" if record.stage in ("investigation", "prosecution_review") else "被告人"]
    elif record.matter == "CR-A-VICTIM":
        ticked = ["被害人"]
    elif record.category in ("civil", "administrative"):
        ticked = ["原告（申请人）"]
    else:
        ticked = []
    return "民事、行政：" + _boxes(CIVIL_POSITIONS, ticked) + "\n刑事：" + _boxes(CRIMINAL_POSITIONS, ticked)


def _matter_words(record: FormRecord) -> str:
    info = MATTER_INFO.get(record.matter)
    if info is None:
        return record.cause
    term = SUBTYPE_TERMS.get(record.subtype, info.term_zh)
    return f"{record.cause}（{term}）" if record.cause and record.cause != term else term


def application_sheet(record: FormRecord) -> Sheet:
    health = _boxes([term for _code, term in HEALTH_TERMS],
                    [term for code, term in HEALTH_TERMS if code == record.health])
    stage = _boxes([label for label, _codes in STAGE_BOXES],
                   [label for label, codes in STAGE_BOXES if record.stage in codes])
    rows = (
        _section("一、申请人基本情况"),
        (_l("姓名"), _v(record.name), _l("性别"), _v(record.sex)),
        (_l("出生日期"), _v(record.birth_date), _l("民族"), _v(record.ethnicity)),
        (_l("身份证号码"), _v(record.id_number), _l("联系电话"), _v(record.phone)),
        (_l("户籍地"), _v(record.household_registration, 3)),
        (_l("通讯地址"), _v(record.address), _l("邮政编码"), _v("")),
        (_l("工作单位"), _v(record.employer), _l("职业"), _v(record.occupation)),
        (_l("文化程度"), _v(record.education), _l("身体状况"), _v(health)),
        (_l("人群类别"), _v(_population(record.groups), 3)),
        (_l("是否曾申请法律援助"), _v("□否  □是（时间：        地点：        编号：        ）", 3)),
        _section("二、代理申请人情况（由他人代为申请的填写）"),
        (_l("姓名"), _v(record.agent_name), _l("与申请人关系"), _v(record.agent_relationship)),
        (_l("身份证号码"), _v(record.agent_id_number), _l("联系电话"), _v(record.agent_phone)),
        _section("三、案件情况"),
        (_l("申请事项（案由）"), _v(_matter_words(record), 3)),
        (_l("法律地位"), _v(_positions(record), 3)),
        (_l("对方当事人"), _v(record.opposing_party), _l("办案机关"), _v(record.handling_organ)),
        (_l("法律状态"), _v(stage, 3)),
        (_l("申请援助形式"), _v(record.aid_form), _l("争议金额（元）"), _v(record.amount_claimed)),
        (_l("受援人数"), _v(record.people_count), _l("受理机构"), _v(record.centre)),
        (_l("案情概述及申请理由"), _v(record.facts, 3, tall=True)),
        _section("四、经济状况"),
        (_l("家庭人口（人）"), _v(record.household_members), _l("家庭月收入（元）"), _v(record.monthly_income)),
        (_l("人均月收入（元）"), _v(record.per_person), _l("当地经济困难标准（元/人·月）"), _v(record.standard)),
        (_l("免予核查经济困难状况的依据"), _v(record.waiver, 3)),
    )
    return Sheet(
        title=FORMS[APPLICATION_FORM],
        subtitle=f"编号：{record.number or '          '}    申请日期：{record.date or '    年  月  日'}",
        rows=rows,
        closing=(DECLARATION,),
        signatures=("申请人签名（捺印）：", "代理申请人签名：", "日期：    年    月    日"),
    )


def economic_sheet(record: FormRecord) -> Sheet:
    members_rows = [(_l("姓名"), _l("与申请人关系"), _l("工作单位或职业"), _l("月收入（元）"))]
    members_rows.append((_v(record.name), _v("本人" if record.name else ""), _v(record.occupation), _v("")))
    members_rows += [(_v(""), _v(""), _v(""), _v("")) for _blank in range(4)]
    rows = (
        _section("一、申请人"),
        (_l("姓名"), _v(record.name), _l("身份证号码"), _v(record.id_number)),
        (_l("联系电话"), _v(record.phone), _l("住址"), _v(record.address)),
        _section("二、家庭成员及收入（与申请人共同生活的家庭成员）"),
        *members_rows,
        _section("三、家庭收入"),
        (_l("家庭人口（人）"), _v(record.household_members), _l("家庭月总收入（元）"), _v(record.monthly_income)),
        (_l("人均月收入（元）"), _v(record.per_person), _l("当地经济困难标准（元/人·月）"), _v(record.standard)),
        _section("四、家庭财产"),
        (_l("房产（地址、面积、自用或出租）"), _v("", 3, tall=True)),
        (_l("机动车"), _v(""), _l("存款及有价证券（元）"), _v("")),
        (_l("其他财产"), _v("", 3)),
        _section("五、经济困难的原因"),
        (_v("", COLUMNS, tall=True),),
    )
    return Sheet(
        title=FORMS[ECONOMIC_FORM],
        subtitle=f"申请人：{record.name or '          '}    填表日期：{record.date or '    年  月  日'}",
        rows=rows,
        closing=("个人诚信承诺书", *COMMITMENT),
        signatures=("承诺人签名（捺印）：", "代书人姓名及身份证号码：", "日期：    年    月    日"),
    )


SHEETS = {APPLICATION_FORM: application_sheet, ECONOMIC_FORM: economic_sheet}


# --- PDF -----------------------------------------------------------------------------------

def _font_files() -> tuple[tuple[str, int], ...]:
    configured = getattr(settings, "PORTAL_FORM_FONT", None)
    return ((configured, 0),) if configured else FONT_CANDIDATES


@cache
def _pdf_font(files: tuple[tuple[str, int], ...]) -> str:
    """Register the first Chinese TrueType font found (embedded as a subset), else the CID font."""
    for path, index in files:
        if not os.path.exists(path):
            continue
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, path, subfontIndex=index))
        except TTFError:
            log.warning("the form font %s could not be read", path)
            continue
        return EMBEDDED_FONT
    log.warning("no Chinese TrueType font for the portal forms (install fonts-arphic-uming): the PDFs will use "
                "the reader's own %s", CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def pdf_font() -> str:
    return _pdf_font(_font_files())


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("form", fontName=font, fontSize=10, leading=13.5, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER),
        "cell": base,
        "label": ParagraphStyle("label", parent=base, alignment=TA_CENTER),
        "section": ParagraphStyle("section", parent=base, fontSize=11.5),
        "body": ParagraphStyle("body", parent=base, fontSize=11, leading=19, firstLineIndent=22),
        "heading": ParagraphStyle("heading", parent=base, fontSize=14, leading=24, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, fontSize=11, leading=26, leftIndent=240),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render_pdf(sheet: Sheet) -> bytes:
    font = pdf_font()
    styles = _styles(font)
    width = A4[0] - 40 * mm
    columns = [width * share for share in (0.17, 0.33, 0.17, 0.33)]
    data, style = [], [("GRID", (0, 0), (-1, -1), 0.6, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for r, row in enumerate(sheet.rows):
        line, c = [], 0
        for cell in row:
            if cell.span == COLUMNS and cell.label:
                line.append(_para(cell.text, styles["section"]))
                style.append(("BACKGROUND", (0, r), (-1, r), "#eeeeee"))
            else:
                line.append(_para(cell.text, styles["label" if cell.label else "cell"]))
            if cell.span > 1:
                style.append(("SPAN", (c, r), (c + cell.span - 1, r)))
                line += [""] * (cell.span - 1)
            c += cell.span
        data.append(line)
    heights = [TALL_ROW if any(cell.tall for cell in row) else None for row in sheet.rows]
    table = Table(data, colWidths=columns, rowHeights=heights, repeatRows=0)
    table.setStyle(TableStyle(style))
    story = [_para(sheet.title, styles["title"]), _para(sheet.subtitle, styles["subtitle"]), Spacer(1, 4 * mm), table,
             Spacer(1, 5 * mm)]
    for number, text in enumerate(sheet.closing):
        heading = number == 0 and len(sheet.closing) > 1  # the commitment's own title
        story.append(_para(text, styles["heading" if heading else "body"]))
    story.append(Spacer(1, 6 * mm))
    story += [_para(text, styles["sign"]) for text in sheet.signatures]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm, title=sheet.title, subject=sheet.title, creator="Open12348").build(story)
    return buffer.getvalue()


# --- Word ----------------------------------------------------------------------------------

def _docx_run(paragraph, text: str, *, size: float = 10.5, bold: bool = False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = DOCX_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    return run


def render_docx(sheet: Sheet) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # python-docx starts from US Letter
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    document.core_properties.title = sheet.title
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_run(title, sheet.title, size=20, bold=True)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_run(subtitle, sheet.subtitle)
    table = document.add_table(rows=len(sheet.rows), cols=COLUMNS)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(170 * share) for share in (0.17, 0.33, 0.17, 0.33)]
    for r, row in enumerate(sheet.rows):
        cells, c = table.rows[r].cells, 0
        if any(cell.tall for cell in row):
            table.rows[r].height = Mm(TALL_ROW / mm)
        for cell in row:
            target = cells[c]
            for index in range(c, c + cell.span):
                cells[index].width = widths[index]
            if cell.span > 1:
                target = target.merge(cells[c + cell.span - 1])
            for number, line in enumerate(cell.text.split("\n")):
                paragraph = target.paragraphs[0] if number == 0 else target.add_paragraph()
                if cell.label and cell.span < COLUMNS:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _docx_run(paragraph, line, bold=cell.label and cell.span == COLUMNS)
            c += cell.span
    document.add_paragraph()
    for number, text in enumerate(sheet.closing):
        paragraph = document.add_paragraph()
        if number == 0 and len(sheet.closing) > 1:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_run(paragraph, text, size=14, bold=True)
        else:
            paragraph.paragraph_format.first_line_indent = Mm(7.5)
            _docx_run(paragraph, text, size=11)
    for text in sheet.signatures:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(85)
        _docx_run(paragraph, text, size=11)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RENDERERS = {PDF: render_pdf, DOCX: render_docx}


def render_form(form: str, fmt: str, record: FormRecord = BLANK) -> bytes:
    """The bytes of one form (`application` or `economic`) as `pdf` or `docx`, blank or filled from `record`."""
    if form not in SHEETS or fmt not in RENDERERS:
        raise KeyError((form, fmt))
    return RENDERERS[fmt](SHEETS[form](record))


def filename(form: str, fmt: str, record: FormRecord = BLANK) -> str:
    """The file's name: the form's title, and the application's number once it has one."""
    suffix = f"-{record.number}" if record.number else ""
    return f"{FORMS[form]}{suffix}.{fmt}"

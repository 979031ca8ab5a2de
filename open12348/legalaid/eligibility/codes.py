"""The codes the legal aid software speaks (RULES.md §12), with labels and the article each comes from.

Every code is a plain string value (the `TextChoices` members compare and hash like their value),
so stored data, API payloads and rule layers all use the same text. Labels are English source
strings for the translation catalogue; `term_zh` keeps the statute's own wording, which documents
and the catalogue's translator can use as they are.

Importing this module touches neither the database nor the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

LAA = "《中华人民共和国法律援助法》"


class CaseCategory(TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")
    ADMINISTRATIVE = "administrative", _("Administrative")
    NON_LITIGATION = "non_litigation", _("Non-litigation")


class Matter(TextChoices):
    CR_N_MINOR = "CR-N-MINOR", _("Criminal defence, notified: minor")
    CR_N_SENSORY = "CR-N-SENSORY", _("Criminal defence, notified: visually, hearing or speech disabled person")
    CR_N_IMPAIRED = "CR-N-IMPAIRED", _("Criminal defence, notified: adult unable fully to understand own conduct")
    CR_N_LIFE_DEATH = "CR-N-LIFE-DEATH", _("Criminal defence, notified: may face life imprisonment or death")
    CR_N_DEATH_REVIEW = "CR-N-DEATH-REVIEW", _("Criminal defence, notified: death sentence review")
    CR_N_ABSENTIA = "CR-N-ABSENTIA", _("Criminal defence, notified: trial in absentia")
    CR_N_OTHER = "CR-N-OTHER", _("Criminal defence, notified: other persons named by law")
    CR_N_DISCRETIONARY = "CR-N-DISCRETIONARY", _("Criminal defence, notified at the court's discretion (ordinary procedure)")
    CM_N_FORCED_MED = "CM-N-FORCED-MED", _("Compulsory medical treatment case, notified")
    CR_A_DEF = "CR-A-DEF", _("Criminal defence on application")
    CR_A_VICTIM = "CR-A-VICTIM", _("Victim, private prosecutor or civil claimant in a criminal case")
    CV_01 = "CV-01", _("State compensation")
    CV_02 = "CV-02", _("Social insurance benefits or social assistance")
    CV_03 = "CV-03", _("Survivor or disability pension (fuxujin)")
    CV_04 = "CV-04", _("Support for parents, children or spouse")
    CV_05 = "CV-05", _("Employment relationship or payment of wages")
    CV_06 = "CV-06", _("Declaring a person without or with limited civil capacity")
    CV_07 = "CV-07", _("Personal injury from a work, traffic, food/drug or medical accident")
    CV_08 = "CV-08", _("Environmental pollution or ecological damage")
    CV_09 = "CV-09", _("Other matter named by a law, regulation or rule")
    CV_OTHER = "CV-OTHER", _("Other civil or administrative matter (on no list)")
    NM_01 = "NM-01", _("Close relative of a hero or martyr protecting their personality rights")
    NM_02 = "NM-02", _("Civil claim arising from an act of bravery")
    NM_03 = "NM-03", _("State compensation after acquittal on retrial")
    NM_04 = "NM-04", _("Victim of abuse, abandonment or domestic violence")
    NM_05 = "NM-05", _("Other situation without the economic condition, named by a law, regulation or rule")
    PET_RETRIAL = "PET-RETRIAL", _("Petition or retrial")


class Subtype(TextChoices):
    WAGES = "wages", _("Payment of wages")
    LABOUR_RELATION = "labour_relation", _("Confirming the employment relationship")
    WORK_INJURY = "work_injury", _("Work injury")
    TRAFFIC = "traffic", _("Traffic accident")
    FOOD_DRUG = "food_drug", _("Food or drug safety accident")
    MEDICAL = "medical", _("Medical accident")


# Matters whose sub-type is a free token named by the layer that lists it ("法律、法规、规章规定的其他情形").
OPEN_SUBTYPES = object()


@dataclass(frozen=True, slots=True)
class MatterInfo:
    code: str
    term_zh: str
    article: str  # the citation of the article that defines the matter
    category: str  # default case category; the caller may override it
    subtypes: frozenset[str] | object  # allowed sub-types, or OPEN_SUBTYPES
    counsel_article: str  # the article whose "没有委托…" condition fails when counsel is already hired
    notification: bool = False  # criminal notification (Art. 25/28): no application, no economic test


def _info(code, term_zh, article, category, subtypes=(), counsel_article=None, notification=False):
    subs = subtypes if subtypes is OPEN_SUBTYPES else frozenset(subtypes)
    return MatterInfo(code, term_zh, f"{LAA}{article}", category, subs,
                      f"{LAA}{counsel_article or article}", notification)


_C, _V, _A = CaseCategory.CRIMINAL.value, CaseCategory.CIVIL.value, CaseCategory.ADMINISTRATIVE.value

MATTER_INFO: dict[str, MatterInfo] = {
    i.code: i
    for i in (
        _info("CR-N-MINOR", "未成年人", "第二十五条第一款第（一）项", _C, notification=True),
        _info("CR-N-SENSORY", "视力、听力、言语残疾人", "第二十五条第一款第（二）项", _C, notification=True),
        _info("CR-N-IMPAIRED", "不能完全辨认自己行为的成年人", "第二十五条第一款第（三）项", _C, notification=True),
        _info("CR-N-LIFE-DEATH", "可能被判处无期徒刑、死刑的人", "第二十五条第一款第（四）项", _C, notification=True),
        _info("CR-N-DEATH-REVIEW", "申请法律援助的死刑复核案件被告人", "第二十五条第一款第（五）项", _C,
              notification=True),
        _info("CR-N-ABSENTIA", "缺席审判案件的被告人", "第二十五条第一款第（六）项", _C, notification=True),
        _info("CR-N-OTHER", "法律法规规定的其他人员", "第二十五条第一款第（七）项", _C, notification=True),
        _info("CR-N-DISCRETIONARY", "其他适用普通程序审理的刑事案件被告人", "第二十五条第二款", _C,
              notification=True),
        _info("CM-N-FORCED-MED", "强制医疗案件的被申请人或者被告人", "第二十八条", _C, notification=True),
        _info("CR-A-DEF", "因经济困难或者其他原因没有委托辩护人的犯罪嫌疑人、被告人", "第二十四条", _C),
        _info("CR-A-VICTIM", "被害人、自诉人、附带民事诉讼原告人", "第二十九条", _C),
        _info("CV-01", "依法请求国家赔偿", "第三十一条第（一）项", _A),
        _info("CV-02", "请求给予社会保险待遇或者社会救助", "第三十一条第（二）项", _A),
        _info("CV-03", "请求发给抚恤金", "第三十一条第（三）项", _A),
        _info("CV-04", "请求给付赡养费、抚养费、扶养费", "第三十一条第（四）项", _V),
        _info("CV-05", "请求确认劳动关系或者支付劳动报酬", "第三十一条第（五）项", _V,
              (Subtype.WAGES, Subtype.LABOUR_RELATION)),
        _info("CV-06", "请求认定公民无民事行为能力或者限制民事行为能力", "第三十一条第（六）项", _V),
        _info("CV-07", "请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿", "第三十一条第（七）项", _V,
              (Subtype.WORK_INJURY, Subtype.TRAFFIC, Subtype.FOOD_DRUG, Subtype.MEDICAL)),
        _info("CV-08", "请求环境污染、生态破坏损害赔偿", "第三十一条第（八）项", _V),
        _info("CV-09", "法律、法规、规章规定的其他情形", "第三十一条第（九）项", _V, OPEN_SUBTYPES),
        _info("CV-OTHER", "不属于法律援助事项范围的其他民事、行政事项", "第三十一条", _V),
        _info("NM-01", "英雄烈士近亲属为维护英雄烈士的人格权益", "第三十二条第（一）项", _V,
              counsel_article="第四十八条第一款第（六）项"),
        _info("NM-02", "因见义勇为行为主张相关民事权益", "第三十二条第（二）项", _V,
              counsel_article="第四十八条第一款第（六）项"),
        _info("NM-03", "再审改判无罪请求国家赔偿", "第三十二条第（三）项", _A,
              counsel_article="第四十八条第一款第（六）项"),
        _info("NM-04", "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益", "第三十二条第（四）项", _V,
              counsel_article="第四十八条第一款第（六）项"),
        _info("NM-05", "法律、法规、规章规定的其他情形（不受经济困难条件限制）", "第三十二条第（五）项", _V,
              OPEN_SUBTYPES, counsel_article="第四十八条第一款第（六）项"),
        _info("PET-RETRIAL", "不服生效裁判或者决定提出申诉或者申请再审", "第三十三条", _V),
    )
}
assert set(MATTER_INFO) == set(Matter.values)  # noqa: S101  (a table kept in step with the enum)


class Group(TextChoices):
    MINOR = "minor", _("Minor (under 18)")
    ELDERLY = "elderly", _("Elderly (60 or over)")
    WOMAN = "woman", _("Woman")
    DISABLED = "disabled", _("Person with a disability")
    NO_FIXED_INCOME = "no_fixed_income", _("No fixed source of income")
    SOCIAL_ASSISTANCE = "social_assistance", _("Receives subsistence allowance or destitute support")
    JUDICIAL_ASSISTANCE = "judicial_assistance", _("Receives judicial assistance")
    MILITARY_BENEFIT = "military_benefit", _("Entitled to military preferential treatment")
    MILITARY = "military", _("Serving soldier")
    MILITARY_FAMILY = "military_family", _("Soldier's family member")
    MIGRANT_WORKER = "migrant_worker", _("Migrant worker")
    LAID_OFF = "laid_off", _("Laid-off worker")
    THREE_NO_ELDERLY = "three_no_elderly", _("Elderly without work ability, income or supporter")


# Groups the engine derives from age and sex; a declaration that contradicts them is an input error.
AGE_GROUPS = frozenset({Group.MINOR.value, Group.ELDERLY.value, Group.THREE_NO_ELDERLY.value})
MINOR_AGE = 18  # 民法典 Art. 17
ELDERLY_AGE = 60  # 老年人权益保障法 Art. 2


class Circumstance(TextChoices):
    RETRIAL_ORDERED = "retrial_ordered", _("The court ordered a retrial or the procuratorate protested")


class EconomicReview(TextChoices):
    NOT_REQUIRED = "not_required", _("No economic condition applies")
    EXEMPT = "exempt", _("Exempt from the economic check")
    PASSED = "passed", _("Income within the local standard")
    FAILED = "failed", _("Income above the local standard")
    UNKNOWN = "unknown", _("Not yet known")


class Exemption(TextChoices):
    EX_01 = "EX-01", _("Minor, elderly or disabled person without a fixed source of income")
    EX_02 = "EX-02", _("Recipient of social assistance, judicial assistance or military preferential treatment")
    EX_03 = "EX-03", _("Migrant worker claiming wages or work-injury compensation")
    EX_04 = "EX-04", _("Other person named by a law, regulation or rule")


EXEMPTION_ARTICLES = {
    "EX-01": f"{LAA}第四十二条第（一）项",
    "EX-02": f"{LAA}第四十二条第（二）项",
    "EX-03": f"{LAA}第四十二条第（三）项",
    "EX-04": f"{LAA}第四十二条第（四）项",
}


class LocalRule(TextChoices):
    GC_MIGRANT = "GC-MIGRANT", _("Green channel: migrant workers")
    GC_ELDERLY = "GC-ELDERLY", _("Green channel: the elderly")
    GC_WOMEN = "GC-WOMEN", _("Green channel: women")
    GC_MINOR = "GC-MINOR", _("Green channel: minors")
    GC_DISABLED = "GC-DISABLED", _("Green channel: persons with disabilities")
    GC_MILITARY = "GC-MILITARY", _("Green channel: soldiers and their families")


class Termination(TextChoices):
    T1 = "T1", _("Aid obtained by deception or other improper means")
    T2 = "T2", _("Important facts concealed or false evidence supplied")
    T3 = "T3", _("Aid used for unlawful activity")
    T4 = "T4", _("Economic situation changed; no longer eligible")
    T5 = "T5", _("Proceedings ended or the case was withdrawn")
    T6 = "T6", _("The aided person hired a lawyer or agent")
    T7 = "T7", _("The aided person asked to end aid for a good reason")
    T8 = "T8", _("Other ground named by law")


TERMINATION_ARTICLES = {f"T{i}": f"{LAA}第四十八条第一款第（{n}）项"
                        for i, n in enumerate("一二三四五六七八", start=1)}



class Channel(TextChoices):
    WINDOW = "window", _("Service window")
    ONLINE = "online", _("Online")
    WORKSTATION = "workstation", _("Partner workstation")
    HOTLINE = "hotline", _("Hotline message")
    DUTY_LAWYER = "duty_lawyer", _("Duty lawyer")
    DETENTION_FORWARDING = "detention_forwarding", _("Forwarded by a detention facility")
    NOTIFICATION = "notification", _("Notification by a court, procuratorate or police")
    VIDEO = "video", _("Remote video consultation")
    MEDIATION = "mediation", _("Referred by people's mediation")
    CHECKUP = "checkup", _("Enterprise legal check-up")



class RoutingHint(TextChoices):
    """Known routing hints. Layers may name others; those are shown by their code."""

    WOMENS_RIGHTS_TEAM = "womens_rights_team", _("Women's rights lawyer team")
    MINORS_WORKSTATION = "minors_workstation", _("Minors' legal aid workstation")
    TOWNSHIP_WORKSTATION = "township_workstation", _("Township judicial office workstation")
    HOME_VISIT = "home_visit", _("Home visit")
    EXPERIENCED_DEFENDER = "experienced_defender", _("Lawyer with three years or more of relevant practice")


class EngineRule(TextChoices):
    """Rules the engine itself applies; they are cited like layer rules."""

    ECON_TEST = "ECON-TEST", _("Household income per member compared with the local standard")
    ECON_UNKNOWN = "ECON-UNKNOWN", _("Household income not given")
    ECON_NO_THRESHOLD = "ECON-NO-THRESHOLD", _("No local standard in force for this region and date")
    COUNSEL_HIRED = "COUNSEL-HIRED", _("A lawyer or agent has already been hired")


ENGINE_RULE_SOURCES = {
    "ECON-TEST": f"{LAA}第三十四条",
    "ECON-UNKNOWN": f"{LAA}第四十一条",
    "ECON-NO-THRESHOLD": f"{LAA}第三十四条",
}

# Codes a layer may not reuse for its own rules.
RESERVED_RULE_CODES = frozenset(EngineRule.values)


class AidForm(TextChoices):
    """Forms of legal aid service, Legal Aid Law Art. 22."""

    CONSULTATION = "consultation", _("Legal consultation")
    DRAFTING = "drafting", _("Drafting legal documents")
    CRIMINAL_DEFENCE = "criminal_defence", _("Criminal defence")
    CRIMINAL_REPRESENTATION = "criminal_representation", _("Representation in a criminal case")
    CIVIL_LITIGATION = "civil_litigation", _("Representation in civil litigation")
    ADMINISTRATIVE_LITIGATION = "administrative_litigation", _("Representation in administrative litigation")
    STATE_COMPENSATION = "state_compensation", _("Representation in state compensation")
    NON_LITIGATION = "non_litigation", _("Non-litigation representation")
    DUTY_LAWYER = "duty_lawyer", _("Duty lawyer's legal help")
    LABOUR_ARBITRATION = "labour_arbitration", _("Representation in labour mediation and arbitration")
    OTHER = "other", _("Other form of legal aid")


class Stage(TextChoices):
    """Procedural stage (法律状态) as the application form lists them."""

    NOT_STARTED = "not_started", _("Not yet in any procedure")
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION_REVIEW = "prosecution_review", _("Review for prosecution")
    FIRST_INSTANCE = "first_instance", _("First instance")
    SECOND_INSTANCE = "second_instance", _("Second instance")
    RETRIAL_REMAND = "retrial_remand", _("Retrial after remand")
    RETRIAL = "retrial", _("Retrial (trial supervision)")
    DEATH_REVIEW = "death_review", _("Death sentence review")
    ARBITRATION = "arbitration", _("Arbitration")
    MEDIATION = "mediation", _("Mediation")
    ADMINISTRATIVE = "administrative", _("Administrative handling")
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    EXECUTION = "execution", _("Enforcement")

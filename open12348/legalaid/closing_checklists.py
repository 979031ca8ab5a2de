"""The materials a closing file must hold, per kind of case and procedural stage.

Modelled on the annex lists of closing-file materials in SF/T 0032 (criminal legal aid: defence
at investigation, review for prosecution and trial; duty lawyers) and SF/T 0058 (civil and
administrative legal aid: litigation, non-litigation, labour arbitration). Archive review passes
only when every item of the case's list is ticked.

Each item has a stable code (stored in `ClosingReport.checklist`), an English label for the
interface (translated like every other label) and `term_zh`, the document's name as it appears
on paper and in the standards, for the translator and for printed lists.

Pure data and lookups: importing this module touches neither the database nor the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    label: Promise
    term_zh: str


def _item(code: str, label: Promise, term_zh: str) -> Item:
    return Item(code, label, term_zh)


ASSIGNMENT_NOTICE = _item("assignment_notice", _("Assignment notice"), "指派通知书")
DEFENCE_AGREEMENT = _item("defence_agreement", _("Defence agreement"), "委托辩护协议")
AGENCY_AGREEMENT = _item("agency_agreement", _("Representation agreement"), "委托代理协议")
POWER_OF_ATTORNEY = _item("power_of_attorney", _("Power of attorney"), "授权委托书")
MEETING_RECORD = _item("meeting_record", _("Record of meetings with the client"), "会见笔录")
FILE_READING_RECORD = _item("file_reading_record", _("Record of reading the case file"), "阅卷笔录")
DEFENCE_OPINION = _item("defence_opinion", _("Written defence opinion"), "书面辩护意见")
DEFENCE_STATEMENT = _item("defence_statement", _("Defence statement"), "辩护词")
INDICTMENT_OR_DECISION = _item("indictment_or_decision", _("Indictment or decision not to prosecute"),
                               "起诉书/不起诉决定书")
CASE_HANDLING_RESULT = _item("case_handling_result", _("Document ending the investigation"),
                             "撤销案件决定书/移送审查起诉意见书等")
JUDGMENT_OR_RULING = _item("judgment_or_ruling", _("Judgment or ruling"), "判决书/裁定书")
CLOSING_REPORT = _item("closing_report", _("Closing report"), "结案报告")
COMPLAINT_OR_DEFENCE = _item("complaint_or_defence", _("Statement of claim or defence"), "起诉状/答辩状")
EVIDENCE = _item("evidence", _("Evidence"), "证据材料")
REPRESENTATION_STATEMENT = _item("representation_statement", _("Representation statement"), "代理词")
JUDGMENT_OR_MEDIATION = _item("judgment_or_mediation", _("Judgment, ruling or mediation statement"),
                              "判决书/裁定书/调解书")
INTERVIEW_RECORD = _item("interview_record", _("Record of interviews and investigation"), "谈话笔录/调查笔录")
LEGAL_DOCUMENTS = _item("legal_documents", _("Legal documents drafted or submitted"), "代书文书/申请书/法律意见书")
RESULT_DOCUMENT = _item("result_document", _("Document recording the result"), "调解协议/和解协议/处理决定等")
ARBITRATION_APPLICATION = _item("arbitration_application", _("Arbitration application or defence"),
                                "仲裁申请书/答辩书")
ARBITRATION_OPINION = _item("arbitration_opinion", _("Representation opinion"), "代理意见")
AWARD_OR_MEDIATION = _item("award_or_mediation", _("Arbitral award or mediation statement"), "仲裁裁决书/调解书")
HELP_REGISTER = _item("help_register", _("Register of legal help given"), "法律帮助登记表")
HELP_RECORD = _item("help_record", _("Record of meetings or consultations"), "会见/咨询记录")
PLEA_WITNESS = _item("plea_witness", _("Plea agreement signed in the duty lawyer's presence"),
                     "认罪认罚具结书（在场见证）")
DUTY_OPINION = _item("duty_opinion", _("Opinion submitted to the authority"), "提出的法律意见")

_CRIMINAL_START = (ASSIGNMENT_NOTICE, DEFENCE_AGREEMENT, POWER_OF_ATTORNEY, MEETING_RECORD)
_CIVIL_START = (ASSIGNMENT_NOTICE, AGENCY_AGREEMENT, POWER_OF_ATTORNEY)

# Lists by key: the category, or the category and a stage group.
CHECKLISTS: dict[str, tuple[Item, ...]] = {
    # SF/T 0032 annex A: defence at the investigation stage.
    "criminal:investigation": (*_CRIMINAL_START, DEFENCE_OPINION, CASE_HANDLING_RESULT, CLOSING_REPORT),
    # Review for prosecution: the file can be read from this stage on.
    "criminal:prosecution": (*_CRIMINAL_START, FILE_READING_RECORD, DEFENCE_OPINION, INDICTMENT_OR_DECISION,
                             CLOSING_REPORT),
    # Trial (first or second instance, retrial, death sentence review).
    "criminal:trial": (*_CRIMINAL_START, FILE_READING_RECORD, DEFENCE_STATEMENT, JUDGMENT_OR_RULING,
                       CLOSING_REPORT),
    # SF/T 0032 annex A: representing a victim, private prosecutor or civil claimant.
    "criminal_representation": (ASSIGNMENT_NOTICE, AGENCY_AGREEMENT, POWER_OF_ATTORNEY, MEETING_RECORD,
                                FILE_READING_RECORD, REPRESENTATION_STATEMENT, JUDGMENT_OR_RULING, CLOSING_REPORT),
    # SF/T 0058: representation in civil and administrative litigation.
    "litigation": (*_CIVIL_START, COMPLAINT_OR_DEFENCE, EVIDENCE, REPRESENTATION_STATEMENT, JUDGMENT_OR_MEDIATION,
                   CLOSING_REPORT),
    # SF/T 0058: non-litigation representation (negotiation, mediation, administrative handling).
    "non_litigation": (*_CIVIL_START, INTERVIEW_RECORD, LEGAL_DOCUMENTS, RESULT_DOCUMENT, CLOSING_REPORT),
    # Labour dispute mediation and arbitration.
    "labour_arbitration": (*_CIVIL_START, ARBITRATION_APPLICATION, EVIDENCE, ARBITRATION_OPINION, AWARD_OR_MEDIATION,
                           CLOSING_REPORT),
    # SF/T 0032: duty lawyers' legal help.
    "duty_lawyer": (ASSIGNMENT_NOTICE, HELP_REGISTER, HELP_RECORD, PLEA_WITNESS, DUTY_OPINION, CLOSING_REPORT),
}

CRIMINAL_STAGE_GROUPS = {
    "investigation": "criminal:investigation",
    "prosecution_review": "criminal:prosecution",
}
# Civil and administrative stages handled outside a court.
NON_LITIGATION_STAGES = frozenset({"not_started", "mediation", "administrative", "reconsideration"})
# Forms of aid (Art. 22) whose closing file differs from their category's usual one.
FORM_KEYS = {"duty_lawyer": "duty_lawyer", "labour_arbitration": "labour_arbitration",
             "non_litigation": "non_litigation", "criminal_representation": "criminal_representation"}


def checklist_key(*, category: str, stage: str) -> str:
    """Which list applies. `category` is a case category, or a form of aid that has its own list
    ("duty_lawyer", "labour_arbitration", "criminal_representation")."""
    if category in CHECKLISTS:
        return category
    if category == "criminal":
        return CRIMINAL_STAGE_GROUPS.get(stage or "", "criminal:trial")
    if category == "non_litigation" or stage in NON_LITIGATION_STAGES:
        return "non_litigation"
    if stage == "arbitration":
        return "labour_arbitration"
    return "litigation"


def checklist_items(*, category: str, stage: str) -> tuple[Item, ...]:
    return CHECKLISTS[checklist_key(category=category, stage=stage)]


def closing_checklist_for(*, category: str, stage: str) -> list[tuple[str, str]]:
    """The closing file's required materials as (item code, label in the current language)."""
    return [(item.code, str(item.label)) for item in checklist_items(category=category, stage=stage)]


def checklist_category(*, category: str, aid_form: str = "") -> str:
    """The `category` to look a case's list up with: the form of aid where it has a list of its own."""
    return FORM_KEYS.get(aid_form, category)

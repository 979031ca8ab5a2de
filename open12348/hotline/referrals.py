"""What a call already tells a legal aid application: the pre-filled form of a hotline referral.

A call knows the caller's number, perhaps their name, the legal topic and the question. The
operator confirms or corrects these in the intake form (the legal aid rules then run as for any
application) and adds what the call did not say; nothing is registered without that check.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import Topic


@dataclass(frozen=True)
class AidGuess:
    matter: str
    subtype: str
    category: str
    aid_form: str
    stage: str
    cause: str


# Legal Aid Law Art. 31 / 32 matters a hotline topic usually is (the operator may change it).
TOPIC_TO_AID: dict[str, AidGuess] = {
    Topic.WAGES: AidGuess("CV-05", "wages", "civil", "labour_arbitration", "not_started", "追索劳动报酬"),
    Topic.LABOUR_CONTRACT: AidGuess("CV-05", "labour_relation", "civil", "labour_arbitration", "not_started",
                                    "劳动争议"),
    Topic.WORK_INJURY: AidGuess("CV-07", "work_injury", "civil", "labour_arbitration", "not_started",
                                "工伤赔偿"),
    Topic.SOCIAL_INSURANCE: AidGuess("CV-02", "", "administrative", "non_litigation", "not_started",
                                     "社会保险待遇"),
    Topic.TRAFFIC: AidGuess("CV-07", "traffic", "civil", "civil_litigation", "not_started",
                            "机动车交通事故责任纠纷"),
    Topic.MEDICAL: AidGuess("CV-07", "medical", "civil", "civil_litigation", "not_started", "医疗损害责任纠纷"),
    Topic.SUPPORT: AidGuess("CV-04", "", "civil", "civil_litigation", "not_started", "赡养费纠纷"),
    Topic.DOMESTIC_VIOLENCE: AidGuess("NM-04", "", "civil", "civil_litigation", "not_started",
                                      "家庭暴力受害人主张相关权利"),
    Topic.CRIMINAL: AidGuess("CR-A-DEF", "", "criminal", "criminal_defence", "investigation", ""),
}
DEFAULT_GUESS = AidGuess("CV-OTHER", "", "civil", "civil_litigation", "not_started", "")


def legal_aid_prefill(*, topic: str, caller_name: str, caller_phone: str, question: str) -> dict:
    """The intake form's initial values for a referral from a call."""
    guess = TOPIC_TO_AID.get(topic, DEFAULT_GUESS)
    return {
        "applicant_name": caller_name,
        "applicant_phone": caller_phone,
        "matter": guess.matter,
        "matter_subtype": guess.subtype,
        "category": guess.category,
        "aid_form": guess.aid_form,
        "stage": guess.stage,
        "cause": guess.cause,
        "facts": question,
    }

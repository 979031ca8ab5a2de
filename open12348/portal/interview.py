"""The guided legal aid application: which question comes next, as data, with no database.

The interview is an ordered table of questions (`QUESTIONS`). Each has a condition on the answers
so far (`ask_if`) and, for choices, options that may depend on them. The next question is the first
one whose condition holds and that has no answer yet; when there is none, the applicant reviews and
submits. Conditions only read answers to questions earlier in the table, so a path never loops, and
changing an earlier answer drops every later answer that no longer belongs (`prune`).

The eligibility engine (`legalaid.eligibility`, also pure) decides what matters: the income
questions are asked only when the pre-check says the economic test applies (not when the matter is
out of scope, when hardship is presumed or no economic condition exists, or when a lawyer is
already hired), and the materials suggested follow from the rules it applied.

    ctx = InterviewContext(rulebook=rules_store.rulebook(), on=today, regions=(("410403", "卫东区"),))
    question = next_question(answers, ctx)          # None: time to review
    answers = record(answers, question.key, value, ctx)
    decision = precheck(answers, ctx)               # RULES.md §12's answer, or None while unknown
    explain(decision)                               # the same answer in plain words
    submission(answers, ctx, phone="138…")         # keyword arguments for application_create
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from open12348.core.idnumber import parse_id_number
from open12348.legalaid.eligibility import (
    MATTER_INFO,
    Applicant,
    EligibilityInputError,
    Facts,
    Household,
    RuleBook,
    evaluate,
)
from open12348.legalaid.eligibility.codes import ELDERLY_AGE
from open12348.legalaid.eligibility.facts import age_on

REVIEW = "review"

# Answer kinds; forms_apply.py turns each into a form field.
CHOICE, MULTI, YESNO, CONFIRM, TEXT, TEXTAREA, ID_NUMBER, PHONE, MONEY, COUNT, REGION, UPLOAD = (
    "choice", "multi", "yesno", "confirm", "text", "textarea", "id_number", "phone", "money", "count", "region",
    "upload")


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: Any
    help: Any = ""


@dataclass(frozen=True, slots=True)
class InterviewContext:
    """What the interview needs from outside: the rules in force, today, and the regions to choose from."""

    rulebook: RuleBook
    on: date
    regions: tuple[tuple[str, str], ...] = ()  # (county code, name), each with a legal aid centre
    townships: tuple[tuple[str, str, str], ...] = ()  # (county code, township code, name)


@dataclass(frozen=True, slots=True)
class Problem:
    """One plain-words choice of what the problem is, and the matter code the rules know it by."""

    value: str
    label: Any
    matter: str
    subtype: str = ""


# --- the plain-words catalogue of problems, by topic --------------------------------------

TOPICS: tuple[Option, ...] = (
    Option("work", _("Work and pay"), _("Unpaid wages, no contract, injured at work")),
    Option("injury", _("An injury or damage"), _("A traffic accident, a medical accident, unsafe food or medicine, "
                                                  "pollution")),
    Option("family", _("Family"), _("Support payments, violence or abuse at home, a relative who cannot look after "
                                     "their own affairs")),
    Option("government", _("Government, social security, pensions"), _("Social insurance, subsistence allowance, "
                                                                        "pensions, compensation from the state")),
    Option("crime", _("A criminal case"), _("You are accused of a crime, or you are the victim of one")),
    Option("other", _("Something else"), _("An act of bravery, a hero's or martyr's family, a retrial, other disputes")),
)

PROBLEMS: dict[str, tuple[Problem, ...]] = {
    "work": (
        Problem("wages", _("My employer has not paid my wages"), "CV-05", "wages"),
        Problem("labour_relation", _("I need to prove that I worked for an employer"), "CV-05", "labour_relation"),
        Problem("work_injury", _("I was injured at work"), "CV-07", "work_injury"),
    ),
    "injury": (
        Problem("traffic", _("I was hurt in a traffic accident"), "CV-07", "traffic"),
        Problem("medical", _("I was harmed by medical treatment"), "CV-07", "medical"),
        Problem("food_drug", _("I was harmed by unsafe food or medicine"), "CV-07", "food_drug"),
        Problem("work_injury", _("I was injured at work"), "CV-07", "work_injury"),
        Problem("pollution", _("Pollution or environmental damage harmed me"), "CV-08"),
    ),
    "family": (
        Problem("support", _("Someone must pay support for a parent, a child or a spouse"), "CV-04"),
        Problem("violence", _("I suffer violence, abuse or abandonment at home"), "NM-04"),
        Problem("capacity", _("A relative cannot manage their own affairs and a court must say so"), "CV-06"),
    ),
    "government": (
        Problem("social_benefits", _("I am refused social insurance or social assistance"), "CV-02"),
        Problem("pension", _("I am refused a survivor's or disability pension"), "CV-03"),
        Problem("state_compensation", _("A government body harmed me and I claim state compensation"), "CV-01"),
        Problem("acquitted", _("I was acquitted on retrial and claim state compensation"), "NM-03"),
    ),
    "crime": (
        Problem("defendant", _("I (or my relative) am suspected or accused of a crime"), "CR-A-DEF"),
        Problem("victim", _("I am the victim of a crime"), "CR-A-VICTIM"),
    ),
    "other": (
        Problem("bravery", _("I was harmed while bravely helping others"), "NM-02"),
        Problem("martyr", _("I protect the honour of a hero or martyr in my family"), "NM-01"),
        Problem("retrial", _("I want a final judgment reviewed (petition or retrial)"), "PET-RETRIAL"),
        Problem("other", _("Another dispute, such as a contract or a loan"), "CV-OTHER"),
    ),
}
PROBLEM_BY_VALUE: dict[str, Problem] = {p.value: p for group in PROBLEMS.values() for p in group}
assert all(p.matter in MATTER_INFO for p in PROBLEM_BY_VALUE.values())  # noqa: S101  (tables kept in step)

# Matters whose claim is an amount of money, and those where several workers often claim together.
MONEY_MATTERS = frozenset({"CV-01", "CV-03", "CV-04", "CV-05", "CV-07", "CV-08", "NM-02", "NM-03", "CR-A-VICTIM"})
GROUP_CLAIM_PROBLEMS = frozenset({"wages"})
# Matters with no opposing party to name (the other side is the state prosecuting, or no one).
NO_OPPOSING_PARTY = frozenset({"CR-A-DEF", "CV-06"})

# The relationship as the application records it: the statute's words, as on the printed form.
RELATIONSHIP_TERMS = {"parent": "父母", "child": "子女", "spouse": "配偶", "guardian": "监护人", "relative": "其他近亲属"}
RELATIONSHIPS: tuple[Option, ...] = (
    Option("parent", _("I am their father or mother")),
    Option("child", _("I am their son or daughter")),
    Option("spouse", _("I am their husband or wife")),
    Option("guardian", _("I am their guardian")),
    Option("relative", _("I am another close relative")),
)
assert {o.value for o in RELATIONSHIPS} == set(RELATIONSHIP_TERMS)  # noqa: S101

# Groups the applicant declares (age and sex come from the ID number). Plain words, with the code the
# rules speak. `three_no_elderly` is offered only to people aged 60 or over.
GROUP_OPTIONS: tuple[Option, ...] = (
    Option("migrant_worker", _("I am a migrant worker (I came from the countryside to work in town)")),
    Option("disabled", _("I have a disability")),
    Option("social_assistance", _("I receive subsistence allowance (dibao) or destitute support")),
    Option("no_fixed_income", _("I have no fixed source of income")),
    Option("three_no_elderly", _("I cannot work, have no income and nobody supports me")),
    Option("military", _("I am a serving soldier")),
    Option("military_family", _("I am a soldier's family member")),
    Option("military_benefit", _("I receive military preferential treatment (veteran, martyr's family)")),
    Option("judicial_assistance", _("I receive judicial assistance from a court or procuratorate")),
    Option("laid_off", _("I have been laid off")),
)

_CRIMINAL_STAGES = (
    Option("investigation", _("The police are investigating")),
    Option("prosecution_review", _("The procuratorate is deciding whether to prosecute")),
    Option("first_instance", _("The court is hearing it for the first time")),
    Option("second_instance", _("The case is on appeal")),
)
_NOT_STARTED = Option("not_started", _("Nothing has started yet"))
_FIRST = Option("first_instance", _("A court is hearing it for the first time"))
_SECOND = Option("second_instance", _("The case is on appeal"))
_STAGES: dict[str, tuple[Option, ...]] = {
    "criminal": _CRIMINAL_STAGES,
    "civil": (
        _NOT_STARTED,
        Option("mediation", _("We are in mediation")),
        _FIRST, _SECOND,
        Option("execution", _("I won, but the judgment is not being carried out")),
    ),
    "labour": (
        _NOT_STARTED,
        Option("mediation", _("We are in mediation")),
        Option("arbitration", _("A labour arbitration commission is handling it")),
        _FIRST, _SECOND,
        Option("execution", _("I won, but the award or judgment is not being carried out")),
    ),
    "administrative": (
        _NOT_STARTED,
        Option("administrative", _("A government office is handling it")),
        Option("reconsideration", _("I asked for administrative reconsideration")),
        _FIRST, _SECOND,
    ),
}
LABOUR_PROBLEMS = frozenset({"wages", "labour_relation", "work_injury"})


# --- reading answers -----------------------------------------------------------------------

def problem_of(answers: Mapping[str, Any]) -> Problem | None:
    return PROBLEM_BY_VALUE.get(answers.get("problem") or "")


def category_of(answers: Mapping[str, Any]) -> str:
    problem = problem_of(answers)
    return MATTER_INFO[problem.matter].category if problem else ""


def age_of(answers: Mapping[str, Any], on: date) -> int | None:
    try:
        return age_on(parse_id_number(answers.get("applicant_id_number") or "").birth_date, on)
    except ValueError:
        return None


def _answered(answers: Mapping[str, Any], key: str) -> bool:
    return key in answers


def precheck(answers: Mapping[str, Any], ctx: InterviewContext, *, with_household: bool = True) -> dict | None:
    """The engine's answer (RULES.md §12) on the answers so far, or None until matter and region are known."""
    problem = problem_of(answers)
    region = answers.get("region") or ""
    if problem is None or not region:
        return None
    household = None
    members, income = answers.get("household_members"), answers.get("monthly_income")
    try:
        if with_household and members not in (None, "") and income not in (None, ""):
            household = Household(members=int(members), monthly_income=Decimal(str(income)))
        declared = frozenset(answers.get("groups") or ())
        if (age_of(answers, ctx.on) or 0) < ELDERLY_AGE:
            declared -= {"three_no_elderly"}  # left over from an earlier ID number: the option is not offered
        facts = Facts(
            matter=problem.matter, subtype=problem.subtype or None, region_code=region, on=ctx.on,
            applicant=Applicant(id_number=answers.get("applicant_id_number") or None, groups=declared),
            household=household, retrial_ordered=answers.get("retrial_ordered") is True,
            other_counsel=answers.get("other_counsel") is True,
        )
        return evaluate(facts, ctx.rulebook.ruleset(facts.region_code, ctx.on)).to_dict()
    except (EligibilityInputError, InvalidOperation, ValueError, TypeError):
        return None


def needs_income(answers: Mapping[str, Any], ctx: InterviewContext) -> bool:
    """Income could change the answer: the matter is covered, no lawyer is hired, and the economic test
    applies (the engine says neither `not_required` nor `exempt` before any income is known)."""
    decision = precheck(answers, ctx, with_household=False)
    if decision is None:
        return True  # the engine could not judge: ask, and let the centre decide
    return (decision["in_scope"] and answers.get("other_counsel") is not True
            and decision["economic_review"] not in ("not_required", "exempt"))


# --- the questions -------------------------------------------------------------------------

Condition = Callable[[Mapping[str, Any], InterviewContext], bool]
Options = Callable[[Mapping[str, Any], InterviewContext], tuple[Option, ...]]


def _always(answers, ctx) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    kind: str
    text: Any
    help: Any = ""
    required: bool = True
    ask_if: Condition = _always
    options: Options | None = None
    section: str = ""  # the review page groups answers by section

    def choices(self, answers: Mapping[str, Any], ctx: InterviewContext) -> tuple[Option, ...]:
        return self.options(answers, ctx) if self.options else ()


def _regions(answers, ctx) -> tuple[Option, ...]:
    return tuple(Option(code, name) for code, name in ctx.regions)


def _townships(answers, ctx) -> tuple[Option, ...]:
    county = answers.get("region")
    return tuple(Option(code, name) for parent, code, name in ctx.townships if parent == county)


def _has_townships(answers, ctx) -> bool:
    return bool(_townships(answers, ctx))


def _problems(answers, ctx) -> tuple[Option, ...]:
    return tuple(Option(p.value, p.label) for p in PROBLEMS.get(answers.get("topic") or "", ()))


def _groups(answers, ctx) -> tuple[Option, ...]:
    elderly = (age_of(answers, ctx.on) or 0) >= ELDERLY_AGE
    return tuple(o for o in GROUP_OPTIONS if o.value != "three_no_elderly" or elderly)


def _stages(answers, ctx) -> tuple[Option, ...]:
    if answers.get("problem") in LABOUR_PROBLEMS:
        return _STAGES["labour"]
    return _STAGES.get(category_of(answers), ())


def _options(values: tuple[Option, ...]) -> Options:
    return lambda answers, ctx: values


YES_NO = (Option("yes", _("Yes")), Option("no", _("No")))


def _for_other(answers, ctx) -> bool:
    return answers.get("for_whom") == "other"


def _is_retrial(answers, ctx) -> bool:
    problem = problem_of(answers)
    return problem is not None and problem.matter == "PET-RETRIAL"


def _has_stage(answers, ctx) -> bool:
    return not _is_retrial(answers, ctx)


def _stage_started(answers, ctx) -> bool:
    return _has_stage(answers, ctx) and answers.get("stage") not in (None, "", "not_started")


def _criminal(answers, ctx) -> bool:
    return category_of(answers) == "criminal"


def _has_opposing_party(answers, ctx) -> bool:
    problem = problem_of(answers)
    return problem is not None and problem.matter not in NO_OPPOSING_PARTY


def _money(answers, ctx) -> bool:
    problem = problem_of(answers)
    return problem is not None and problem.matter in MONEY_MATTERS


def _group_claim(answers, ctx) -> bool:
    return answers.get("problem") in GROUP_CLAIM_PROBLEMS


QUESTIONS: tuple[Question, ...] = (
    Question("region", REGION, _("Which county or district do you live in, or where did the matter happen?"),
             _("Your application goes to the legal aid centre there."), options=_regions, section="matter"),
    Question("for_whom", CHOICE, _("Who needs legal aid?"), options=_options((
        Option("self", _("I do")),
        Option("other", _("A family member or someone in my care"),
               _("For example a child, or an adult who cannot apply alone")),
    )), section="applicant"),
    Question("agent_relationship", CHOICE, _("How are you related to the person who needs legal aid?"),
             ask_if=_for_other, options=_options(RELATIONSHIPS), section="agent"),
    Question("agent_name", TEXT, _("What is your own full name?"), ask_if=_for_other, section="agent"),
    Question("agent_id_number", ID_NUMBER, _("What is your own ID card number?"),
             _("The 18 characters on your resident identity card."), ask_if=_for_other, section="agent"),
    Question("topic", CHOICE, _("What is the problem about?"), options=_options(TOPICS), section="matter"),
    Question("problem", CHOICE, _("Which of these is closest to the problem?"), options=_problems,
             section="matter"),
    Question("retrial_ordered", YESNO,
             _("Has a court decided to retry the case, or has the procuratorate protested the judgment?"),
             _("Legal aid for a petition or retrial is available once this has happened."),
             ask_if=_is_retrial, options=_options(YES_NO), section="matter"),
    Question("other_counsel", YESNO, _("Has a lawyer or another representative already been hired for this matter?"),
             options=_options(YES_NO), section="matter"),
    Question("applicant_name", TEXT, _("What is the full name of the person who needs legal aid?"),
             section="applicant"),
    Question("applicant_id_number", ID_NUMBER, _("What is their ID card number?"),
             _("The 18 characters on the resident identity card. We work out the age from it."),
             section="applicant"),
    Question("applicant_phone", PHONE, _("What is their mobile phone number?"),
             _("Leave it empty if they have none: we will contact you."), required=False, ask_if=_for_other,
             section="applicant"),
    Question("groups", MULTI, _("Do any of these describe the person who needs legal aid?"),
             _("Tick all that apply, or none. Some of them mean that you do not need to prove financial "
               "hardship."), required=False, options=_groups, section="applicant"),
    Question("household_members", COUNT, _("How many people live in the household, including the applicant?"),
             _("Count the people who live together and share their income."), ask_if=needs_income,
             section="income"),
    Question("monthly_income", MONEY, _("What is the household's total income in a month, in yuan?"),
             _("Add up wages, pensions, allowances and other income of everyone in the household. Write 0 if "
               "there is none."), ask_if=needs_income, section="income"),
    Question("integrity_commitment", CONFIRM,
             _("I promise that what I said about the household's income is true and complete."),
             _("The legal aid centre relies on this promise instead of asking for income certificates. Giving "
               "false information can end the legal aid and you would have to pay its cost."),
             ask_if=needs_income, section="income"),
    Question("stage", CHOICE, _("Where is the matter now?"), ask_if=_has_stage, options=_stages, section="matter"),
    Question("handling_organ", TEXT, _("Which court, police station, procuratorate or office is handling it?"),
             required=False, ask_if=_stage_started, section="matter"),
    Question("cause", TEXT, _("What is the person accused of, or what crime was committed?"),
             _("For example theft or assault. Leave it empty if you do not know."), required=False,
             ask_if=_criminal, section="matter"),
    Question("opposing_party", TEXT, _("Who is the other side?"),
             _("The name of the person, company or office you have the dispute with."), required=False,
             ask_if=_has_opposing_party, section="matter"),
    Question("amount_claimed", MONEY, _("How much money is claimed, in yuan?"),
             _("An estimate is fine. Leave it empty if you do not know."), required=False, ask_if=_money,
             section="matter"),
    Question("people_count", COUNT, _("How many people claim together, counting the applicant?"),
             _("Workers of one employer can apply together."), required=False, ask_if=_group_claim,
             section="matter"),
    Question("facts", TEXTAREA, _("In a few sentences, what happened?"),
             _("When and where it happened, who was involved, and what you want."), section="matter"),
    Question("township", CHOICE, _("Which township or street does the person who needs legal aid live in?"),
             _("Leave it empty if they live elsewhere. It helps the centre see where help is needed."),
             required=False, ask_if=_has_townships, options=_townships, section="applicant"),
    Question("address", TEXT, _("What address can letters be sent to?"), section="applicant"),
    Question("materials", UPLOAD, _("Add photos or scans of your papers"),
             _("You can take a photo with your phone. You can also bring the papers later."), required=False,
             section="materials"),
)
QUESTION_BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}
ORDER: dict[str, int] = {q.key: i for i, q in enumerate(QUESTIONS)}


# --- walking the interview -----------------------------------------------------------------

def _valid(question: Question, value: Any, answers: Mapping[str, Any], ctx: InterviewContext) -> bool:
    """Whether a stored answer still fits the question as it is asked now (its options may have changed)."""
    if question.kind in (CHOICE, REGION):
        return (value in ("", None) and not question.required) or value in {
            o.value for o in question.choices(answers, ctx)}
    if question.kind == MULTI:
        allowed = {o.value for o in question.choices(answers, ctx)}
        return isinstance(value, list) and set(value) <= allowed
    if question.kind in (YESNO, CONFIRM):
        return isinstance(value, bool) and (value or question.kind == YESNO)
    return True


def prune(answers: Mapping[str, Any], ctx: InterviewContext) -> dict[str, Any]:
    """The answers that still belong: those to questions asked on the current path, still valid.

    Keys that are not questions (the interview's own notes, such as uploaded materials) are kept.
    """
    kept: dict[str, Any] = {k: v for k, v in answers.items() if k not in QUESTION_BY_KEY}
    for question in QUESTIONS:
        if question.key not in answers or not question.ask_if(kept, ctx):
            continue
        if _valid(question, answers[question.key], kept, ctx):
            kept[question.key] = answers[question.key]
    return kept


def path(answers: Mapping[str, Any], ctx: InterviewContext) -> list[Question]:
    """The questions asked for these answers, in order, up to the first one still unanswered."""
    answers = prune(answers, ctx)
    asked = []
    for question in QUESTIONS:
        if not question.ask_if(answers, ctx):
            continue
        asked.append(question)
        if not _answered(answers, question.key):
            break
    return asked


def next_question(answers: Mapping[str, Any], ctx: InterviewContext) -> Question | None:
    """The next question to ask, or None when everything is answered and the review comes."""
    asked = path(answers, ctx)
    pruned = prune(answers, ctx)
    if asked and not _answered(pruned, asked[-1].key):
        return asked[-1]
    return None


def is_current_or_earlier(key: str, answers: Mapping[str, Any], ctx: InterviewContext) -> bool:
    """May the applicant open this question now (to answer it, or to go back and change it)?"""
    return key in {q.key for q in path(answers, ctx)}


def previous_key(key: str, answers: Mapping[str, Any], ctx: InterviewContext) -> str | None:
    """The question before `key` on the path (REVIEW's previous is the last question)."""
    keys = [q.key for q in path(answers, ctx)]
    if key == REVIEW:
        return keys[-1] if keys else None
    index = keys.index(key) if key in keys else 0
    return keys[index - 1] if index > 0 else None


def record(answers: Mapping[str, Any], key: str, value: Any, ctx: InterviewContext) -> dict[str, Any]:
    """Store an answer and drop the later answers it made irrelevant."""
    if key not in QUESTION_BY_KEY:
        raise KeyError(key)
    return prune({**answers, key: value}, ctx)


def progress(answers: Mapping[str, Any], ctx: InterviewContext) -> tuple[int, int]:
    """(questions answered, questions on the path so far plus those that may still come): for a progress bar."""
    answers = prune(answers, ctx)
    done = sum(1 for q in QUESTIONS if q.key in answers)
    remaining = sum(1 for q in QUESTIONS if q.key not in answers and q.ask_if(answers, ctx))
    return done, done + remaining


# --- the pre-check in plain words ----------------------------------------------------------

def _render(message, params: dict) -> str:
    return str(message) % params


_fmt = lazy(_render, str)


@dataclass(frozen=True, slots=True)
class Explanation:
    headline: Any
    tone: str  # "good", "warn" or "bad": how the page colours the headline
    reasons: tuple[Any, ...] = field(default=())


def _cited(decision: Mapping[str, Any], effects: set[str]) -> list[str]:
    return [f"{rule['title']}（{rule['source']}）" if rule.get("source") else rule["title"]
            for rule in decision.get("rules", ()) if effects & set(rule.get("effects", ()))]


def explain(decision: Mapping[str, Any] | None, answers: Mapping[str, Any] | None = None) -> Explanation:
    """The pre-check told as an elderly applicant would want to hear it, each point with its reason."""
    if decision is None:
        return Explanation(_("We cannot tell yet whether legal aid covers this. The legal aid centre will "
                             "check and decide."), "warn")
    if not decision["in_scope"]:
        return Explanation(
            _("Legal aid usually does not cover this kind of matter. You can still apply: the legal aid centre "
              "will decide and tell you in writing."), "bad",
            (_fmt(_("The law names the matters legal aid covers, and this one is not among them for you: %(rules)s."),
                  {"rules": "；".join(_cited(decision, {"out_of_scope"}))}),),
        )
    reasons: list[Any] = []
    counsel = _cited(decision, {"ineligible"})
    if counsel:
        reasons.append(_fmt(_("You said a lawyer or representative is already hired. Legal aid is for people "
                              "who have none (%(rules)s)."), {"rules": "；".join(counsel)}))
    review = decision["economic_review"]
    if review == "not_required":
        reasons.append(_fmt(_("You do not need to prove financial hardship, because no financial condition "
                              "applies to this matter: %(rules)s."),
                            {"rules": "；".join(_cited(decision, {"not_required"}))}))
    elif review == "exempt":
        reasons.append(_fmt(_("You do not need to prove financial hardship, because %(rules)s. Bring papers "
                              "that show this, for example a certificate or card."),
                            {"rules": "；".join(_cited(decision, {"exempt"}))}))
    elif review in ("passed", "failed"):
        threshold = decision.get("threshold") or {}
        per_person = _per_person(answers or {})
        params = {"income": per_person or "?", "standard": threshold.get("amount", "?")}
        reasons.append(_fmt(
            _("The household's income is %(income)s yuan a month per person; the local standard is %(standard)s "
              "yuan. You meet the financial condition.") if review == "passed" else
            _("The household's income is %(income)s yuan a month per person, above the local standard of "
              "%(standard)s yuan. The centre may still grant legal aid if there are special reasons: explain "
              "them in what happened."), params))
    else:
        reasons.append(_("The household's income is needed to check the financial condition. The centre will "
                         "ask you for it."))
    if decision.get("priority"):
        reasons.append(_fmt(_("Your application is handled first through the green channel: %(rules)s."),
                            {"rules": "；".join(_cited(decision, {"priority"}))}))
    eligible = decision.get("eligible")
    if eligible is True:
        return Explanation(_("Legal aid is likely to be granted. The legal aid centre makes the decision within "
                             "7 days."), "good", tuple(reasons))
    if eligible is False:
        return Explanation(_("Legal aid may be refused. You can still apply: the legal aid centre will decide and "
                             "tell you why in writing."), "bad", tuple(reasons))
    return Explanation(_("The legal aid centre needs more information to decide."), "warn", tuple(reasons))


def _per_person(answers: Mapping[str, Any]) -> str:
    try:
        members, income = int(answers["household_members"]), Decimal(str(answers["monthly_income"]))
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return ""
    if members < 1:
        return ""
    return str((income / members).quantize(Decimal("0.01")))


# --- what to bring, and what to submit -----------------------------------------------------

def suggested_materials(answers: Mapping[str, Any], decision: Mapping[str, Any] | None) -> list[str]:
    """The kinds of material (legalaid MaterialKind codes) this application needs, in the order to ask."""
    kinds = ["id_copy"]
    if answers.get("for_whom") == "other":
        kinds.append("agent_proof")
    if decision and decision.get("economic_review") == "exempt":
        kinds.append("status_proof")
    if decision and decision.get("economic_review") in ("passed", "failed", "unknown") and decision.get("in_scope"):
        kinds.append("economic_statement")
    kinds.append("evidence")
    return kinds


def aid_form_for(matter: str, stage: str, *, labour: bool) -> str:
    """The form of legal aid (Art. 22) an applicant in this situation asks for; the reviewer may correct it."""
    if matter == "CR-A-DEF":
        return "criminal_defence"
    if matter == "CR-A-VICTIM":
        return "criminal_representation"
    if matter in ("CV-01", "NM-03"):
        return "state_compensation"
    category = MATTER_INFO[matter].category
    if category == "administrative":
        return "non_litigation" if stage in ("", "not_started", "administrative", "reconsideration") \
            else "administrative_litigation"
    if labour and stage in ("", "not_started", "mediation", "arbitration"):
        return "labour_arbitration"
    if stage == "mediation":
        return "non_litigation"
    return "civil_litigation"


def submission(answers: Mapping[str, Any], ctx: InterviewContext, *, phone: str) -> dict[str, Any]:
    """The keyword arguments `legalaid.services.application_create` takes for these answers (all but the
    centre, channel, actor and idempotency key). `phone` is the verified phone of whoever applies."""
    answers = prune(answers, ctx)
    problem = problem_of(answers)
    if problem is None or next_question(answers, ctx) is not None:
        raise ValueError("the interview is not finished")
    for_other = answers.get("for_whom") == "other"
    stage = "retrial" if problem.matter == "PET-RETRIAL" else answers.get("stage", "")
    groups = sorted(set(answers.get("groups") or ()))
    applicant = {
        "name": answers["applicant_name"].strip(),
        "id_number": answers["applicant_id_number"],
        "phone": (answers.get("applicant_phone") or "") if for_other else phone,
        "address": answers["address"].strip(),
        "groups": groups,
    }
    details = {
        "matter": problem.matter, "matter_subtype": problem.subtype,
        "category": MATTER_INFO[problem.matter].category,
        "aid_form": aid_form_for(problem.matter, stage, labour=problem.value in LABOUR_PROBLEMS),
        "stage": stage, "cause": (answers.get("cause") or "").strip(),
        "opposing_party": (answers.get("opposing_party") or "").strip(),
        "handling_organ": (answers.get("handling_organ") or "").strip(),
        "facts": answers["facts"].strip(), "amount_claimed": answers.get("amount_claimed") or None,
        "people_count": int(answers.get("people_count") or 1),
        "retrial_ordered": answers.get("retrial_ordered") is True,
        "other_counsel": answers.get("other_counsel") is True,
    }
    result: dict[str, Any] = {"applicant": applicant, "details": details, "household": None,
                              "integrity_commitment": False, "agent": None, "agent_relationship": ""}
    if "household_members" in answers:
        result["household"] = {"members": int(answers["household_members"]),
                               "monthly_income": str(answers["monthly_income"])}
        result["integrity_commitment"] = answers.get("integrity_commitment") is True
    if for_other:
        result["agent"] = {"name": answers["agent_name"].strip(), "id_number": answers["agent_id_number"],
                           "phone": phone}
        result["agent_relationship"] = RELATIONSHIP_TERMS[answers["agent_relationship"]]
    if answers.get("township"):
        result["residence"] = answers["township"]  # a division code: the caller turns it into the Region
    return result

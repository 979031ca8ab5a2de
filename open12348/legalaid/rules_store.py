"""The eligibility rules as stored data, and the one place the application side calls the engine.

Rule layers and income standards are rows an administrator edits (a change is a new version);
the engine itself (`eligibility/`) is pure and never touches the database. While the tables are
empty (a fresh database before its data migration, or a flushed test database) the defaults of
`eligibility/defaults.py` apply.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from django.db.models import Count, Max

from .eligibility import Applicant, EligibilityDecision, Facts, Household, RuleBook, RuleSet, evaluate
from .eligibility.defaults import DEFAULT_LAYERS, DEFAULT_THRESHOLDS
from .models import Application, IncomeThreshold, Person, RuleLayer

_lock = threading.Lock()
_book: dict = {"stamp": None, "book": None}


def _stamp() -> tuple:
    layers = RuleLayer.objects.aggregate(n=Count("id"), last=Max("id"))
    thresholds = IncomeThreshold.objects.aggregate(n=Count("id"), last=Max("id"))
    return (layers["n"], layers["last"], thresholds["n"], thresholds["last"])


def _load() -> RuleBook:
    layers = list(RuleLayer.objects.filter(is_current=True).order_by("id").values_list("data", flat=True))
    thresholds = [
        {"region_code": t.region_code, "monthly_amount": str(t.monthly_amount),
         "effective_from": t.effective_from.isoformat(),
         "effective_to": t.effective_to.isoformat() if t.effective_to else None, "source": t.source}
        for t in IncomeThreshold.objects.order_by("id")
    ]
    return RuleBook(layers or DEFAULT_LAYERS, thresholds or DEFAULT_THRESHOLDS)


def rulebook() -> RuleBook:
    """The stored rules, rebuilt only when a layer or a standard was added (two cheap queries)."""
    stamp = _stamp()
    with _lock:
        if _book["stamp"] != stamp:
            _book["book"], _book["stamp"] = _load(), stamp
        return _book["book"]


def ruleset_for(*, region_code: str, on: dt.date) -> RuleSet:
    return rulebook().ruleset(region_code, on)


def evaluate_facts(facts: Facts) -> EligibilityDecision:
    return evaluate(facts, ruleset_for(region_code=facts.region_code, on=facts.on))


def eligibility_check(*, matter: str, subtype: str, region_code: str, on: dt.date, person: Person,
                      household: dict | None, other_counsel: bool = False, retrial_ordered: bool = False,
                      category: str | None = None) -> dict:
    """Run the engine for an application being registered; the answer is stored with it."""
    # Age and sex groups are derived by the engine; a stored declaration of them is not repeated.
    declared = frozenset(g for g in (person.groups or ()) if g not in ("minor", "elderly", "woman"))
    facts = Facts(
        matter=matter, subtype=subtype or None, region_code=region_code, on=on, category=category,
        applicant=Applicant(birth_date=person.birth_date, sex=person.sex or None, groups=declared),
        household=Household(members=int(household["members"]), monthly_income=Decimal(household["monthly_income"]))
        if household else None,
        retrial_ordered=retrial_ordered, other_counsel=other_counsel,
    )
    decision = evaluate_facts(facts)
    previous = Application.objects.filter(applicant=person).count() if person.pk else 0
    return {"decision": decision.to_dict(), "groups": sorted(decision.groups), "previous_applications": previous}

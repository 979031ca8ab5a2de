"""evaluate(facts, ruleset) → EligibilityDecision: the eligibility answer of RULES.md §12.

The order of reasoning, which is also the order of the rules cited:

1. scope: every rule in force whose `when` holds and whose `then.scope` is true puts the matter
   in scope; none → out of scope, citing the matter's own article;
2. counsel: a lawyer or agent already hired fails the "没有委托…" condition (COUNSEL-HIRED);
3. economic review: a scope rule saying not_required settles it; otherwise every matching
   exemption rule is cited (not_required beats exempt); otherwise the economic test runs against
   the threshold in force (the standard rule in force and ECON-TEST are cited), or is unknown
   (ECON-UNKNOWN / ECON-NO-THRESHOLD);
4. priority and routing, only for a matter in scope with no counsel hired.

A rule whose `when` holds and that had a say in one of these steps is cited once, with every effect
it had. Nothing here reads the database, the settings or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from .codes import ENGINE_RULE_SOURCES, MATTER_INFO, EngineRule, Matter
from .facts import Facts
from .rules import Citation, RuleSet, Threshold, hint_label

NOT_REQUIRED, EXEMPT, PASSED, FAILED, UNKNOWN = "not_required", "exempt", "passed", "failed", "unknown"
# Effects recorded against a cited rule.
IN_SCOPE, OUT_OF_SCOPE, INELIGIBLE, STANDARD, PRIORITY, ROUTING = (
    "in_scope", "out_of_scope", "ineligible", "standard", "priority", "routing")

_OUT_OF_SCOPE = {code: Citation(code, label, MATTER_INFO[code].article) for code, label in Matter.choices}
_COUNSEL = {code: Citation(EngineRule.COUNSEL_HIRED.value, EngineRule.COUNSEL_HIRED.label, info.counsel_article)
            for code, info in MATTER_INFO.items()}


def _engine_citation(rule: EngineRule) -> Citation:
    return Citation(rule.value, rule.label, ENGINE_RULE_SOURCES[rule.value])


_ECON_TEST = _engine_citation(EngineRule.ECON_TEST)
_ECON_UNKNOWN = _engine_citation(EngineRule.ECON_UNKNOWN)
_ECON_NO_THRESHOLD = _engine_citation(EngineRule.ECON_NO_THRESHOLD)


class AppliedRule(NamedTuple):
    citation: Citation
    effects: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.citation.code

    def to_dict(self) -> dict[str, Any]:
        c = self.citation
        return {"code": c.code, "title": str(c.title), "source": c.source, "layer": c.layer,
                "verification": c.verification, "effects": list(self.effects)}


@dataclass(frozen=True, slots=True)
class EligibilityDecision:
    in_scope: bool
    economic_review: str
    eligible: bool | None
    priority: bool
    rules: tuple[AppliedRule, ...]
    threshold: Threshold | None
    routing: tuple[tuple[str, str], ...]  # (hint, rule code)
    ruleset_version: str
    groups: frozenset[str] = frozenset()  # the applicant's groups as evaluated, derived ones included

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(rule.citation.code for rule in self.rules)

    def to_dict(self) -> dict[str, Any]:
        """RULES.md §12's answer, plus routing hints and the rule-set version; JSON-serialisable."""
        t = self.threshold
        return {
            "in_scope": self.in_scope,
            "economic_review": self.economic_review,
            "eligible": self.eligible,
            "priority": self.priority,
            "rules": [rule.to_dict() for rule in self.rules],
            "threshold": None if t is None else {
                "amount": str(t.monthly_amount), "region": t.region_code,
                "effective_from": t.effective_from.isoformat(),
            },
            "routing": [{"hint": hint, "label": str(hint_label(hint)), "rule": code} for hint, code in self.routing],
            "ruleset_version": self.ruleset_version,
        }


def evaluate(facts: Facts, ruleset: RuleSet) -> EligibilityDecision:
    if facts.region_code != ruleset.region_code or facts.on != ruleset.on:
        raise ValueError(
            f"rule set built for {ruleset.region_code} on {ruleset.on}, facts are for {facts.region_code} on {facts.on}")
    groups, subtype, circumstances = facts.groups, facts.subtype, facts.circumstances
    matched = []
    for clause, subtypes in ruleset.candidates[(facts.matter, facts.category)]:
        if subtypes is not None and subtype not in subtypes:
            continue
        if clause.groups_any and clause.groups_any.isdisjoint(groups):
            continue
        if clause.groups_all and not clause.groups_all <= groups:
            continue
        if clause.circumstances_all and not clause.circumstances_all <= circumstances:
            continue
        matched.append(clause)

    cited: dict[str, list] = {}  # code → [citation, effect, effect, …], in first-cited order

    def cite(citation: Citation, effect: str) -> None:
        entry = cited.get(citation.code)
        if entry is None:
            cited[citation.code] = [citation, effect]
        elif effect not in entry:
            entry.append(effect)

    in_scope = False
    not_required = False
    for clause in matched:
        if clause.scope:
            in_scope = True
            cite(clause.citation, IN_SCOPE)
            if clause.economic == NOT_REQUIRED:
                not_required = True
                cite(clause.citation, NOT_REQUIRED)
    if not in_scope:
        # No economic condition is examined for a matter legal aid does not cover.
        return EligibilityDecision(False, NOT_REQUIRED, False, False,
                                   (AppliedRule(_OUT_OF_SCOPE[facts.matter], (OUT_OF_SCOPE,)),),
                                   None, (), ruleset.version, groups)
    if facts.other_counsel:
        cite(_COUNSEL[facts.matter], INELIGIBLE)

    threshold = None
    if not_required:
        review = NOT_REQUIRED
    else:
        review = None
        for clause in matched:
            if not clause.scope and clause.economic is not None:
                cite(clause.citation, clause.economic)
                if clause.economic == NOT_REQUIRED:
                    review = NOT_REQUIRED
                elif review is None:
                    review = EXEMPT
        if review is None:
            review = _economic_test(facts, ruleset, matched, cite)
            threshold = ruleset.threshold

    priority = False
    routing: list[tuple[str, str]] = []
    if not facts.other_counsel:
        for clause in matched:
            if clause.priority:
                priority = True
                cite(clause.citation, PRIORITY)
            if clause.routing:
                cite(clause.citation, ROUTING)
                for hint in clause.routing:
                    routing.append((hint, clause.code))

    if facts.other_counsel or review == FAILED:
        eligible = False
    elif review == UNKNOWN:
        eligible = None
    else:
        eligible = True
    return EligibilityDecision(
        True, review, eligible, priority,
        tuple(AppliedRule(entry[0], tuple(entry[1:])) for entry in cited.values()),
        threshold, tuple(routing), ruleset.version, groups,
    )


def _economic_test(facts: Facts, ruleset: RuleSet, matched: list, cite) -> str:
    standard = None
    for clause in matched:
        if clause.standard:
            standard = clause  # the most specific standard in force wins
    if standard is not None:
        cite(standard.citation, STANDARD)
    threshold, household = ruleset.threshold, facts.household
    review = None
    if threshold is None:
        cite(_ECON_NO_THRESHOLD, UNKNOWN)
        review = UNKNOWN
    if household is None:
        cite(_ECON_UNKNOWN, UNKNOWN)
        review = UNKNOWN
    if review is None:
        # income ÷ members ≤ standard, multiplied out so that no division rounds a boundary case.
        review = PASSED if household.monthly_income <= threshold.monthly_amount * household.members else FAILED
        cite(_ECON_TEST, review)
    return review

"""The legal aid eligibility engine: pure Python, no database, no settings.

    from open12348.legalaid.eligibility import Applicant, Facts, Household, default_rulebook, evaluate

    book = default_rulebook()                      # or RuleBook(stored_layers, stored_thresholds)
    facts = Facts(matter="CV-05", subtype="wages", region_code="410402", on=date(2026, 3, 2),
                  applicant=Applicant(groups=frozenset({"migrant_worker"})))
    decision = evaluate(facts, book.ruleset(facts.region_code, facts.on))
    decision.to_dict()                             # RULES.md §12's answer

See docs/eligibility.md for the reasoning, the layer schema and the reading of each article.
"""

from .codes import (
    MATTER_INFO,
    AidForm,
    CaseCategory,
    Channel,
    Circumstance,
    EconomicReview,
    EngineRule,
    Exemption,
    Group,
    LocalRule,
    Matter,
    RoutingHint,
    Stage,
    Subtype,
    Termination,
)
from .defaults import default_layers, default_rulebook, default_thresholds
from .engine import AppliedRule, EligibilityDecision, evaluate
from .errors import EligibilityInputError, LayerError
from .facts import Applicant, Facts, Household, normalise_region
from .rules import (
    ENGINE_VERSION,
    Citation,
    Layer,
    RuleBook,
    RuleClause,
    RuleSet,
    Source,
    Threshold,
    parse_layer,
    parse_threshold,
)

__all__ = [
    "ENGINE_VERSION",
    "MATTER_INFO",
    "AidForm",
    "Applicant",
    "AppliedRule",
    "CaseCategory",
    "Channel",
    "Citation",
    "Circumstance",
    "EconomicReview",
    "EligibilityDecision",
    "EligibilityInputError",
    "EngineRule",
    "Exemption",
    "Facts",
    "Group",
    "Household",
    "Layer",
    "LayerError",
    "LocalRule",
    "Matter",
    "RoutingHint",
    "RuleBook",
    "RuleClause",
    "RuleSet",
    "Source",
    "Stage",
    "Subtype",
    "Termination",
    "Threshold",
    "default_layers",
    "default_rulebook",
    "default_thresholds",
    "evaluate",
    "normalise_region",
    "parse_layer",
    "parse_threshold",
]

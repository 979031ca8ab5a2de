"""Legal aid models: the application side (intake, review) and the case side (assignment to archive)."""

from .applications import (
    Application,
    ApplicationEvent,
    CentreProfile,
    Document,
    IncomeThreshold,
    Material,
    NumberSequence,
    Objection,
    Person,
    RuleLayer,
    SupplementRequest,
    material_path,
)
from .cases import (
    ArchiveReview,
    Assignment,
    Case,
    CaseEvent,
    ClosingReport,
    DeadlineRule,
    Party,
    ProgressEntry,
    Subsidy,
    SubsidyStandard,
    TerminationRecord,
)

__all__ = [
    "Application", "ApplicationEvent", "ArchiveReview", "Assignment", "Case", "CaseEvent", "CentreProfile",
    "ClosingReport", "DeadlineRule", "Document", "IncomeThreshold", "Material", "NumberSequence", "Objection",
    "Party", "Person", "ProgressEntry", "RuleLayer", "Subsidy", "SubsidyStandard", "SupplementRequest",
    "TerminationRecord", "material_path",
]

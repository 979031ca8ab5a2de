"""A granted or notified application becomes a case: assignment, the lawyer's work, closing, archive, subsidy."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.models import TimelineEvent, TimeStampedModel

from ..choices import (
    ArchiveResult,
    CaseStatus,
    DeadlineKind,
    HowEnded,
    PartySide,
    ProgressKind,
    SubsidyStatus,
)
from ..eligibility.codes import Termination
from .applications import Application


class Party(models.Model):
    """Someone on either side of a matter, for the conflict check before assignment."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=10, choices=PartySide.choices)
    name = models.CharField(_("name"), max_length=200)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    org_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        indexes = [
            models.Index(fields=["name"], name="party_name_idx"),
            models.Index(fields=["id_number_hash"], name="party_id_hash_idx"),
            models.Index(fields=["org_code"], name="party_org_code_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Case(TimeStampedModel):
    application = models.OneToOneField(Application, verbose_name=_("application"), on_delete=models.PROTECT,
                                       related_name="case")
    number = models.CharField(_("number"), max_length=40, unique=True)
    centre = models.ForeignKey("network.Institution", verbose_name=_("legal aid centre"), on_delete=models.PROTECT,
                               related_name="aid_cases")
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="aid_cases")
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.ASSIGNED)
    matter = models.CharField(_("matter"), max_length=24)
    category = models.CharField(_("case category"), max_length=16)
    stage = models.CharField(_("procedural stage"), max_length=24, blank=True)
    priority = models.BooleanField(_("green channel priority"), default=False)

    institution = models.ForeignKey("network.Institution", verbose_name=_("assigned institution"), null=True,
                                    on_delete=models.PROTECT, related_name="assigned_aid_cases")
    lawyer = models.ForeignKey("network.Practitioner", verbose_name=_("assigned lawyer"), null=True,
                               on_delete=models.PROTECT, related_name="aid_cases")
    lawyer_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lawyer's account"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="aid_cases")
    assigned_at = models.DateTimeField(_("assigned at"), null=True)

    agreement_due = models.DateField(_("agreement due"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    last_progress_at = models.DateTimeField(_("last progress entry"), null=True, blank=True)
    ended_on = models.DateField(_("matter ended on"), null=True, blank=True)
    closing_due = models.DateField(_("closing file due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closing file submitted at"), null=True, blank=True)
    subsidy_due = models.DateField(_("subsidy review due"), null=True, blank=True)
    archive_number = models.CharField(_("archive number"), max_length=40, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The deadline that matters in the current status (workflow.CASE_DEADLINE_OF_STATUS), kept by the
    # services on every change so that lists sort on an index instead of computing it per row.
    next_due = models.DateField(_("next deadline"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("legal aid case")
        verbose_name_plural = _("legal aid cases")
        ordering = ["-assigned_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="case_region_status_idx"),
            models.Index(fields=["lawyer_user", "status"], name="case_lawyer_status_idx"),
            models.Index(fields=["centre", "status", "agreement_due"], name="case_centre_agreement_idx"),
            models.Index(fields=["status", "closing_due"], name="case_closing_due_idx"),
            models.Index(fields=["lawyer", "status"], name="case_practitioner_status_idx"),
            # The list's order (green channel first, nearest deadline, newest) within a region,
            # within a status, and over everything.
            models.Index(fields=["region", "-priority", "next_due", "-assigned_at", "-id"], name="case_list_region_idx"),
            models.Index(fields=["status", "-priority", "next_due", "-assigned_at", "-id"], name="case_list_status_idx"),
            models.Index(fields=["-priority", "next_due", "-assigned_at", "-id"], name="case_list_order_idx"),
            # The dashboard's drill-down: the cases of a period (and a region), newest first.
            models.Index(fields=["-assigned_at", "-id"], name="case_assigned_idx"),
            models.Index(fields=["region", "-assigned_at", "-id"], name="case_region_assigned_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(TimelineEvent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Assignment(models.Model):
    """Who handled the case and when; a reassignment (Art. 55) ends one row and starts another."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    institution = models.ForeignKey("network.Institution", on_delete=models.PROTECT, related_name="+")
    lawyer = models.ForeignKey("network.Practitioner", on_delete=models.PROTECT, related_name="aid_assignments")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reasons = models.JSONField(_("why this lawyer"), default=dict, blank=True)
    conflict_override = models.TextField(_("reason for overriding a conflict"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(ended_at__isnull=True),
                                    name="one_current_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.lawyer_id}"


class ProgressEntry(models.Model):
    """即时录入: what the lawyer did, timestamped when entered. Hearings feed the observation calendar."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="progress")
    kind = models.CharField(_("kind of work"), max_length=20, choices=ProgressKind.choices)
    occurred_on = models.DateField(_("date"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    note = EncryptedTextField(_("what was done"), blank=True)
    hearing_at = models.DateTimeField(_("hearing time"), null=True, blank=True)
    court = models.CharField(_("court or tribunal"), max_length=100, blank=True)
    courtroom = models.CharField(_("courtroom"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["occurred_on", "entered_at", "id"]
        indexes = [models.Index(fields=["hearing_at"], name="progress_hearing_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.occurred_on}"


class ClosingReport(models.Model):
    """Art. 50: how the matter ended and what it achieved, with the closing checklist."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closing")
    how_ended = models.CharField(_("how it ended"), max_length=20, choices=HowEnded.choices)
    ended_on = models.DateField(_("ended on"))
    outcome = models.TextField(_("outcome for the aided person"))
    amount_recovered = models.DecimalField(_("economic loss recovered (yuan)"), max_digits=14, decimal_places=2,
                                           default=0)
    amount_awarded = models.DecimalField(_("amount awarded (yuan)"), max_digits=14, decimal_places=2, default=0)
    people_aided = models.PositiveIntegerField(_("people aided"), default=1)
    hearings = models.PositiveSmallIntegerField(_("hearings attended"), default=0)
    checklist = models.JSONField(_("closing checklist"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("closing report")
        verbose_name_plural = _("closing reports")

    def __str__(self) -> str:
        return f"{self.case_id} {self.how_ended}"


class ArchiveReview(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="archive_reviews")
    result = models.CharField(_("result"), max_length=10, choices=ArchiveResult.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    file_rating = models.CharField(_("file rating"), max_length=12, blank=True,
                                   help_text=_("优秀, 良好, 合格 or 不合格; 不合格 reduces or withholds the subsidy."))
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("archive review")
        verbose_name_plural = _("archive reviews")
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.result}"


class TerminationRecord(models.Model):
    """Art. 48: legal aid ends early on one of the grounds, on the lawyer's report."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="terminations")
    ground = models.CharField(_("ground"), max_length=4, choices=Termination.choices)
    report = models.TextField(_("the lawyer's report"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")

    def __str__(self) -> str:
        return f"{self.case_id} {self.ground}"


class SubsidyStandard(models.Model):
    """The lawyer's subsidy per case category (and stage) and region, from a date: data, not code."""

    category = models.CharField(_("case category"), max_length=16)
    stage = models.CharField(_("procedural stage"), max_length=24, blank=True,
                             help_text=_("Empty: every stage of the category."))
    region_code = models.CharField(_("region code"), max_length=12)
    base_amount = models.DecimalField(_("base amount (yuan)"), max_digits=10, decimal_places=2)
    per_extra_hearing = models.DecimalField(_("per hearing after the first (yuan)"), max_digits=10,
                                            decimal_places=2, default=0)
    unqualified_factor = models.DecimalField(_("share paid when the file is rated 不合格"), max_digits=4,
                                             decimal_places=2, default=0)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("subsidy standard")
        verbose_name_plural = _("subsidy standards")
        ordering = ["region_code", "category", "stage", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.category} {self.stage or '*'} {self.base_amount}"


class Subsidy(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="subsidy")
    lawyer = models.ForeignKey("network.Practitioner", on_delete=models.PROTECT, related_name="aid_subsidies")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    computation = models.JSONField(_("how it was computed"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=SubsidyStatus.choices,
                              default=SubsidyStatus.CALCULATED)
    month = models.CharField(_("payment month"), max_length=7, blank=True, help_text="YYYY-MM")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        indexes = [models.Index(fields=["month", "status"], name="subsidy_month_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount}"


class DeadlineRule(models.Model):
    """How many days each case deadline allows, as data an administrator edits."""

    kind = models.CharField(_("deadline"), max_length=16, choices=DeadlineKind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case deadline rule")
        verbose_name_plural = _("case deadline rules")

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"

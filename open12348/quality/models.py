"""Case quality: evaluation schemes (versioned data), evaluation records by the four methods of
Art. 59, the case's grade, random samples, and supervision tickets (跟踪督办)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ContactMode,
    Grade,
    Method,
    NominationOutcome,
    Organ,
    PanelStatus,
    TicketReason,
    TicketStatus,
    Vote,
)
from .schemes import DEFAULT_BANDS


def default_bands() -> list[dict]:
    return [dict(band) for band in DEFAULT_BANDS]


class Scheme(models.Model):
    """One version of an evaluation scheme. A new version never changes an older one: an evaluation
    points at the version it used."""

    code = models.CharField(_("scheme"), max_length=40,
                            help_text=_("criminal_defence, victim_representation, civil, administrative, "
                                        "non_litigation or duty_lawyer"))
    category = models.CharField(_("case category"), max_length=16)
    stage = models.CharField(_("procedural stage"), max_length=24, blank=True,
                             help_text=_("Empty: every stage."))
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current version"), default=True)
    title = models.CharField(_("title"), max_length=200)
    bands = models.JSONField(_("grade bands"), default=default_bands)
    effective_from = models.DateField(_("in force from"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["code", "stage", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "stage", "version"], name="quality_scheme_version_unique"),
            models.UniqueConstraint(fields=["code", "stage"], condition=models.Q(is_current=True),
                                    name="quality_scheme_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.code}{'/' + self.stage if self.stage else ''} v{self.version}"


class SchemeItem(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("item"), max_length=40)
    title = models.CharField(_("title"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"))
    levels = models.JSONField(_("what each level means"), default=dict, blank=True)
    methods = models.JSONField(_("checking methods that score it"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("scheme item")
        verbose_name_plural = _("scheme items")
        ordering = ["scheme", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="quality_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.scheme} {self.code}"


class Sample(models.Model):
    """A random draw of closed cases, reproducible from its recorded seed and parameters."""

    centre_ids = models.JSONField(_("centres"))
    period_start = models.DateField(_("closed from"))
    period_end = models.DateField(_("closed until"))
    rate = models.DecimalField(_("sampling rate"), max_digits=4, decimal_places=3)
    min_per_lawyer = models.PositiveSmallIntegerField(_("minimum per lawyer"), default=0)
    seed = models.BigIntegerField(_("seed"))
    peer_review = models.BooleanField(
        _("peer review"), default=False,
        help_text=_("Each case is reviewed by an evaluator from another county (SF/T 0085)."))
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    cases = models.ManyToManyField("legalaid.Case", through="SampleCase", related_name="quality_samples")

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} #{self.seed}"


class SampleCase(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="entries")
    case = models.ForeignKey("legalaid.Case", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(_("stratum"), max_length=16)
    for_lawyer_minimum = models.BooleanField(_("added for the per-lawyer minimum"), default=False)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("peer reviewer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="quality_peer_reviews")

    class Meta:
        verbose_name = _("sampled case")
        verbose_name_plural = _("sampled cases")
        ordering = ["sample", "case_id"]
        constraints = [models.UniqueConstraint(fields=["sample", "case"], name="quality_sample_case_unique")]

    def __str__(self) -> str:
        return f"{self.sample_id} {self.case_id}"


class Evaluation(models.Model):
    """One check of a case by one of the four methods, against one scheme version."""

    case = models.ForeignKey("legalaid.Case", on_delete=models.PROTECT, related_name="quality_evaluations")
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme version"), on_delete=models.PROTECT,
                               related_name="evaluations")
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    evaluated_on = models.DateField(_("date"))
    item_scores = models.JSONField(_("item scores"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    sample = models.ForeignKey(Sample, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hearing = models.ForeignKey("legalaid.ProgressEntry", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    contact_mode = models.CharField(_("how the aided person was reached"), max_length=8,
                                    choices=ContactMode.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    lawyer_met_client = models.BooleanField(_("the lawyer met the aided person"), null=True, blank=True)
    risks_explained = models.BooleanField(_("the lawyer explained the risks"), null=True, blank=True)
    money_asked = models.BooleanField(_("the lawyer asked for money"), null=True, blank=True)
    organ = models.CharField(_("organ asked"), max_length=16, choices=Organ.choices, blank=True)
    organ_reply = models.TextField(_("the organ's reply"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation record")
        verbose_name_plural = _("evaluation records")
        ordering = ["case", "evaluated_on", "id"]
        indexes = [models.Index(fields=["case", "method"], name="quality_eval_case_method_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.method} {self.score}"


class CaseGrade(models.Model):
    """The case's quality grade, combined from its evaluation records (docs/quality.md)."""

    case = models.OneToOneField("legalaid.Case", on_delete=models.PROTECT, related_name="quality_grade")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices)
    detail = models.JSONField(_("how it was combined"), default=dict)
    graded_at = models.DateTimeField(_("graded at"), default=timezone.now)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("case quality grade")
        verbose_name_plural = _("case quality grades")

    def __str__(self) -> str:
        return f"{self.case_id} {self.grade}"


class Ticket(models.Model):
    """跟踪督办: a problem case followed until it is corrected; closed only with evidence."""

    case = models.ForeignKey("legalaid.Case", on_delete=models.PROTECT, related_name="quality_tickets")
    status = models.CharField(_("status"), max_length=8, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    reason = models.CharField(_("why it was opened"), max_length=40, choices=TicketReason.choices)
    complaint = models.TextField(_("the complaint"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="quality_tickets")
    deadline = models.DateField(_("deadline"))
    correction = models.TextField(_("required correction"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    evidence = models.TextField(_("evidence of the correction"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision ticket")
        verbose_name_plural = _("supervision tickets")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="quality_ticket_due_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "reason"], condition=models.Q(status="open"),
                                    name="quality_one_open_ticket_per_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason} {self.status}"


class ObservationPlan(models.Model):
    """A hearing an evaluator plans to attend (庭审旁听), picked from the hearings lawyers recorded."""

    hearing = models.ForeignKey("legalaid.ProgressEntry", verbose_name=_("hearing"), on_delete=models.PROTECT,
                                related_name="+")
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("observer"), on_delete=models.PROTECT,
                                 related_name="+")
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    planned_at = models.DateTimeField(_("planned at"), default=timezone.now)
    evaluation = models.OneToOneField(Evaluation, verbose_name=_("observation record"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="observation_plan")

    class Meta:
        verbose_name = _("hearing observation plan")
        verbose_name_plural = _("hearing observation plans")
        ordering = ["hearing__hearing_at", "id"]
        constraints = [models.UniqueConstraint(fields=["hearing", "observer"], name="quality_observation_unique")]

    def __str__(self) -> str:
        return f"{self.hearing_id} {self.observer_id}"


class OpinionLetter(models.Model):
    """征询意见函: a letter asking the court, procuratorate or police about the lawyer's work on a case;
    the reply is recorded as an evaluation of method `opinion`."""

    case = models.ForeignKey("legalaid.Case", on_delete=models.PROTECT, related_name="quality_letters")
    number = models.CharField(_("letter number"), max_length=60, unique=True)
    organ = models.CharField(_("organ asked"), max_length=16, choices=Organ.choices)
    organ_name = models.CharField(_("name of the organ"), max_length=200)
    sent_on = models.DateField(_("sent on"))
    reply_due = models.DateField(_("reply requested by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    reply = models.OneToOneField(Evaluation, verbose_name=_("reply recorded"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="letter")

    class Meta:
        verbose_name = _("letter asking for an opinion")
        verbose_name_plural = _("letters asking for an opinion")
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return self.number


class PanelSession(models.Model):
    """A review panel's sitting (评审会): cases are proposed, members vote, the majority names
    exemplary cases (精品案件)."""

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    held_on = models.DateField(_("held on"))
    status = models.CharField(_("status"), max_length=8, choices=PanelStatus.choices, default=PanelStatus.OPEN)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review panel session")
        verbose_name_plural = _("review panel sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    session = models.ForeignKey(PanelSession, on_delete=models.CASCADE, related_name="nominations")
    case = models.ForeignKey("legalaid.Case", on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reason = models.TextField(_("why it is proposed"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=NominationOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("nominated case")
        verbose_name_plural = _("nominated cases")
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "case"], name="quality_nomination_unique")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.case_id}"


class PanelVote(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(_("vote"), max_length=8, choices=Vote.choices)
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("panel vote")
        verbose_name_plural = _("panel votes")
        constraints = [models.UniqueConstraint(fields=["nomination", "member"], name="quality_vote_unique")]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.member_id} {self.vote}"


class ExemplaryCase(models.Model):
    """精品案件, published anonymised in the public library."""

    case = models.OneToOneField("legalaid.Case", on_delete=models.PROTECT, related_name="exemplary")
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="exemplary")
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("case category"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary (anonymised)"))
    significance = models.TextField(_("what makes it exemplary"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("exemplary case")
        verbose_name_plural = _("exemplary cases")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["published_at"], name="quality_exemplary_pub_idx")]

    def __str__(self) -> str:
        return self.title

"""Enterprise legal check-ups (法治体检): campaigns, enterprises, visits with their check-list of
contract problems, the workers who agreed to be named, and each visit's timeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.models import TimelineEvent, TimeStampedModel

from .choices import CheckupSector, CheckupVisitStatus, EnterpriseSize, FollowUpResult, ProblemKind


class Campaign(TimeStampedModel):
    """A check-up campaign: who organises it, where, when, and how many enterprises it means to visit."""

    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    organiser = models.ForeignKey("network.Institution", verbose_name=_("organiser"), on_delete=models.PROTECT,
                                  related_name="checkup_campaigns")
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="checkup_campaigns")
    goal_enterprises = models.PositiveIntegerField(_("enterprises to visit"), default=0)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("check-up campaign")
        verbose_name_plural = _("check-up campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="checkup_campaign_period")]

    def __str__(self) -> str:
        return self.name


class Enterprise(TimeStampedModel):
    """An enterprise, known by its unified social credit code (validated, see credit_code.py)."""

    name = models.CharField(_("enterprise name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    sector = models.CharField(_("sector"), max_length=16, choices=CheckupSector.choices)
    size = models.CharField(_("size"), max_length=8, choices=EnterpriseSize.choices)
    region = models.ForeignKey("network.Region", verbose_name=_("township"), on_delete=models.PROTECT,
                               related_name="checkup_enterprises")
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Visit(TimeStampedModel):
    """One check-up of one enterprise within a campaign. `region` is the enterprise's township at
    the time of the visit: the data scope of the record."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="visits")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="visits")
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="checkup_visits")
    status = models.CharField(_("status"), max_length=12, choices=CheckupVisitStatus.choices,
                              default=CheckupVisitStatus.PLANNED, db_index=True)
    planned_on = models.DateField(_("planned for"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True, db_index=True)
    team_users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("team (staff)"), blank=True,
                                        related_name="checkup_visits")
    team_practitioners = models.ManyToManyField("network.Practitioner", verbose_name=_("team (lawyers and others)"),
                                                blank=True, related_name="checkup_visits")
    workers_interviewed = models.PositiveIntegerField(_("workers interviewed"), default=0)
    opinion = models.TextField(_("legal opinion"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    report_number = models.CharField(_("report number"), max_length=40, blank=True)
    report_issued_on = models.DateField(_("report issued on"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up visit planned for"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up_result = models.CharField(_("follow-up result"), max_length=16, choices=FollowUpResult.choices,
                                        blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("check-up visit")
        verbose_name_plural = _("check-up visits")
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["campaign", "status"], name="checkup_visit_campaign_status")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.planned_on:%Y-%m-%d}"


class Finding(models.Model):
    """One line of the check-list for a visit: found or not, a note, how many workers it affects."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("problem"), max_length=24, choices=ProblemKind.choices)
    found = models.BooleanField(_("problem found"), default=False)
    note = models.TextField(_("note"), blank=True)
    workers_affected = models.PositiveIntegerField(_("workers affected"), default=0)

    class Meta:
        verbose_name = _("check-up finding")
        verbose_name_plural = _("check-up findings")
        ordering = ["visit", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "kind"], name="checkup_finding_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.kind}"


class NamedWorker(TimeStampedModel):
    """A worker interviewed who agreed to be named (and contacted). Without consent nobody is
    recorded by name: they count in `Visit.workers_interviewed` only."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="workers")
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    consent_given = models.BooleanField(_("consent to be named"), default=False)
    consent_note = models.CharField(_("how consent was given"), max_length=200, blank=True)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    problems = models.JSONField(_("problems concerning the worker"), default=list, blank=True)
    claim = EncryptedTextField(_("what the worker is owed or asks for"), blank=True)
    amount_owed = models.DecimalField(_("amount owed (yuan)"), max_digits=12, decimal_places=2, null=True,
                                      blank=True)
    application = models.OneToOneField("legalaid.Application", verbose_name=_("legal aid application"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="checkup_worker")

    class Meta:
        verbose_name = _("named worker")
        verbose_name_plural = _("named workers")
        ordering = ["visit", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(consent_given=True),
                                              name="checkup_worker_consented")]

    def __str__(self) -> str:
        return f"{self.visit_id} worker {self.pk}"


class VisitEvent(TimelineEvent):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="timeline")

    class Meta(TimelineEvent.Meta):
        verbose_name = _("check-up visit event")
        verbose_name_plural = _("check-up visit events")

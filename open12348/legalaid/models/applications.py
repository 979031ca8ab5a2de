"""Legal aid from the first application to the decision (Legal Aid Law 2021, Art. 22–49)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedJSONField, EncryptedTextField
from open12348.core.models import TimelineEvent, TimeStampedModel

from ..choices import (
    AidForm,
    ApplicationStatus,
    CaseCategory,
    Channel,
    Decision,
    Education,
    Health,
    MaterialKind,
    NotifyingOrgan,
    ObjectionKind,
    ObjectionStatus,
    RuleLevel,
    Stage,
    SupplementStatus,
)


class Person(TimeStampedModel):
    """An applicant or an agent. The same person applying again is found by the ID number's keyed hash."""

    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))], blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    home_region_code = models.CharField(_("home region code"), max_length=12, blank=True)
    # A private person's home address: encrypted at rest like the numbers (max_length bounds the forms).
    address = EncryptedTextField(_("address"), max_length=200, blank=True)
    household_registration = models.CharField(_("household registration"), max_length=200, blank=True)
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    health = models.CharField(_("health"), max_length=16, choices=Health.choices, blank=True)
    # Health details (disability kind and grade, illness) are sensitive: encrypted at rest.
    health_details = EncryptedTextField(_("health details"), blank=True)
    groups = models.JSONField(_("groups"), default=list, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~models.Q(id_number_hash=""), name="person_id_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CentreProfile(models.Model):
    """What a legal aid centre sets for itself: its document prefix and its local periods."""

    centre = models.OneToOneField(
        "network.Institution", verbose_name=_("legal aid centre"), on_delete=models.CASCADE, related_name="aid_profile"
    )
    number_prefix = models.CharField(_("document number prefix"), max_length=12, help_text=_("For example 平法援."))
    supplement_days = models.PositiveSmallIntegerField(_("days given to supply missing materials"), default=15)

    class Meta:
        verbose_name = _("legal aid centre profile")
        verbose_name_plural = _("legal aid centre profiles")

    def __str__(self) -> str:
        return self.number_prefix


class NumberSequence(models.Model):
    """The last number a centre issued in a year. Locked row: numbers are unique and never reused."""

    centre = models.ForeignKey("network.Institution", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, default="application")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year", "kind"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.year}/{self.kind}: {self.last}"


class Application(TimeStampedModel):
    number = models.CharField(_("number"), max_length=40, unique=True)
    centre = models.ForeignKey(
        "network.Institution", verbose_name=_("legal aid centre"), on_delete=models.PROTECT, related_name="applications"
    )
    region = models.ForeignKey(
        "network.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="applications",
        help_text=_("The centre's region: who may see the application."),
    )
    residence = models.ForeignKey(
        "network.Region", verbose_name=_("township of residence"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="resident_applications",
        help_text=_("The township or street the applicant lives in, inside the centre's area (for the figures by "
                    "township)."),
    )
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    channel_detail = models.CharField(_("received through"), max_length=200, blank=True,
                                      help_text=_("Workstation, detention facility, or the notifying organ's name."))
    notifying_organ = models.CharField(_("notifying organ"), max_length=20, choices=NotifyingOrgan.choices, blank=True)
    notice_number = models.CharField(_("notice document number"), max_length=60, blank=True)
    facility_received_at = models.DateTimeField(_("received by the facility at"), null=True, blank=True)
    forwarding_due_at = models.DateTimeField(_("forwarding due by"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    applicant = models.ForeignKey(Person, verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="applications")
    agent = models.ForeignKey(Person, verbose_name=_("agent applicant"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="applications_as_agent")
    agent_relationship = models.CharField(_("agent's relationship"), max_length=30, blank=True)
    groups = models.JSONField(_("groups at the time of application"), default=list, blank=True)

    matter = models.CharField(_("matter"), max_length=24)
    matter_subtype = models.CharField(_("matter sub-type"), max_length=24, blank=True)
    category = models.CharField(_("case category"), max_length=16, choices=CaseCategory.choices)
    aid_form = models.CharField(_("form of aid requested"), max_length=32, choices=AidForm.choices)
    stage = models.CharField(_("procedural stage"), max_length=24, choices=Stage.choices, blank=True)
    cause = models.CharField(_("cause of action / charge"), max_length=100, blank=True)
    opposing_party = models.CharField(_("opposing party"), max_length=200, blank=True)
    handling_organ = models.CharField(_("organ handling the case"), max_length=200, blank=True)
    facts = EncryptedTextField(_("facts of the case"), blank=True)
    amount_claimed = models.DecimalField(_("amount claimed (yuan)"), max_digits=14, decimal_places=2, null=True,
                                         blank=True)
    household = EncryptedJSONField(_("household and income"))
    integrity_commitment = models.BooleanField(_("signed a personal integrity commitment"), default=False)
    people_count = models.PositiveIntegerField(_("number of people aided"), default=1)
    # Facts the eligibility engine needs beyond the matter (Legal Aid Law Art. 33 and Art. 41).
    retrial_ordered = models.BooleanField(_("retrial ordered or protest lodged"), default=False)
    other_counsel = models.BooleanField(_("already has a lawyer or agent for this matter"), default=False)

    status = models.CharField(_("status"), max_length=24, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.RECEIVED)
    priority = models.BooleanField(_("green channel priority"), default=False)
    eligibility = models.JSONField(_("eligibility check"), default=dict, blank=True)
    ruleset_version = models.CharField(_("rule set version"), max_length=200, blank=True)

    received_at = models.DateTimeField(_("received at"))
    review_due = models.DateField(_("review due"), null=True, blank=True)
    assignment_due = models.DateField(_("assignment due"), null=True, blank=True)
    supplement_due = models.DateField(_("materials due"), null=True, blank=True)
    calendar_complete = models.BooleanField(_("holiday data complete for the deadline"), default=True)

    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    decision_override = models.BooleanField(_("decision differs from the eligibility check"), default=False)
    override_reason = models.TextField(_("reason for differing"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    advance_aid_reason = models.TextField(_("reason for advance aid"), blank=True)
    limitation_deadline = models.DateField(_("limitation period or procedural deadline"), null=True, blank=True)
    regularised_at = models.DateTimeField(_("advance aid regularised at"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("legal aid application")
        verbose_name_plural = _("legal aid applications")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "status", "review_due"], name="application_queue_idx"),
            models.Index(fields=["region", "status"], name="application_region_status_idx"),
            models.Index(fields=["status", "priority", "received_at"], name="application_priority_idx"),
            # The dashboard's drill-down: the applications of a period (and a region), newest first.
            models.Index(fields=["-received_at", "-id"], name="application_received_idx"),
            models.Index(fields=["region", "-received_at", "-id"], name="application_region_recv_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicationEvent(TimelineEvent):
    """The application's timeline, written by the same service that changed it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


def material_path(instance, filename: str) -> str:
    # The stored name never comes from the user: it is the content's hash.
    return f"legalaid/{instance.application_id}/{instance.sha256[:2]}/{instance.sha256}"


class Material(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind of material"), max_length=24, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "sha256"], name="material_once_per_application"),
        ]

    def __str__(self) -> str:
        return self.original_name


class SupplementRequest(models.Model):
    """一次性告知: one complete list of what is missing. The review clock stops while it is open."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="supplement_requests")
    items = models.JSONField(_("missing materials"), default=list)
    note = models.TextField(_("note"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_on = models.DateField(_("requested on"))
    due = models.DateField(_("materials due"))
    status = models.CharField(_("status"), max_length=12, choices=SupplementStatus.choices,
                              default=SupplementStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("request for materials")
        verbose_name_plural = _("requests for materials")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=models.Q(status="open"),
                                    name="one_open_supplement_request"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.requested_on}"


class Objection(models.Model):
    """An objection to a refusal (or termination) decided by the justice bureau within 5 days (Art. 49)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    kind = models.CharField(_("against"), max_length=12, choices=ObjectionKind.choices, default=ObjectionKind.REFUSAL)
    filed_at = models.DateTimeField(_("filed at"))
    reasons = models.TextField(_("reasons given"))
    due = models.DateField(_("decision due"))
    status = models.CharField(_("status"), max_length=12, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.PENDING)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=models.Q(status="pending"),
                                    name="one_pending_objection"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"


class Document(models.Model):
    """A document issued to someone (decision, notice, receipt): frozen once issued."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to="legalaid/documents/%Y/%m/", max_length=200)
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return self.title


class RuleLayer(models.Model):
    """One dated layer of eligibility rules as data (national law, a province, a city's green channels).

    Versions are never edited: a change is a new row with a higher version, so a decision that
    recorded the version it used can always be explained.
    """

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    level = models.CharField(_("level"), max_length=10, choices=RuleLevel.choices)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    data = models.JSONField(_("rules"))
    is_current = models.BooleanField(_("current version"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("eligibility rule layer")
        verbose_name_plural = _("eligibility rule layers")
        ordering = ["level", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rule_layer_version_unique"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(is_current=True),
                                    name="rule_layer_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class IncomeThreshold(models.Model):
    """The local economic hardship standard: monthly income per household member, per region and date."""

    region_code = models.CharField(_("region code"), max_length=12)
    monthly_amount = models.DecimalField(_("monthly amount per person (yuan)"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.JSONField(_("source"), help_text=_("The document that sets the figure, and how far it is verified."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("economic hardship standard")
        verbose_name_plural = _("economic hardship standards")
        ordering = ["region_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "effective_from"], name="threshold_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.monthly_amount} ({self.effective_from})"

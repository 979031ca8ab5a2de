"""Legal aid API representations: the public pre-check, and the staff API.

Input serializers check types, lengths and vocabularies (a 400 naming the field); the rules of
legal aid are the services' and the engine's. Output serializers never carry a full ID number, a
phone number, an income, the facts of the case or health details: every person is shown masked,
and there is no field through which a view could leak those values by accident.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from open12348.core.calendar import days_remaining
from open12348.core.masking import mask_id_number, mask_phone
from open12348.core.serializers import ApiErrorSerializer
from open12348.network.choices import RegionLevel
from open12348.network.models import Region
from open12348.network.serializers import ChoiceObjectField

from .choices import (
    AidForm,
    ApplicationStatus,
    CaseCategory,
    Channel,
    Decision,
    Education,
    Health,
    MaterialKind,
    NotifyingOrgan,
    ObjectionStatus,
    Stage,
    SupplementStatus,
)
from .eligibility import EconomicReview, Group, Matter
from .models import Application, ApplicationEvent, Document, Material, Objection, Person, SupplementRequest
from .selectors import QUEUES

SEX_CHOICES = [("M", _("Male")), ("F", _("Female"))]


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# --- the public pre-check ---------------------------------------------------------------------
# Documentation of the JSON the engine's `Facts.from_dict` reads; the engine does the checking,
# so that the pre-check and the application side refuse the same facts with the same messages.


class PrecheckApplicantSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        required=False, help_text="18-digit citizen ID number. If given, the birth date and sex are read from it "
        "(GB 11643 check digit verified) and must agree with any declared ones. It is not stored.",
    )
    birth_date = serializers.DateField(required=False, help_text="YYYY-MM-DD. Age groups (minor, elderly) follow.")
    sex = serializers.ChoiceField(choices=SEX_CHOICES, required=False, help_text="M or F.")
    groups = serializers.ListField(
        child=serializers.ChoiceField(choices=Group.choices), required=False,
        help_text="Declared applicant groups (RULES.md §12). minor, elderly and woman are derived when a birth "
        "date, sex or ID number is given.",
    )


class PrecheckHouseholdSerializer(serializers.Serializer):
    members = serializers.IntegerField(min_value=1, help_text="People in the household, the applicant included.")
    monthly_income = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, help_text="The household's total monthly income in yuan.",
    )


class EligibilityCheckSerializer(serializers.Serializer):
    matter = serializers.ChoiceField(choices=Matter.choices, help_text="The matter code (RULES.md §12).")
    subtype = serializers.CharField(
        required=False, help_text="Sub-type where the rules need one: CV-05 wages | labour_relation; CV-07 "
        "work_injury | traffic | food_drug | medical.",
    )
    region = serializers.CharField(
        help_text="The division code (GB/T 2260) of the place of application, e.g. 410402. It must be a known "
        "region; the local income standard and green channels of that region apply.",
    )
    date = serializers.DateField(help_text="The day the rules are taken as of (YYYY-MM-DD), usually today.")
    applicant = PrecheckApplicantSerializer(required=False)
    household = PrecheckHouseholdSerializer(
        required=False, help_text="Without it the economic test cannot run: `economic_review` is `unknown` and "
        "`eligible` null where an economic condition applies.",
    )
    retrial_ordered = serializers.BooleanField(
        required=False, default=False,
        help_text="PET-RETRIAL: the court decided to retry the case, or the procuratorate protested.",
    )
    other_counsel = serializers.BooleanField(
        required=False, default=False, help_text="A lawyer or agent is already hired for this matter.",
    )
    category = serializers.ChoiceField(
        choices=CaseCategory.choices, required=False, help_text="Overrides the matter's usual case category.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class AppliedRuleSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Rule code, e.g. CV-05, EX-03, GC-MIGRANT, ECON-TEST.")
    title = serializers.CharField()
    source = serializers.CharField(help_text="The article or local document the rule comes from.")
    layer = serializers.CharField(help_text="The rule layer (national, province, city) that holds the rule.")
    verification = serializers.CharField(help_text="How far the source is verified: V, S or R (RULES.md).")
    effects = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the rule did: in_scope, out_of_scope, not_required, exempt, passed, failed, unknown, "
        "standard, priority, routing, ineligible.",
    )


class ThresholdSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True,
                                      help_text="Monthly income per household member, in yuan.")
    region = serializers.CharField()
    effective_from = serializers.DateField()


class RoutingSerializer(serializers.Serializer):
    hint = serializers.CharField()
    label = serializers.CharField()
    rule = serializers.CharField()


class EligibilityDecisionSerializer(serializers.Serializer):
    in_scope = serializers.BooleanField()
    economic_review = serializers.ChoiceField(choices=EconomicReview.choices)
    eligible = serializers.BooleanField(allow_null=True, help_text="null: more information is needed.")
    priority = serializers.BooleanField(help_text="Green-channel priority handling.")
    rules = AppliedRuleSerializer(many=True)
    threshold = ThresholdSerializer(allow_null=True, help_text="The local standard used, if the test ran.")
    routing = RoutingSerializer(many=True)
    ruleset_version = serializers.CharField()


class PrecheckFieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class PrecheckErrorSerializer(ApiErrorSerializer):
    details = serializers.DictField(
        child=PrecheckFieldErrorSerializer(many=True), required=False,
        help_text="The same problems with a stable code for each, keyed by field (absent when the body is not "
        "JSON at all).",
    )


# --- staff API: input --------------------------------------------------------------------------


class PersonInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=_max(Person, "name"))
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                      help_text="18-digit ID number; birth date and sex are read from it.")
    sex = serializers.ChoiceField(choices=SEX_CHOICES, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    ethnicity = serializers.CharField(max_length=_max(Person, "ethnicity"), required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=_max(Person, "address"), required=False, allow_blank=True)
    household_registration = serializers.CharField(max_length=_max(Person, "household_registration"),
                                                   required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=_max(Person, "occupation"), required=False, allow_blank=True)
    employer = serializers.CharField(max_length=_max(Person, "employer"), required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    health = serializers.ChoiceField(choices=Health.choices, required=False, allow_blank=True)
    health_details = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    groups = serializers.ListField(child=serializers.ChoiceField(choices=Group.choices), required=False,
                                   max_length=len(Group.choices))


class DetailsInputSerializer(serializers.Serializer):
    matter = serializers.ChoiceField(choices=Matter.choices)
    matter_subtype = serializers.CharField(max_length=_max(Application, "matter_subtype"), required=False,
                                           allow_blank=True)
    category = serializers.ChoiceField(choices=CaseCategory.choices)
    aid_form = serializers.ChoiceField(choices=AidForm.choices)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)
    cause = serializers.CharField(max_length=_max(Application, "cause"), required=False, allow_blank=True)
    opposing_party = serializers.CharField(max_length=_max(Application, "opposing_party"), required=False,
                                           allow_blank=True)
    handling_organ = serializers.CharField(max_length=_max(Application, "handling_organ"), required=False,
                                           allow_blank=True)
    facts = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    amount_claimed = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False,
                                              allow_null=True)
    people_count = serializers.IntegerField(min_value=1, max_value=100000, required=False)
    retrial_ordered = serializers.BooleanField(
        required=False, default=False,
        help_text="A court ordered a retrial or the procuratorate lodged a protest (Legal Aid Law Art. 33).")
    other_counsel = serializers.BooleanField(required=False, default=False,
                                             help_text="A lawyer or agent is already hired for this matter.")


class HouseholdInputSerializer(serializers.Serializer):
    members = serializers.IntegerField(min_value=1, max_value=100)
    monthly_income = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                              help_text="The household's total monthly income in yuan.")
    income_sources = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                           help_text="Income by source, e.g. wages 1800, pension 600.")
    assets = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                   help_text="Property, vehicles, savings (address, area, own use or let).")

    def to_internal_value(self, data):
        # Stored as JSON, as the console stores it: the amount as entered, empty texts left out.
        value = super().to_internal_value(data)
        value["monthly_income"] = str(value["monthly_income"])
        return {k: v.strip() if isinstance(v, str) else v for k, v in value.items() if v != ""}


class ApplicationCreateSerializer(serializers.Serializer):
    centre = serializers.IntegerField(help_text="The legal aid centre's id (an institution of kind "
                                      "legal_aid_centre inside your area).")
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant = PersonInputSerializer()
    agent = PersonInputSerializer(required=False, allow_null=True,
                                  help_text="Someone applying for the applicant (Art. 40); needs agent_relationship.")
    agent_relationship = serializers.CharField(max_length=_max(Application, "agent_relationship"), required=False,
                                               allow_blank=True, default="")
    details = DetailsInputSerializer()
    household = HouseholdInputSerializer(required=False, allow_null=True,
                                         help_text="Omit when the applicant signs a personal integrity commitment "
                                         "instead, or the matter has no economic condition.")
    integrity_commitment = serializers.BooleanField(required=False, default=False)
    channel_detail = serializers.CharField(max_length=_max(Application, "channel_detail"), required=False,
                                           allow_blank=True, default="",
                                           help_text="Workstation, detention facility or organ's name.")
    notifying_organ = serializers.ChoiceField(choices=NotifyingOrgan.choices, required=False, allow_blank=True,
                                              default="", help_text="Required for the notification channel.")
    notice_number = serializers.CharField(max_length=_max(Application, "notice_number"), required=False,
                                          allow_blank=True, default="",
                                          help_text="The notification's document number (notification channel).")
    facility_received_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="When the place of detention received the application (detention_forwarding channel); the "
        "24-hour forwarding clock runs from it.",
    )
    received_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="When the centre received it, if earlier than now (a paper application registered later).",
    )
    residence = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP), required=False,
        allow_null=True, default=None,
        help_text="The division code of the township or street the applicant lives in (inside the centre's area); "
        "the dashboard counts the application there.",
    )

    def validate_received_at(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError(_("The time of receipt cannot be in the future."))
        return value


class ApplicationFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(choices=[(q, q) for q in QUEUES], required=False,
                                    help_text="new, materials, due_soon, overdue, awaiting_assignment, "
                                    "objections or all.")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    matter = serializers.ChoiceField(choices=Matter.choices, required=False)
    q = serializers.CharField(max_length=100, required=False, allow_blank=True,
                              help_text="Number, applicant's name or cause of action.")


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The application's version as you last read it. If someone changed it since, "
        "the answer is 409 and nothing is changed.",
    )


class NoteActionSerializer(VersionedSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SupplementRequestInputSerializer(NoteActionSerializer):
    items = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True), max_length=50,
        help_text="Every missing material, at once (一次性告知).",
    )


class DecideInputSerializer(VersionedSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                    help_text="Required for a refusal.")
    override_reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="",
        help_text="Required when the decision differs from the eligibility check's suggestion.",
    )


class AdvanceAidInputSerializer(VersionedSerializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True)
    limitation_deadline = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text="The limitation period or procedural deadline less than 7 days away.",
    )
    urgent_measure = serializers.BooleanField(
        required=False, default=False, help_text="Preservation or advance execution is needed (no deadline needed).",
    )


class RegulariseInputSerializer(VersionedSerializer):
    reasons = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ObjectInputSerializer(VersionedSerializer):
    reasons = serializers.CharField(max_length=5000, allow_blank=True, help_text="What the applicant objects to.")
    filed_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                         help_text="When the objection was received, if earlier than now.")


class ObjectionDecideInputSerializer(serializers.Serializer):
    correct = serializers.BooleanField(help_text="true: order the refusal corrected (aid is granted); "
                                       "false: uphold it.")
    reasons = serializers.CharField(max_length=5000, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="The application's version you saw; a newer one answers 409.")


class PrivateHouseholdSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    monthly_income = serializers.CharField()
    income_sources = serializers.CharField()
    assets = serializers.CharField()


class ApplicationPrivateSerializer(serializers.Serializer):
    """The full values, for the roles that need them; every read is audited."""

    id_number = serializers.CharField()
    phone = serializers.CharField()
    health = serializers.CharField()
    health_details = serializers.CharField()
    agent_id_number = serializers.CharField()
    agent_phone = serializers.CharField()
    household = PrivateHouseholdSerializer(allow_null=True)
    integrity_commitment = serializers.BooleanField()
    facts = serializers.CharField()


# --- staff API: output ---------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _user_name(user) -> str | None:
    return str(user) if user is not None else None


class MaskedPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sex = serializers.CharField()
    id_number_masked = serializers.SerializerMethodField(help_text="e.g. 410402********1234.")
    phone_masked = serializers.SerializerMethodField(help_text="e.g. 138****5678.")
    groups = serializers.ListField(child=serializers.CharField())

    def get_id_number_masked(self, person: Person) -> str:
        return mask_id_number(person.id_number)

    def get_phone_masked(self, person: Person) -> str:
        return mask_phone(person.phone)


class CentreSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ApplicationListSerializer(serializers.ModelSerializer):
    status = ChoiceObjectField(ApplicationStatus.choices)
    channel = ChoiceObjectField(Channel.choices)
    matter = ChoiceObjectField(Matter.choices)
    category = ChoiceObjectField(CaseCategory.choices)
    applicant = MaskedPersonSerializer()
    centre = CentreSummarySerializer()
    region = serializers.CharField(source="region.code")
    next_due = serializers.DateField(allow_null=True, read_only=True,
                                     help_text="The deadline that matters now: review, materials or assignment.")
    days_remaining = serializers.SerializerMethodField(help_text="Days to next_due; negative when overdue.")

    class Meta:
        model = Application
        fields = ["id", "number", "status", "channel", "matter", "matter_subtype", "category", "priority",
                  "applicant", "centre", "region", "received_at", "next_due", "days_remaining",
                  "calendar_complete", "version"]

    def get_days_remaining(self, application: Application) -> int | None:
        due = getattr(application, "next_due", None)
        return days_remaining(due=due, today=_today()) if due else None


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="review, materials, assignment, objection or limitation.")
    label = serializers.CharField()
    due = serializers.DateField()
    days_remaining = serializers.IntegerField(help_text="0 on the day itself, negative when overdue.")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ["id", "at", "kind", "from_status", "to_status", "actor", "note", "data"]

    def get_actor(self, event: ApplicationEvent) -> str | None:
        return _user_name(event.actor)


class SupplementRequestSerializer(serializers.ModelSerializer):
    status = ChoiceObjectField(SupplementStatus.choices)

    class Meta:
        model = SupplementRequest
        fields = ["id", "items", "note", "requested_on", "due", "status", "closed_on"]


class ObjectionSerializer(serializers.ModelSerializer):
    status = ChoiceObjectField(ObjectionStatus.choices)
    days_remaining = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = ["id", "filed_at", "reasons", "due", "days_remaining", "status", "decided_at", "decision_reasons"]

    def get_days_remaining(self, objection: Objection) -> int | None:
        if objection.status != ObjectionStatus.PENDING:
            return None
        return days_remaining(due=objection.due, today=_today())


class MaterialSerializer(serializers.ModelSerializer):
    kind = ChoiceObjectField(MaterialKind.choices)

    class Meta:
        model = Material
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at", "note"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "title", "issued_at"]


class PreviousApplicationSerializer(serializers.ModelSerializer):
    status = ChoiceObjectField(ApplicationStatus.choices)
    centre = serializers.CharField(source="centre.name")

    class Meta:
        model = Application
        fields = ["id", "number", "status", "matter", "centre", "received_at"]


class ApplicationDetailSerializer(ApplicationListSerializer):
    """One application for staff. Private values (full ID number, phone, income, facts, health) are not
    here: they are for the roles that need them, through the audited private view."""

    agent = MaskedPersonSerializer(allow_null=True)
    stage = ChoiceObjectField(Stage.choices)
    aid_form = ChoiceObjectField(AidForm.choices)
    notifying_organ = ChoiceObjectField(NotifyingOrgan.choices)
    decision = ChoiceObjectField(Decision.choices)
    decided_by = serializers.SerializerMethodField()
    residence = serializers.CharField(source="residence.code", allow_null=True, read_only=True,
                                      help_text="The division code of the applicant's township, if given.")
    eligibility = serializers.SerializerMethodField(
        help_text="The engine's answer when the application was registered (the pre-check's shape).")
    has_household = serializers.SerializerMethodField(help_text="Whether household income was declared.")
    deadlines = serializers.SerializerMethodField()
    events = EventSerializer(many=True)
    supplement_requests = SupplementRequestSerializer(many=True)
    objections = ObjectionSerializer(many=True)
    materials = MaterialSerializer(many=True)
    documents = DocumentSerializer(many=True)
    previous_applications = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(
        help_text="Actions the status allows and you may take, as POST …/actions/{action}.")

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "agent", "agent_relationship", "residence", "channel_detail", "notifying_organ", "notice_number",
            "facility_received_at", "forwarding_due_at", "aid_form", "stage", "cause", "opposing_party",
            "handling_organ", "amount_claimed", "people_count", "retrial_ordered", "other_counsel",
            "integrity_commitment", "has_household",
            "eligibility", "ruleset_version", "review_due", "supplement_due", "assignment_due", "deadlines",
            "decision", "decision_reasons", "decision_override", "override_reason", "decided_at", "decided_by",
            "advance_aid_reason", "limitation_deadline", "regularised_at", "events", "supplement_requests",
            "objections", "materials", "documents", "previous_applications", "actions",
        ]

    def get_decided_by(self, application: Application) -> str | None:
        return _user_name(application.decided_by)

    @extend_schema_field(EligibilityDecisionSerializer)
    def get_eligibility(self, application: Application) -> dict:
        return application.eligibility

    def get_has_household(self, application: Application) -> bool:
        return bool(application.household)

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, application: Application) -> list[dict]:
        today = _today()
        pending = [o for o in application.objections.all() if o.status == ObjectionStatus.PENDING]
        candidates = [
            ("review", _("Decision on the application"), application.review_due),
            ("materials", _("Missing materials to be supplied"), application.supplement_due),
            ("assignment", _("Assignment of a lawyer"), application.assignment_due),
            *(("objection", _("Decision on the objection"), o.due) for o in pending),
            ("limitation", _("Limitation period or procedural deadline"), application.limitation_deadline),
        ]
        return [
            {"kind": kind, "label": str(label), "due": due, "days_remaining": days_remaining(due=due, today=today)}
            for kind, label, due in candidates if due is not None
        ]

    @extend_schema_field(PreviousApplicationSerializer(many=True))
    def get_previous_applications(self, application: Application) -> list[dict]:
        previous = self.context.get("previous_applications", [])
        return PreviousApplicationSerializer(previous, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, application: Application) -> list[str]:
        return list(self.context.get("actions", []))

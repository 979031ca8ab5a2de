"""The staff API over legal aid cases: the list, one case with its timeline, the actions on a case,
assignment of an application and the lawyer suggestions.

It does what the case screens do, through the same services and the same rules of who may act
(views_cases.ACTIONS): it checks the shape of the input, loads the case through
selectors_cases.access_case (one 404 for missing and not yours), calls the service and shows the
case as it is now. Errors the services raise reach the client through the project's exception
handler (open12348/api/errors.py) in the one error shape {"code", "message", "fields"}; a stale
`version` is a 409 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.permissions import HasCapability, user_can
from open12348.accounts.roles import Capability
from open12348.api.pagination import TwoStepPagination
from open12348.audit.services import audit_record
from open12348.core.calendar import days_remaining
from open12348.core.idempotency import idempotent
from open12348.core.serializers import ApiErrorSerializer

from . import selectors_cases, services_cases
from .access import access_application
from .apis import _valid
from .choices import CaseStatus, HowEnded, ProgressKind, SubsidyStatus
from .eligibility.codes import Termination
from .forms_cases import DEADLINE_FILTERS, FILE_RATINGS, assignable_practitioners, handling_institutions
from .models import Case, CaseEvent, ClosingReport, ProgressEntry, Subsidy
from .views_cases import ACTIONS, EVENT_LABELS, _may, _possible, case_contact

TAG = "legal aid: cases"
ERRORS = {400: ApiErrorSerializer, 403: ApiErrorSerializer, 404: ApiErrorSerializer, 409: ApiErrorSerializer}
CASE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The case's id.")
APPLICATION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The application's id.")
VERSION_HELP = ("The case's version as you last read it. If someone changed the case since, the answer is 409 and "
                "nothing is changed.")


class HasAnyCapability(BasePermission):
    """DRF permission: at least one of the view's `required_capabilities` (staff view or lawyer handling)."""

    def has_permission(self, request, view) -> bool:
        capabilities = getattr(view, "required_capabilities", ())
        allowed = any(user_can(request.user, c) for c in capabilities)
        if not allowed and request.user.is_authenticated:
            audit_record(actor=request.user, action="auth.permission_denied", result="denied",
                         extra={"capability": " | ".join(capabilities), "path": request.path[:200]})
        return allowed


class StaffApi:
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, HasCapability]
    parser_classes = [JSONParser]


class CaseApi(StaffApi):
    """Staff who view legal aid work, and lawyers (who see their own cases only)."""

    permission_classes = [IsAuthenticated, HasAnyCapability]
    required_capabilities = (Capability.AID_VIEW, Capability.CASE_HANDLE)


# --- output ------------------------------------------------------------------------------------

def _status_schema(choices) -> dict:
    """`status` means different things in applications, cases and subsidies. As enums their components
    collide in drf-spectacular's naming unless settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] names
    them, so the values are listed in the description instead."""
    return {"type": "string", "description": "One of: " + ", ".join(f"`{v}`" for v in choices.values) + "."}


@extend_schema_field(_status_schema(CaseStatus))
class CaseStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=CaseStatus.choices, **kwargs)


@extend_schema_field(_status_schema(SubsidyStatus))
class SubsidyStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=SubsidyStatus.choices, **kwargs)


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseDeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="agreement, closing or subsidy")
    due = serializers.DateField()
    days_remaining = serializers.IntegerField(help_text="0 on the day itself, negative when overdue.")


class CaseListSerializer(serializers.ModelSerializer):
    status = CaseStatusField()
    status_label = serializers.CharField(source="get_status_display")
    centre = CaseRefSerializer()
    lawyer = CaseRefSerializer(allow_null=True)
    institution = CaseRefSerializer(allow_null=True)
    aided_person = serializers.CharField(source="application.applicant.name")
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "status", "status_label", "priority", "matter", "category", "stage", "centre",
                  "lawyer", "institution", "aided_person", "assigned_at", "last_progress_at", "next_deadline",
                  "version"]

    @extend_schema_field(CaseDeadlineSerializer(allow_null=True))
    def get_next_deadline(self, case: Case) -> dict | None:
        kind, column = selectors_cases.DEADLINE_OF_STATUS.get(case.status, (None, None))
        due = getattr(case, column) if column else None
        if due is None:
            return None
        return {"kind": kind, "due": due, "days_remaining": days_remaining(due=due, today=timezone.localdate())}


class CaseContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked (138****1234) unless you are the assigned lawyer or may see "
                                  "personal data; a full phone shown leaves an audit row.")
    phone_full = serializers.BooleanField()
    address = serializers.CharField()
    agent = serializers.CharField()
    agent_relationship = serializers.CharField()


class CaseEventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    actor = serializers.StringRelatedField()

    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "label", "from_status", "to_status", "actor", "note"]

    def get_label(self, event: CaseEvent) -> str:
        return str(EVENT_LABELS.get(event.kind, event.kind))


class CaseProgressSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    entered_by = serializers.StringRelatedField()

    class Meta:
        model = ProgressEntry
        fields = ["id", "kind", "kind_label", "occurred_on", "entered_at", "entered_by", "note", "hearing_at",
                  "court", "courtroom"]


class CaseClosingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClosingReport
        fields = ["how_ended", "ended_on", "outcome", "amount_recovered", "amount_awarded", "people_aided",
                  "hearings", "checklist", "submitted_at"]


class CaseSubsidySerializer(serializers.ModelSerializer):
    status = SubsidyStatusField()

    class Meta:
        model = Subsidy
        fields = ["amount", "status", "month", "paid_on"]


class CaseChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class CaseDetailSerializer(CaseListSerializer):
    application = serializers.IntegerField(source="application_id")
    contact = serializers.SerializerMethodField()
    events = CaseEventSerializer(many=True)
    progress = CaseProgressSerializer(many=True)
    closing = serializers.SerializerMethodField()
    subsidy = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "application", "agreement_due", "agreement_signed_on", "ended_on",
                  "closing_due", "closed_at", "subsidy_due", "archive_number", "archived_at", "contact", "events",
                  "progress", "closing", "subsidy", "checklist", "actions"]

    @extend_schema_field(CaseContactSerializer)
    def get_contact(self, case: Case) -> dict:
        return self.context["contact"]

    @extend_schema_field(CaseClosingSerializer(allow_null=True))
    def get_closing(self, case: Case) -> dict | None:
        closing = ClosingReport.objects.filter(case=case).first()
        return CaseClosingSerializer(closing).data if closing else None

    @extend_schema_field(CaseSubsidySerializer(allow_null=True))
    def get_subsidy(self, case: Case) -> dict | None:
        subsidy = Subsidy.objects.filter(case=case).first()
        return CaseSubsidySerializer(subsidy).data if subsidy else None

    @extend_schema_field(CaseChecklistItemSerializer(many=True))
    def get_checklist(self, case: Case) -> list[dict]:
        return [{"code": code, "label": str(label)} for code, label in services_cases.case_checklist(case)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        return self.context["actions"]


class CaseConflictSerializer(serializers.Serializer):
    other_case_number = serializers.CharField()
    party_name = serializers.CharField()
    how = serializers.ChoiceField(choices=["name", "id_number", "org_code"])
    same_lawyer = serializers.BooleanField()


class LawyerSuggestionSerializer(serializers.Serializer):
    lawyer = CaseRefSerializer()
    institution = CaseRefSerializer(allow_null=True)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    conflicts = CaseConflictSerializer(many=True)
    eligible = serializers.BooleanField(help_text="False: the lawyer cannot take this case (Art. 26).")


def _available_actions(case: Case, user) -> list[str]:
    return [name for name, spec in ACTIONS.items() if _possible(case, spec) and _may(user, case, spec)]


def _detail(*, user, id: int) -> dict[str, Any]:  # noqa: A002  (the API's name for it)
    case = selectors_cases.access_case(user=user, id=id)
    prefetch_related_objects(
        [case],
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch("progress", queryset=ProgressEntry.objects.select_related("entered_by")),
    )
    context = {"contact": case_contact(user=user, case=case), "actions": _available_actions(case, user)}
    return CaseDetailSerializer(case, context=context).data


# --- reads -------------------------------------------------------------------------------------

class CaseFilterSerializer(serializers.Serializer):
    status = CaseStatusField(required=False)
    deadline = serializers.ChoiceField(choices=DEADLINE_FILTERS, required=False)
    q = serializers.CharField(max_length=50, required=False, help_text="Case number, aided person or lawyer.")
    lawyer = serializers.IntegerField(min_value=1, required=False, help_text="The practitioner's id.")


class CaseListApi(CaseApi, generics.ListAPIView):
    serializer_class = CaseListSerializer
    pagination_class = TwoStepPagination
    filter_backends: list = []

    def get_queryset(self):
        filters = _valid(CaseFilterSerializer, self.request.query_params)
        return selectors_cases.case_list_visible_to(user=self.request.user, filters=filters)

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_cases_list", summary="Cases you may see",
        description="Staff see the cases of their area; a lawyer sees only the cases assigned to them. Green-channel "
        "priority first, then the nearest deadline (agreement, closing file, subsidy review) with the days "
        "remaining. Contact details are not listed.",
        parameters=[CaseFilterSerializer],
        responses={200: CaseListSerializer(many=True), 400: ApiErrorSerializer, 403: ApiErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseDetailApi(CaseApi, APIView):
    @extend_schema(
        tags=[TAG], operation_id="legal_aid_case_retrieve", summary="One case with its timeline",
        description="Status, lawyer, deadlines, the aided person's contact, the timeline, progress entries, the "
        "closing report and subsidy, the closing checklist and the actions you may take now. A case that is not "
        "yours (or outside your area) is a 404, as if it did not exist. The assigned lawyer sees the aided "
        "person's full phone; that reading is audited.",
        parameters=[CASE_ID],
        responses={200: CaseDetailSerializer, 403: ApiErrorSerializer, 404: ApiErrorSerializer},
    )
    def get(self, request, id: int) -> Response:  # noqa: A002
        return Response(_detail(user=request.user, id=id), headers={"Cache-Control": "no-store"})


# --- actions on a case -------------------------------------------------------------------------

class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class SignAgreementInput(VersionSerializer):
    signed_on = serializers.DateField(help_text="The day the agreement and power of attorney were signed.")


class ProgressInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProgressKind.choices)
    occurred_on = serializers.DateField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    hearing_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                           help_text="Required for a hearing.")
    court = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                  help_text="Required for a hearing.")
    courtroom = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class CloseInput(VersionSerializer):
    how_ended = serializers.ChoiceField(choices=HowEnded.choices)
    ended_on = serializers.DateField()
    outcome = serializers.CharField(max_length=4000)
    amount_recovered = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, default=0)
    amount_awarded = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, default=0)
    people_aided = serializers.IntegerField(min_value=1, default=1)
    hearings = serializers.IntegerField(min_value=0, max_value=999, default=0)
    checklist = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                      help_text="Codes of the closing checklist items the file holds (see the "
                                      "case's `checklist`).")


class ArchiveReviewInput(VersionSerializer):
    passed = serializers.BooleanField(help_text="true: pass and archive; false: return to the lawyer.")
    reasons = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="",
                                    help_text="Required when the file is returned.")
    file_rating = serializers.ChoiceField(choices=[code for code, _label in FILE_RATINGS], required=False,
                                          allow_blank=True, default="")
    archive_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class ResubmitInput(VersionSerializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PaySubsidyInput(VersionSerializer):
    paid_on = serializers.DateField()


class TerminateInput(VersionSerializer):
    ground = serializers.ChoiceField(choices=Termination.choices, help_text="Art. 48 ground, T1–T8.")
    report = serializers.CharField(max_length=4000)


class ReasonsInput(VersionSerializer):
    reasons = serializers.CharField(max_length=4000)


class DecideObjectionInput(VersionSerializer):
    correct = serializers.BooleanField(help_text="true: order the termination corrected; false: uphold it.")
    reasons = serializers.CharField(max_length=4000)


class ReassignInput(VersionSerializer):
    lawyer = serializers.IntegerField(min_value=1, help_text="The practitioner's id.")
    institution = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None,
                                           help_text="Empty: the lawyer's own firm.")
    reason = serializers.CharField(max_length=1000)
    conflict_override = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


def _people(*, user, data: dict[str, Any]) -> dict[str, Any]:
    """The lawyer and institution ids of an assignment as records the user may choose."""
    lawyer = assignable_practitioners(user=user).filter(pk=data.pop("lawyer")).first()
    if lawyer is None:
        raise ValidationError({"lawyer": [_("There is no lawyer with this id in your area.")]})
    institution_id = data.pop("institution", None)
    institution = None
    if institution_id:
        institution = handling_institutions(user=user, also=[lawyer.institution_id or 0]).filter(
            pk=institution_id).first()
        if institution is None:
            raise ValidationError({"institution": [_("There is no institution with this id in your area.")]})
    return {**data, "lawyer": lawyer, "institution": institution}


class CaseActionApi(CaseApi, APIView):
    """POST …/actions/<action>: check the input, load the case, check who may act, call the service."""

    action: str
    input_serializer: type[serializers.Serializer]

    def post(self, request, id: int) -> Response:  # noqa: A002
        data = dict(_valid(self.input_serializer, request.data))
        case = selectors_cases.access_case(user=request.user, id=id)
        spec = ACTIONS[self.action]
        if not _may(request.user, case, spec):
            audit_record(actor=request.user, action="auth.permission_denied", obj=case, result="denied",
                         extra={"capability": spec.capability, "attempted": f"legalaid.case.{self.action}",
                                "path": request.path[:200]})
            raise PermissionDenied(_("You are not allowed to do this."))
        if "version" in data:
            data["expected_version"] = data.pop("version")
        if self.action == "reassign":
            data = _people(user=request.user, data=data)
        spec.run(actor=request.user, case=case, **data)
        return Response(_detail(user=request.user, id=id))


ACTION_DOCS: dict[str, tuple[type[serializers.Serializer], str, str]] = {
    "sign_agreement": (SignAgreementInput, "Record the signed agreement",
                       "The agreement and power of attorney, due within 5 legal days of the assignment. The "
                       "assigned lawyer's step."),
    "begin": (VersionSerializer, "Begin work on the case", "The assigned lawyer's step, after the agreement."),
    "progress": (ProgressInput, "Record progress",
                 "One piece of the lawyer's work (Art. 46), timestamped when entered. A hearing needs its time and "
                 "court; it appears on the hearing calendar. Only while the case is handled; no version needed."),
    "close": (CloseInput, "Submit the closing report (Art. 50)",
              "How the matter ended, the outcome, amounts, people aided and the ticked closing checklist."),
    "resubmit": (ResubmitInput, "Submit the corrected closing file",
                 "After the archive review returned the file."),
    "archive_review": (ArchiveReviewInput, "Review the closing file",
                       "Pass (the whole checklist must be ticked; the subsidy is computed) or return with reasons."),
    "pay_subsidy": (PaySubsidyInput, "Pay the lawyer's subsidy (Art. 52)",
                    "The subsidy goes on the payment list of the month it was paid in."),
    "terminate": (TerminateInput, "Terminate legal aid (Art. 48)", "On one of the grounds T1–T8, with the report."),
    "object_termination": (ReasonsInput, "Record an objection to the termination (Art. 49)",
                           "The justice bureau decides within 5 days."),
    "decide_objection": (DecideObjectionInput, "Decide the objection to the termination",
                         "Uphold the termination, or order it corrected (the case is handled again)."),
    "reassign": (ReassignInput, "Replace the lawyer (Art. 55)",
                 "The aided person asked for another lawyer. A conflict of interest needs `conflict_override`."),
}


def _action_view(name: str) -> type[CaseActionApi]:
    serializer, summary, description = ACTION_DOCS[name]

    @extend_schema(
        tags=[TAG], operation_id=f"legal_aid_case_{name}", summary=summary,
        description=description + " The answer is the case as it is now. Send the `version` you last read: if the "
        "case changed since, or the action is not possible in its status, the answer is 409 and nothing changes.",
        parameters=[CASE_ID], request=serializer, responses={200: CaseDetailSerializer, **ERRORS},
    )
    @idempotent()
    def post(self, request, id: int) -> Response:  # noqa: A002
        return CaseActionApi.post(self, request, id)

    class_name = "Case" + "".join(part.title() for part in name.split("_")) + "Api"
    return type(class_name, (CaseActionApi,), {"action": name, "input_serializer": serializer, "post": post,
                                               "__module__": __name__})


ACTION_VIEWS: tuple[type[CaseActionApi], ...] = tuple(_action_view(name) for name in ACTION_DOCS)


# --- assignment ----------------------------------------------------------------------------------

class AssignInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The APPLICATION's version as you last read it: of "
                                       "two dispatchers assigning at once, the second gets 409.")
    lawyer = serializers.IntegerField(min_value=1, help_text="The practitioner's id.")
    institution = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None,
                                           help_text="Empty: the lawyer's own firm.")
    conflict_override = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="",
                                              help_text="Why a conflict of interest found by the check does not "
                                              "prevent the assignment.")


class AssignApi(StaffApi, APIView):
    required_capability = Capability.AID_ASSIGN

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_application_assign", summary="Assign a lawyer (the case begins)",
        description="For a granted or notified application (within 3 days, Art. 36/43). The conflict check runs: a "
        "hit is refused (400, `conflict_of_interest`, with the conflicts in `details`) unless `conflict_override` "
        "gives the reason. A stale version or an application already assigned is 409. The answer is the new case.",
        parameters=[APPLICATION_ID], request=AssignInput, responses={201: CaseDetailSerializer, **ERRORS},
    )
    @idempotent()
    def post(self, request, id: int) -> Response:  # noqa: A002
        data = dict(_valid(AssignInput, request.data))
        application = access_application(user=request.user, id=id)
        data = _people(user=request.user, data=data)
        data["expected_version"] = data.pop("version")
        case = services_cases.case_assign(actor=request.user, application=application, **data)
        return Response(_detail(user=request.user, id=case.pk), status=status.HTTP_201_CREATED)


class LawyerSuggestionsApi(StaffApi, APIView):
    required_capability = Capability.AID_ASSIGN

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_application_lawyer_suggestions", summary="Lawyers suggested for an "
        "application",
        description="Best first, each with its score, the reasons (specialty, Art. 26 experience, open cases, "
        "rotation, region, team rules) and any conflicts of interest. Lawyers who cannot take the case follow "
        "the list with what stops them.",
        parameters=[APPLICATION_ID], responses={200: LawyerSuggestionSerializer(many=True), 403: ApiErrorSerializer,
                                                404: ApiErrorSerializer},
    )
    def get(self, request, id: int) -> Response:  # noqa: A002
        application = access_application(user=request.user, id=id)
        rows = []
        for s in selectors_cases.lawyer_suggestions(application=application):
            institution = s.institution
            rows.append({
                "lawyer": {"id": s.lawyer.pk, "name": s.lawyer.name},
                "institution": {"id": institution.pk, "name": institution.name} if institution else None,
                "score": s.score, "reasons": [str(r) for r in s.reasons],
                "conflicts": [c.as_dict() for c in s.conflicts], "eligible": s.eligible,
            })
        return Response(LawyerSuggestionSerializer(rows, many=True).data)

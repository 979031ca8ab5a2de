"""Legal aid API: the public eligibility pre-check, and the staff API over applications.

The staff API does what the console screens do, through the same services: it parses and checks
the shape of the input, loads the record through `access_application` (one 404 for missing and
not yours), calls the service and shows the result. Errors the services raise (ApplicationError,
with its field and status) reach the client through the project's exception handler
(open12348/api/errors.py) in the one error shape: {"code", "message", "fields"}.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.permissions import HasCapability, user_can
from open12348.accounts.roles import Capability
from open12348.api.errors import flatten_errors
from open12348.api.pagination import TwoStepPagination
from open12348.core.idempotency import idempotent
from open12348.core.serializers import ApiErrorSerializer
from open12348.network.apis import PublicRateThrottle
from open12348.network.models import Institution
from open12348.network.selectors import region_by_code

from . import services, workflow
from .access import access_application, access_objection
from .eligibility import EligibilityInputError, Facts, Household, normalise_region
from .models import Application, ApplicationEvent
from .rules_store import evaluate_facts
from .selectors import application_list_visible_to, applications_of_person
from .serializers import (
    AdvanceAidInputSerializer,
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationFilterSerializer,
    ApplicationListSerializer,
    ApplicationPrivateSerializer,
    DecideInputSerializer,
    EligibilityCheckSerializer,
    EligibilityDecisionSerializer,
    NoteActionSerializer,
    ObjectInputSerializer,
    ObjectionDecideInputSerializer,
    PrecheckErrorSerializer,
    RegulariseInputSerializer,
    SupplementRequestInputSerializer,
    VersionedSerializer,
)
from .services_private import application_private_view

PRECHECK_TAG = "legal aid: eligibility"
TAG = "legal aid: applications"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 200


# --- the public pre-check ------------------------------------------------------------------------


class PrecheckRateThrottle(PublicRateThrottle):
    """Per client address, at the "precheck" rate of the settings (30/min where a deployment sets none).

    The rate is read from the settings on every request rather than from DRF's copy made at import,
    so a deployment (or a test) changing REST_FRAMEWORK takes effect.
    """

    FALLBACK_RATE = "30/min"

    def get_rate(self) -> str:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES") or {}
        return rates.get(self.scope) or self.FALLBACK_RATE


def _precheck_facts(data: Any) -> Facts:
    """The engine's facts from the JSON body; every bad field is reported, an unknown region too."""
    errors: list[tuple[str, str, object]] = []
    facts = None
    try:
        facts = Facts.from_dict(data)
    except EligibilityInputError as exc:
        errors.extend(exc.errors)
    named = {field for field, _code, _message in errors}
    household = data.get("household") if isinstance(data, dict) else None
    if "household.members" in named and "household.monthly_income" not in named and isinstance(household, dict):
        # The engine stops at the first bad household field; the income deserves its own message too.
        try:
            Household(members=1, monthly_income=household.get("monthly_income"))
        except EligibilityInputError as exc:
            errors.extend(exc.errors)
    if isinstance(data, dict) and "region" not in named:
        code = facts.region_code if facts is not None else normalise_region(data.get("region"))
        if region_by_code(code) is None:
            errors.append(("region", "unknown_region",
                           _("There is no region with this code. Choose the county or district where you apply.")))
    if errors:
        field, code, message = errors[0]
        raise EligibilityInputError(field, code, message, errors=tuple(errors))
    return facts


def _precheck_error(exc: EligibilityInputError) -> Response:
    fields: dict[str, list[str]] = {}
    for field, _code, message in exc.errors:
        fields.setdefault(field, []).append(str(message))
    body = {"code": "invalid", "message": _("Some of the information entered is not valid."), "fields": fields,
            "details": exc.as_dict()}
    return Response(body, status=status.HTTP_400_BAD_REQUEST, headers={"Cache-Control": "no-store"})


RULESET_EXAMPLE = "e1:PRC-LAA-2021@1+HA-2026@1+PDS-GC@1;T:4104@2026-01-01;8c6b42066628"
PRECHECK_EXAMPLES = [
    OpenApiExample(
        "Migrant worker owed wages", request_only=True,
        description="In scope (Art. 31(5)); hardship presumed (EX-03) and the city's green channel (GC-MIGRANT) "
        "gives priority. No household is needed.",
        value={"matter": "CV-05", "subtype": "wages", "region": "410402", "date": "2026-03-02",
               "applicant": {"groups": ["migrant_worker"]}},
    ),
    OpenApiExample(
        "Notified minor", request_only=True,
        description="Criminal defence on notification (Art. 25): no economic condition at all.",
        value={"matter": "CR-N-MINOR", "region": "410403", "date": "2026-03-02",
               "applicant": {"birth_date": "2010-06-01", "sex": "M"}},
    ),
    OpenApiExample(
        "Migrant worker: answer", response_only=True, status_codes=["200"],
        value={
            "in_scope": True, "economic_review": "exempt", "eligible": True, "priority": True,
            "rules": [
                {"code": "CV-05", "title": "请求确认劳动关系或者支付劳动报酬",
                 "source": "《中华人民共和国法律援助法》第三十一条第（五）项", "layer": "PRC-LAA-2021",
                 "verification": "V", "effects": ["in_scope"]},
                {"code": "EX-03", "title": "申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员",
                 "source": "《中华人民共和国法律援助法》第四十二条第（三）项", "layer": "PRC-LAA-2021",
                 "verification": "V", "effects": ["exempt"]},
                {"code": "GC-MIGRANT", "title": "农民工：追索劳动报酬、工伤及人身损害赔偿免予经济困难审查，优先受理、优先指派、优先办理",
                 "source": "平顶山市法律援助“六心”绿色通道（农民工）", "layer": "PDS-GC", "verification": "S",
                 "effects": ["exempt", "priority"]},
            ],
            "threshold": None, "routing": [], "ruleset_version": RULESET_EXAMPLE,
        },
    ),
    OpenApiExample(
        "Notified minor: answer", response_only=True, status_codes=["200"],
        value={
            "in_scope": True, "economic_review": "not_required", "eligible": True, "priority": True,
            "rules": [
                {"code": "CR-N-MINOR", "title": "未成年人", "source": "《中华人民共和国法律援助法》第二十五条第一款第（一）项",
                 "layer": "PRC-LAA-2021", "verification": "V", "effects": ["in_scope", "not_required"]},
                {"code": "GC-MINOR", "title": "未成年人：依托共青团系统设立未成年人法律援助工作站，开展进校园活动",
                 "source": "平顶山市法律援助“六心”绿色通道（未成年人）", "layer": "PDS-GC", "verification": "S",
                 "effects": ["priority", "routing"]},
            ],
            "threshold": None,
            "routing": [{"hint": "minors_workstation", "label": "Minors' legal aid workstation", "rule": "GC-MINOR"}],
            "ruleset_version": RULESET_EXAMPLE,
        },
    ),
    OpenApiExample(
        "Unknown matter and negative income", response_only=True, status_codes=["400"],
        value={"code": "invalid", "message": "Some of the information entered is not valid.",
               "fields": {"matter": ["Unknown matter code."],
                          "household.monthly_income": ["The monthly income cannot be negative."]},
               "details": {"matter": [{"code": "unknown_matter", "message": "Unknown matter code."}],
                           "household.monthly_income": [{"code": "negative_amount",
                                                         "message": "The monthly income cannot be negative."}]}},
    ),
]


class EligibilityCheckApi(APIView):
    """Anyone may ask; nothing is stored, nothing is logged with the person's data."""

    authentication_classes: list = []  # no session: no CSRF check, so plain JSON clients work
    permission_classes = [AllowAny]
    throttle_classes = [PrecheckRateThrottle]
    throttle_scope = "precheck"
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[PRECHECK_TAG], operation_id="legal_aid_eligibility_check", summary="Eligibility pre-check",
        description=(
            "Would legal aid cover this matter for this person? The answer follows the rules in force on `date` "
            "for `region`: national law, then the province's and the city's layers (RULES.md §12). Nothing is "
            "stored and no login is needed; requests are rate-limited per address (429 when exceeded). Every "
            "problem with the input is reported at once, one message per field in `fields` (dotted names such as "
            "`household.monthly_income`), with stable codes in `details`."
        ),
        request=EligibilityCheckSerializer,
        responses={200: EligibilityDecisionSerializer, 400: PrecheckErrorSerializer, 429: ApiErrorSerializer},
        examples=PRECHECK_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        try:
            facts = _precheck_facts(request.data)
        except EligibilityInputError as exc:
            return _precheck_error(exc)
        return Response(evaluate_facts(facts).to_dict(), headers={"Cache-Control": "no-store"})


# --- staff API: helpers ----------------------------------------------------------------------------


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationError(flatten_errors(serializer.errors))
    return serializer.validated_data


def _idempotency_key(request: Request) -> str | None:
    """The client's key, namespaced by user: one user's key can never return another user's record."""
    raw = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not raw:
        return None
    if len(raw) > MAX_IDEMPOTENCY_KEY or not raw.isascii() or not raw.isprintable():
        raise ValidationError({IDEMPOTENCY_HEADER: [
            _("The idempotency key must be printable ASCII of at most %(n)d characters.") % {"n": MAX_IDEMPOTENCY_KEY}
        ]})
    return hashlib.sha256(f"api:{request.user.pk}:{raw}".encode()).hexdigest()


def _centre(centre_id: int) -> Institution:
    centre = Institution.objects.select_related("region").filter(pk=centre_id).first()
    if centre is None:
        raise ValidationError({"centre": [_("There is no legal aid centre with this id.")]})
    return centre


def _available_actions(application: Application, user) -> list[str]:
    return [view.action for view in ACTION_VIEWS
            if any(workflow.target(t, application.status) for t in view.transitions)
            and user_can(user, view.required_capability)]


def _detail(*, user, id: int) -> dict[str, Any]:  # noqa: A002  (the API's name for it)
    application = access_application(user=user, id=id)
    prefetch_related_objects(
        [application],
        Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
        "supplement_requests", "objections", "materials", "documents",
    )
    context = {
        "previous_applications": applications_of_person(user=user, person_id=application.applicant_id,
                                                        exclude_id=application.pk)[:20],
        "actions": _available_actions(application, user),
    }
    application.next_due = _next_due(application)
    return ApplicationDetailSerializer(application, context=context).data


def _next_due(application: Application):
    if application.status in workflow.REVIEW_OPEN:
        return application.review_due
    if application.status in workflow.AWAITING_ASSIGNMENT:
        return application.assignment_due
    return application.supplement_due


ERRORS = {400: ApiErrorSerializer, 403: ApiErrorSerializer, 404: ApiErrorSerializer, 409: ApiErrorSerializer}
ID_PARAM = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The application's id.")


class StaffApi:
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, HasCapability]
    parser_classes = [JSONParser]


# --- staff API: applications ---------------------------------------------------------------------


class ApplicationListApi(StaffApi, generics.ListCreateAPIView):
    serializer_class = ApplicationListSerializer
    pagination_class = TwoStepPagination
    filter_backends: list = []

    @property
    def required_capability(self) -> str:
        return Capability.AID_INTAKE if self.request.method == "POST" else Capability.AID_VIEW

    def get_queryset(self):
        filters = _valid(ApplicationFilterSerializer, self.request.query_params)
        return application_list_visible_to(user=self.request.user, filters=filters)

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_applications_list", summary="Applications in your area",
        description="Green-channel priority first, then the nearest deadline. ID numbers and phones are masked; "
        "incomes, facts and health details are never listed.",
        parameters=[ApplicationFilterSerializer],
        responses={200: ApplicationListSerializer(many=True), 400: ApiErrorSerializer, 403: ApiErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_applications_create", summary="Register an application",
        description=(
            "Registers an application from any channel, or a notification from a court, procuratorate or police "
            "(channel `notification`: no review, a 3-day assignment clock). The body mirrors the intake service: "
            "`applicant` and optional `agent` (with `agent_relationship`), the matter in `details`, the "
            "`household` or a signed `integrity_commitment`, and the channel's own fields (`notifying_organ` and "
            "`notice_number` for a notification, `facility_received_at` for detention forwarding). The "
            "eligibility engine runs at once; its answer is in the response.\n\n"
            "Send an `Idempotency-Key` header (any printable ASCII up to 200 characters, e.g. a UUID) to make a "
            "retry safe: the first request answers 201 with the new application; a repeat with the same key from "
            "the same user answers 200 with that same application and creates nothing. Errors name the field in "
            "dotted form (`applicant.id_number`, `household.monthly_income`, `details.matter`)."
        ),
        request=ApplicationCreateSerializer,
        responses={
            201: OpenApiResponse(ApplicationDetailSerializer, description="Registered."),
            200: OpenApiResponse(ApplicationDetailSerializer,
                                 description="A repeat of a request with the same Idempotency-Key: nothing new."),
            400: ApiErrorSerializer, 403: ApiErrorSerializer,
        },
    )
    @idempotent(replay_status=status.HTTP_200_OK)
    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def create(self, request, *args, **kwargs) -> Response:
        data = dict(_valid(ApplicationCreateSerializer, request.data))
        key = _idempotency_key(request)
        centre = _centre(data.pop("centre"))
        started = timezone.now()
        # A repeated key returns the first request's application (the service handles the race too).
        application = services.application_create(actor=request.user, centre=centre, idempotency_key=key, **data)
        replay = application.created_at < started
        url = reverse("api:legalaid:application", kwargs={"id": application.pk})
        return Response(_detail(user=request.user, id=application.pk),
                        status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED, headers={"Location": url})


class ApplicationDetailApi(StaffApi, APIView):
    required_capability = Capability.AID_VIEW

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_application_retrieve", summary="One application",
        description="With its eligibility answer, deadlines and days remaining, timeline, requests for materials, "
        "objections, materials and documents (names only), the applicant's earlier applications you may see, and "
        "the actions you may take now. Outside your area it is a 404, as if it did not exist.",
        parameters=[ID_PARAM],
        responses={200: ApplicationDetailSerializer, 403: ApiErrorSerializer, 404: ApiErrorSerializer},
    )
    def get(self, request, id: int) -> Response:  # noqa: A002
        return Response(_detail(user=request.user, id=id))


class ApplicationPrivateApi(StaffApi, APIView):
    required_capability = Capability.AID_PRIVATE

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_application_private", summary="Full personal data of an application",
        description="The full ID numbers, phones, household income, health details and facts, for roles that need "
        "them (reviewers, directors). Every read leaves an audit row naming the fields shown.",
        parameters=[ID_PARAM],
        responses={200: ApplicationPrivateSerializer, 403: ApiErrorSerializer, 404: ApiErrorSerializer},
    )
    def get(self, request, id: int) -> Response:  # noqa: A002
        application = access_application(user=request.user, id=id)
        shown = application_private_view(actor=request.user, application=application)
        return Response(shown, headers={"Cache-Control": "no-store"})


# --- staff API: actions ------------------------------------------------------------------------------


class ApplicationActionApi(StaffApi, APIView):
    """POST …/actions/<action>: check the input, load the record in the user's area, call the service."""

    action: str
    transitions: tuple[str, ...]  # workflow actions this endpoint may perform
    required_capability: str
    input_serializer: type[serializers.Serializer] = VersionedSerializer

    def perform(self, *, user, application: Application, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request, id: int) -> Response:  # noqa: A002
        data = _valid(self.input_serializer, request.data)
        application = access_application(user=request.user, id=id)
        self.perform(user=request.user, application=application, data=data)
        return Response(_detail(user=request.user, id=id))


def _action_schema(*, action: str, summary: str, description: str, request):
    documented = extend_schema(
        tags=[TAG], operation_id=f"legal_aid_application_{action}", summary=summary,
        description=description + " Send the `version` you last read: if the application changed since, the "
        "answer is 409 and nothing changes. The answer is the application as it is now.",
        parameters=[ID_PARAM], request=request, responses={200: ApplicationDetailSerializer, **ERRORS},
    )
    return lambda view_method: documented(idempotent()(view_method))


class ReviewStartApi(ApplicationActionApi):
    action, transitions, required_capability = "review_start", ("review_start",), Capability.AID_REVIEW

    @_action_schema(action="review_start", summary="Start the review", request=VersionedSerializer,
                    description="A received application goes under review. Notifications have no review (409).")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.application_review_start(actor=user, application=application, expected_version=data["version"])


class SupplementRequestApi(ApplicationActionApi):
    action, transitions, required_capability = "supplement_request", ("supplement_request",), Capability.AID_REVIEW
    input_serializer = SupplementRequestInputSerializer

    @_action_schema(action="supplement_request", summary="Ask for missing materials", request=input_serializer,
                    description="One complete list of what is missing (一次性告知). The review clock stops until "
                    "the materials arrive; if they do not arrive in time the application is deemed withdrawn.")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.supplement_request(actor=user, application=application, items=data["items"], note=data["note"],
                                    expected_version=data["version"])


class SupplementReceiveApi(ApplicationActionApi):
    action, transitions, required_capability = "supplement_receive", ("supplement_receive",), Capability.AID_INTAKE
    input_serializer = NoteActionSerializer

    @_action_schema(action="supplement_receive", summary="Record the missing materials as received",
                    request=input_serializer,
                    description="The review clock restarts where it stopped.")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.supplement_receive(actor=user, application=application, note=data["note"],
                                    expected_version=data["version"])


class DecideApi(ApplicationActionApi):
    action, transitions, required_capability = "decide", ("grant", "refuse"), Capability.AID_DECIDE
    input_serializer = DecideInputSerializer

    @_action_schema(action="decide", summary="Grant or refuse legal aid", request=input_serializer,
                    description="A refusal needs written reasons. A decision that differs from the eligibility "
                    "check's suggestion needs `override_reason`.")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.application_decide(actor=user, application=application, decision=data["decision"],
                                    reasons=data["reasons"], override_reason=data["override_reason"],
                                    expected_version=data["version"])


class AdvanceAidApi(ApplicationActionApi):
    action, transitions, required_capability = "advance_aid", ("advance_aid",), Capability.AID_DECIDE
    input_serializer = AdvanceAidInputSerializer

    @_action_schema(action="advance_aid", summary="Give advance aid (Art. 44)", request=input_serializer,
                    description="Aid at once when a limitation period or deadline is less than 7 days away, or an "
                    "urgent measure is needed; the application is regularised later.")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.advance_aid_grant(actor=user, application=application, reason=data["reason"],
                                   limitation_deadline=data["limitation_deadline"],
                                   urgent_measure=data["urgent_measure"], expected_version=data["version"])


class RegulariseApi(ApplicationActionApi):
    action, transitions, required_capability = "regularise", ("regularise",), Capability.AID_DECIDE
    input_serializer = RegulariseInputSerializer

    @_action_schema(action="regularise", summary="Regularise advance aid", request=input_serializer,
                    description="The review after advance aid confirms it: the application becomes a grant.")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.advance_aid_regularise(actor=user, application=application, reasons=data["reasons"],
                                        expected_version=data["version"])


class WithdrawApi(ApplicationActionApi):
    action, transitions, required_capability = "withdraw", ("withdraw",), Capability.AID_INTAKE
    input_serializer = NoteActionSerializer

    @_action_schema(action="withdraw", summary="Record the applicant's withdrawal", request=input_serializer,
                    description="The applicant withdraws the application before a decision.")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.application_withdraw(actor=user, application=application, note=data["note"],
                                      expected_version=data["version"])


class ObjectApi(ApplicationActionApi):
    action, transitions, required_capability = "object", ("object",), Capability.AID_INTAKE
    input_serializer = ObjectInputSerializer

    @_action_schema(action="object", summary="Record an objection to a refusal (Art. 49)", request=input_serializer,
                    description="The justice bureau decides within 5 days.")
    def post(self, request, id: int) -> Response:  # noqa: A002
        return super().post(request, id)

    def perform(self, *, user, application, data) -> None:
        services.objection_file(actor=user, application=application, reasons=data["reasons"],
                                filed_at=data["filed_at"], expected_version=data["version"])


ACTION_VIEWS: tuple[type[ApplicationActionApi], ...] = (
    ReviewStartApi, SupplementRequestApi, SupplementReceiveApi, DecideApi, AdvanceAidApi, RegulariseApi,
    WithdrawApi, ObjectApi,
)


class ObjectionDecideApi(StaffApi, APIView):
    required_capability = Capability.AID_OBJECTION

    @extend_schema(
        tags=[TAG], operation_id="legal_aid_objection_decide", summary="Decide an objection (Art. 49)",
        description="Uphold the refusal, or order it corrected (the application is then granted). The answer is "
        "the application as it is now.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The objection's id.")],
        request=ObjectionDecideInputSerializer, responses={200: ApplicationDetailSerializer, **ERRORS},
    )
    @idempotent()
    def post(self, request, id: int) -> Response:  # noqa: A002
        data = _valid(ObjectionDecideInputSerializer, request.data)
        objection = access_objection(user=request.user, id=id)
        services.objection_decide(actor=request.user, objection=objection, correct=data["correct"],
                                  reasons=data["reasons"], expected_version=data.get("version"))
        return Response(_detail(user=request.user, id=objection.application_id))

"""The case quality API: draw samples and assign peer reviewers, record checks, grade a case,
follow supervision tickets, and read the published exemplary cases. The same services and rules as
the screens; errors in the project's one shape {"code", "message", "fields"}."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.models import User
from open12348.accounts.permissions import HasCapability
from open12348.accounts.roles import Capability
from open12348.accounts.scope import restrict_to_regions
from open12348.api.pagination import PageNumberPagination
from open12348.core.idempotency import idempotent
from open12348.core.serializers import ApiErrorSerializer
from open12348.legalaid.models import ProgressEntry
from open12348.network.apis import PublicRateThrottle

from . import services, services_review
from .access import access_quality_case
from .choices import ContactMode, Method, Organ, TicketStatus
from .models import Evaluation, ExemplaryCase, Sample, Ticket

TAG = "case quality"
ERRORS = {400: ApiErrorSerializer, 403: ApiErrorSerializer, 404: ApiErrorSerializer, 409: ApiErrorSerializer}


class EvaluatorApi(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, HasCapability]
    required_capability = Capability.QUALITY_EVALUATE
    parser_classes = [JSONParser]


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- output ------------------------------------------------------------------------------------------

class SampleCaseOut(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    number = serializers.CharField(source="case.number")
    stratum = serializers.CharField()
    for_lawyer_minimum = serializers.BooleanField()
    reviewer = serializers.IntegerField(source="reviewer_id", allow_null=True)


class SampleOut(serializers.Serializer):
    id = serializers.IntegerField()
    centre_ids = serializers.ListField(child=serializers.IntegerField())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    rate = serializers.DecimalField(max_digits=4, decimal_places=3)
    min_per_lawyer = serializers.IntegerField()
    seed = serializers.IntegerField()
    peer_review = serializers.BooleanField()
    drawn_at = serializers.DateTimeField()
    cases = SampleCaseOut(many=True, source="entries.all")


class EvaluationOut(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "case", "scheme", "method", "evaluator", "evaluated_on", "item_scores", "score", "comments",
                  "evidence", "sample", "hearing", "contact_mode", "satisfaction", "lawyer_met_client",
                  "risks_explained", "money_asked", "organ", "organ_reply", "recorded_at"]


class GradeOut(serializers.Serializer):
    case = serializers.IntegerField()
    score = serializers.CharField()
    grade = serializers.CharField()
    detail = serializers.JSONField()


class TicketOut(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")

    class Meta:
        model = Ticket
        fields = ["id", "case", "case_number", "status", "reason", "complaint", "owner", "deadline", "correction",
                  "opened_at", "evidence", "closed_at", "escalated_at"]


class ExemplaryOut(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name")

    class Meta:
        model = ExemplaryCase
        fields = ["id", "title", "category", "region", "summary", "significance", "published_at"]


def _sample(pk: int) -> Sample:
    return Sample.objects.prefetch_related("entries__case").get(pk=pk)


def _visible_sample(user, pk: int) -> Sample:
    """A sample whose cases are all in the user's region (one 404 for missing and not yours)."""
    sample = Sample.objects.filter(pk=pk).first()
    if sample is None or restrict_to_regions(sample.cases.all(), user=user).count() != sample.cases.count():
        raise Http404
    return _sample(sample.pk)


# --- input -------------------------------------------------------------------------------------------

class SampleIn(serializers.Serializer):
    centre_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    rate = serializers.DecimalField(max_digits=4, decimal_places=3)
    min_per_lawyer = serializers.IntegerField(min_value=0, default=1)
    seed = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    peer_review = serializers.BooleanField(default=False)


class PeersIn(serializers.Serializer):
    reviewers = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class EvaluationIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=Method.choices)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict)
    evaluated_on = serializers.DateField(required=False)
    comments = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    sample = serializers.IntegerField(required=False, allow_null=True)
    hearing = serializers.IntegerField(required=False, allow_null=True)
    contact_mode = serializers.ChoiceField(choices=ContactMode.choices, required=False, allow_blank=True, default="")
    satisfaction = serializers.IntegerField(required=False, allow_null=True)
    lawyer_met_client = serializers.BooleanField(required=False, allow_null=True, default=None)
    risks_explained = serializers.BooleanField(required=False, allow_null=True, default=None)
    money_asked = serializers.BooleanField(required=False, allow_null=True, default=None)
    organ = serializers.ChoiceField(choices=Organ.choices, required=False, allow_blank=True, default="")
    organ_reply = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceIn(serializers.Serializer):
    evidence = serializers.CharField(allow_blank=True)


# --- views ---------------------------------------------------------------------------------------------

class SampleListApi(EvaluatorApi):
    @extend_schema(tags=[TAG], summary="Draw a sample of closed cases", request=SampleIn,
                   responses={201: SampleOut, **ERRORS},
                   description="Stratified by category, with a minimum per lawyer; the seed is recorded so the "
                               "draw can be repeated. `peer_review` samples get reviewers from another county.")
    @idempotent()
    def post(self, request):
        data = _valid(SampleIn, request.data)
        sample = services.sample_draw(actor=request.user, **data)
        return Response(SampleOut(_sample(sample.pk)).data, status=status.HTTP_201_CREATED)


class SampleDetailApi(EvaluatorApi):
    @extend_schema(tags=[TAG], summary="One sample with its cases", responses={200: SampleOut, **ERRORS})
    def get(self, request, id: int):  # noqa: A002
        return Response(SampleOut(_visible_sample(request.user, id)).data)


class SamplePeersApi(EvaluatorApi):
    @extend_schema(tags=[TAG], summary="Assign peer reviewers from other counties", request=PeersIn,
                   responses={200: SampleOut, **ERRORS})
    @idempotent()
    def post(self, request, id: int):  # noqa: A002
        data = _valid(PeersIn, request.data)
        sample = _visible_sample(request.user, id)
        reviewers = list(User.objects.filter(pk__in=data["reviewers"], is_active=True))
        if len(reviewers) != len(set(data["reviewers"])):
            raise serializers.ValidationError({"reviewers": [_("Some of these accounts do not exist.")]})
        services_review.sample_assign_peers(actor=request.user, sample=sample, reviewers=reviewers)
        return Response(SampleOut(_sample(sample.pk)).data)


class CaseEvaluationsApi(EvaluatorApi):
    @extend_schema(tags=[TAG], summary="The checks recorded for a case", responses={200: EvaluationOut(many=True),
                                                                                     **ERRORS})
    def get(self, request, id: int):  # noqa: A002
        case = access_quality_case(user=request.user, id=id)
        return Response(EvaluationOut(Evaluation.objects.filter(case=case).order_by("evaluated_on", "id"),
                                      many=True).data)

    @extend_schema(tags=[TAG], summary="Record a check of the case (Art. 59)", request=EvaluationIn,
                   responses={201: EvaluationOut, **ERRORS},
                   description="The scores must cover exactly the items of the current scheme version that this "
                               "method scores, each 0–100.")
    @idempotent()
    def post(self, request, id: int):  # noqa: A002
        data = _valid(EvaluationIn, request.data)
        case = access_quality_case(user=request.user, id=id)
        sample_id, hearing_id = data.pop("sample", None), data.pop("hearing", None)
        data["sample"] = Sample.objects.filter(pk=sample_id).first() if sample_id else None
        data["hearing"] = ProgressEntry.objects.filter(pk=hearing_id, case=case).first() if hearing_id else None
        evaluation = services.evaluation_record(actor=request.user, case=case, **data)
        return Response(EvaluationOut(evaluation).data, status=status.HTTP_201_CREATED)


class CaseGradeApi(EvaluatorApi):
    @extend_schema(tags=[TAG], summary="Grade the case from its checks", request=None,
                   responses={200: GradeOut, **ERRORS},
                   description="Weighted mean of the methods (file review 5, hearing 3, opinion 1, follow-up 1), "
                               "graded by the scheme's bands, with caps. 不合格 opens a ticket and reduces the "
                               "subsidy.")
    @idempotent()
    def post(self, request, id: int):  # noqa: A002
        case = access_quality_case(user=request.user, id=id)
        grade = services.case_grade(actor=request.user, case=case)
        return Response({"case": case.pk, "score": str(grade.score), "grade": grade.grade, "detail": grade.detail})


class TicketListApi(EvaluatorApi):
    pagination_class = PageNumberPagination  # what get() pages with; the document shows the page's envelope
    @extend_schema(tags=[TAG], summary="Supervision tickets of my region", responses={200: TicketOut(many=True)})
    def get(self, request):
        tickets = restrict_to_regions(Ticket.objects.select_related("case"), user=request.user,
                                      region_field="case__region")
        if request.query_params.get("status") in TicketStatus.values:
            tickets = tickets.filter(status=request.query_params["status"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(tickets.order_by("deadline", "id"), request, view=self)
        return paginator.get_paginated_response(TicketOut(page, many=True).data)


class TicketCloseApi(APIView):
    """The ticket's owner (a lawyer) or an evaluator of the region closes it, with evidence."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(tags=[TAG], summary="Close a ticket with the evidence of the correction", request=EvidenceIn,
                   responses={200: TicketOut, **ERRORS})
    @idempotent()
    def post(self, request, id: int):  # noqa: A002
        data = _valid(EvidenceIn, request.data)
        ticket = Ticket.objects.select_related("case__region").filter(pk=id).first()
        if ticket is None or (ticket.owner_id != request.user.pk and not (
                request.user.can(Capability.QUALITY_EVALUATE) and services.in_scope(request.user, ticket.case.region))):
            raise Http404
        ticket = services.ticket_close(actor=request.user, ticket=ticket, evidence=data["evidence"])
        return Response(TicketOut(Ticket.objects.select_related("case").get(pk=ticket.pk)).data)


class ExemplaryListApi(APIView):
    """Public: the exemplary case library, as published (anonymised)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "public"
    pagination_class = PageNumberPagination  # what get() pages with; the document shows the page's envelope

    @extend_schema(tags=[TAG], summary="Published exemplary cases", responses={200: ExemplaryOut(many=True)})
    def get(self, request):
        cases = ExemplaryCase.objects.filter(published_at__isnull=False).select_related("region")
        if request.query_params.get("category"):
            cases = cases.filter(category=request.query_params["category"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(cases.order_by("-published_at", "-id"), request, view=self)
        return paginator.get_paginated_response(ExemplaryOut(page, many=True).data)

"""The consultation API (under /api/v1/): the duty lawyers' queue and answers, rating follow-ups for
staff, and the public Q&A library. Every write goes through the same services as the console."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.permissions import HasCapability, user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.idempotency import idempotent
from open12348.network.apis import PublicRateThrottle

from . import services, services_ratings
from .access import access_follow_up, access_question
from .choices import FollowUpStatus, QuestionCategory
from .selectors import (
    QUEUE_VIEWS,
    follow_ups_visible_to,
    library_search,
    question_queue_visible_to,
    question_thread,
)
from .serializers import (
    AnswerSerializer,
    DeclineSerializer,
    ErrorSerializer,
    FollowUpCloseSerializer,
    FollowUpSerializer,
    LibraryEntrySerializer,
    QuestionDetailSerializer,
    QuestionListSerializer,
)

TAG = "consultation"
ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class ConsultStaffApi:
    permission_classes = [IsAuthenticated]

    def check_permissions(self, request) -> None:
        super().check_permissions(request)
        if not (user_can(request.user, Capability.CONSULT_ANSWER) or user_can(request.user, Capability.CONSULT_MANAGE)):
            audit_record(actor=request.user, action="auth.permission_denied", result="denied",
                         extra={"capability": "consult.answer|consult.manage", "path": request.path[:200]})
            raise PermissionDenied


@extend_schema(tags=[TAG], summary="The online questions of the caller's region", parameters=[
    OpenApiParameter("view", OpenApiTypes.STR, enum=list(QUEUE_VIEWS), description="waiting (default) …"),
    OpenApiParameter("category", OpenApiTypes.STR, enum=list(QuestionCategory.values)),
], responses={200: QuestionListSerializer(many=True), **ERRORS})
class QuestionListApi(ConsultStaffApi, generics.ListAPIView):
    serializer_class = QuestionListSerializer
    filter_backends: list = []

    def get_queryset(self):
        view = self.request.query_params.get("view") or "waiting"
        category = self.request.query_params.get("category") or ""
        if view not in QUEUE_VIEWS or (category and category not in QuestionCategory.values):
            raise ValidationError({"view": [_("Choose a view and a kind of question from the list.")]})
        return question_queue_visible_to(user=self.request.user, view=view, category=category)


class QuestionDetailApi(ConsultStaffApi, APIView):
    @extend_schema(tags=[TAG], summary="One question with its thread (the reading is audited)",
                   responses={200: QuestionDetailSerializer, **ERRORS})
    def get(self, request, id: int) -> Response:
        question = access_question(user=request.user, id=id)
        audit_record(actor=request.user, action="consult.question.view", obj=question, extra={"via": "api"})
        question.thread = question_thread(question=question)
        return Response(QuestionDetailSerializer(question).data)


class QuestionAnswerApi(ConsultStaffApi, APIView):
    @extend_schema(tags=[TAG], summary="Answer (or add to the answer of) a question", request=AnswerSerializer,
                   responses={200: QuestionDetailSerializer, **ERRORS})
    @idempotent()
    def post(self, request, id: int) -> Response:
        question = access_question(user=request.user, id=id)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.question_answer(actor=request.user, question=question, text=data.validated_data["text"],
                                 expected_version=data.validated_data.get("version"))
        question = access_question(user=request.user, id=id)
        question.thread = question_thread(question=question)
        return Response(QuestionDetailSerializer(question).data)


class QuestionDeclineApi(ConsultStaffApi, APIView):
    @extend_schema(tags=[TAG], summary="Say the question cannot be answered online, and where to go",
                   request=DeclineSerializer, responses={200: QuestionDetailSerializer, **ERRORS})
    @idempotent()
    def post(self, request, id: int) -> Response:
        question = access_question(user=request.user, id=id)
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.question_decline(actor=request.user, question=question, reason=data.validated_data["reason"],
                                  expected_version=data.validated_data.get("version"))
        question = access_question(user=request.user, id=id)
        question.thread = question_thread(question=question)
        return Response(QuestionDetailSerializer(question).data)


@extend_schema(tags=[TAG], summary="Search the public Q&A library", parameters=[
    OpenApiParameter("q", OpenApiTypes.STR, description="Words that must all appear."),
    OpenApiParameter("category", OpenApiTypes.STR, enum=list(QuestionCategory.values)),
], responses={200: LibraryEntrySerializer(many=True), 400: ErrorSerializer, 429: ErrorSerializer})
class LibraryListApi(generics.ListAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "public"
    serializer_class = LibraryEntrySerializer
    filter_backends: list = []

    def get_queryset(self):
        q = (self.request.query_params.get("q") or "")[:50]
        category = self.request.query_params.get("category") or ""
        if category and category not in QuestionCategory.values:
            raise ValidationError({"category": [_("Choose a kind from the list.")]})
        return library_search(q=q, category=category)


def _with_ref(follow_ups):
    for follow_up in follow_ups:
        rating = follow_up.rating
        follow_up.subject_ref = services_ratings.subject_ref(rating.question or rating.case or rating.application)
    return follow_ups


@extend_schema(tags=[TAG], summary="Follow-ups of dissatisfied ratings in the caller's region", parameters=[
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(FollowUpStatus.values)),
], responses={200: FollowUpSerializer(many=True), **ERRORS})
class FollowUpListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated, HasCapability]
    required_capability = Capability.FEEDBACK_FOLLOW_UP
    serializer_class = FollowUpSerializer
    filter_backends: list = []

    def get_queryset(self):
        return follow_ups_visible_to(user=self.request.user,
                                     status=self.request.query_params.get("status") or FollowUpStatus.OPEN)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return _with_ref(page) if page is not None else None


class FollowUpCloseApi(APIView):
    permission_classes = [IsAuthenticated, HasCapability]
    required_capability = Capability.FEEDBACK_FOLLOW_UP

    @extend_schema(tags=[TAG], summary="Record the callback and close the follow-up", request=FollowUpCloseSerializer,
                   responses={200: FollowUpSerializer, **ERRORS})
    @idempotent()
    def post(self, request, id: int) -> Response:
        follow_up = access_follow_up(user=request.user, id=id)
        data = FollowUpCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services_ratings.follow_up_close(actor=request.user, follow_up=follow_up, **data.validated_data)
        follow_up = access_follow_up(user=request.user, id=id)
        return Response(FollowUpSerializer(_with_ref([follow_up])[0]).data)

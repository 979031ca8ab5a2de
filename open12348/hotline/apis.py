"""The hotline API: the telephony system's inbound events, and the staff API over work orders,
callbacks, the knowledge base, the roster and the board.

The telephony endpoint authenticates a telephony system by its bearer token (authentication.py),
not a staff session. Staff endpoints use the session and capabilities like every other app, load
records through access.py (one 404 for missing and not yours) and write through the services.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.permissions import HasCapability
from open12348.accounts.roles import Capability
from open12348.api.pagination import TwoStepPagination
from open12348.audit.services import audit_record
from open12348.core.idempotency import idempotent
from open12348.core.serializers import ApiErrorSerializer

from . import board, selectors
from .access import access_callback, access_hotline, access_work_order, can_any, hotline_ids_for
from .authentication import IsTelephonyClient, TelephonyTokenAuthentication
from .events import EventError, parse_event
from .selectors_knowledge import article_search
from .serializers import (
    ArticleHitSerializer,
    AttemptInputSerializer,
    CallbackSerializer,
    EventBatchResultSerializer,
    TelephonyEventBatchSerializer,
    WorkOrderDetailSerializer,
    WorkOrderListSerializer,
    WorkOrderRecordSerializer,
)
from .services import callbacks as callback_services
from .services.calls import work_order_record, work_order_reveal_phone
from .services.ingest import REJECTED, EventOutcome, call_events_ingest

TELEPHONY_TAG = "hotline: telephony"
TAG = "hotline"
MAX_BATCH = 500


# --- the telephony system's events -----------------------------------------------------------------

class TelephonyEventsApi(APIView):
    """Report call events. One event (a JSON object) or a batch: {"events": [...]}, up to 500.

    Events may come in any order and more than once: an event whose (call_id, event_id) is known
    is a duplicate and changes nothing. Each event gets a result: created, duplicate or rejected
    (with the reasons). A single rejected event answers 400; a batch answers 200 with the results.
    """

    authentication_classes = [TelephonyTokenAuthentication]
    permission_classes = [IsTelephonyClient]
    parser_classes = [JSONParser]
    throttle_classes: list = []

    @extend_schema(tags=[TELEPHONY_TAG], request=TelephonyEventBatchSerializer,
                   responses={200: EventBatchResultSerializer, 400: ApiErrorSerializer, 401: ApiErrorSerializer})
    @idempotent()
    def post(self, request: Request) -> Response:
        client = request.auth
        data = request.data
        single = isinstance(data, dict) and "events" not in data
        raw = [data] if single else (data.get("events") if isinstance(data, dict) else None)
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_BATCH:
            raise ValidationError({"events": [f"send one event, or a list of 1 to {MAX_BATCH} events"]})
        now, tz = timezone.now(), timezone.get_current_timezone()
        parsed, outcomes = [], [None] * len(raw)
        for index, item in enumerate(raw):
            try:
                parsed.append((index, parse_event(item, tz=tz, now=now)))
            except EventError as exc:
                item = item if isinstance(item, dict) else {}
                outcomes[index] = EventOutcome(str(item.get("call_id", ""))[:100], str(item.get("event_id", ""))[:100],
                                               REJECTED, errors=exc.errors)
        if parsed:
            results = call_events_ingest(hotline=client.hotline, events=[e for _i, e in parsed],
                                         actor=request.user, client=client)
            for (index, _event), outcome in zip(parsed, results, strict=True):
                outcomes[index] = outcome
        if single and outcomes[0].result == REJECTED:
            return Response({"code": "invalid", "message": _("The event was rejected."), "fields": outcomes[0].errors},
                            status=status.HTTP_400_BAD_REQUEST)
        body = {
            "created": sum(o.result == "created" for o in outcomes),
            "duplicates": sum(o.result == "duplicate" for o in outcomes),
            "rejected": sum(o.result == REJECTED for o in outcomes),
            "results": [{"call_id": o.call_id, "event_id": o.event_id, "result": o.result,
                         "work_order": o.work_order, "errors": o.errors} for o in outcomes],
        }
        return Response(body)


# --- staff --------------------------------------------------------------------------------------------

class _Staff(APIView):
    permission_classes = [HasCapability]
    required_capability = Capability.HOTLINE_ANSWER


class WorkOrderFilterSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    channel = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    category = serializers.CharField(required=False)
    topic = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    number = serializers.CharField(required=False)
    mine = serializers.BooleanField(required=False)


class WorkOrderListApi(_Staff):
    pagination_class = TwoStepPagination  # what get() pages with; the document shows the page's envelope
    @extend_schema(tags=[TAG], parameters=[WorkOrderFilterSerializer], responses=WorkOrderListSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = WorkOrderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        orders = selectors.work_order_list_visible_to(user=request.user, filters=filters.validated_data)
        paginator = TwoStepPagination()
        page = paginator.paginate_queryset(orders, request, view=self)
        return paginator.get_paginated_response(WorkOrderListSerializer(page, many=True).data)


class WorkOrderDetailApi(_Staff):
    @extend_schema(tags=[TAG], responses={200: WorkOrderDetailSerializer, 404: ApiErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        order = access_work_order(user=request.user, id=pk)
        return Response(WorkOrderDetailSerializer(order).data)

    @extend_schema(tags=[TAG], request=WorkOrderRecordSerializer,
                   responses={200: WorkOrderDetailSerializer, 400: ApiErrorSerializer, 409: ApiErrorSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        order = access_work_order(user=request.user, id=pk)
        body = WorkOrderRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version", None)
        order = work_order_record(actor=request.user, order=order, data=data, expected_version=version)
        return Response(WorkOrderDetailSerializer(access_work_order(user=request.user, id=order.pk)).data)


class RevealPhoneApi(_Staff):
    @extend_schema(tags=[TAG], request=None, responses={200: {"type": "object", "properties": {
        "caller_phone": {"type": "string"}}}})
    def post(self, request: Request, pk: int) -> Response:
        order = access_work_order(user=request.user, id=pk)
        return Response({"caller_phone": work_order_reveal_phone(actor=request.user, order=order)})


class CallbackListApi(_Staff):
    pagination_class = TwoStepPagination  # what get() pages with; the document shows the page's envelope
    @extend_schema(tags=[TAG], parameters=[OpenApiParameter("queue", enum=list(selectors.CALLBACK_QUEUES))],
                   responses=CallbackSerializer(many=True))
    def get(self, request: Request) -> Response:
        queue = request.query_params.get("queue", "queue")
        if queue not in selectors.CALLBACK_QUEUES:
            raise ValidationError({"queue": [f"one of {', '.join(selectors.CALLBACK_QUEUES)}"]})
        tasks = selectors.callback_queue(user=request.user, queue=queue)
        paginator = TwoStepPagination()
        page = paginator.paginate_queryset(tasks, request, view=self)
        return paginator.get_paginated_response(CallbackSerializer(page, many=True).data)


class CallbackAttemptApi(_Staff):
    @extend_schema(tags=[TAG], request=AttemptInputSerializer,
                   responses={200: CallbackSerializer, 400: ApiErrorSerializer, 409: ApiErrorSerializer})
    @idempotent()
    def post(self, request: Request, pk: int) -> Response:
        task = access_callback(user=request.user, id=pk)
        body = AttemptInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = callback_services.callback_attempt(actor=request.user, task=task, **body.validated_data)
        return Response(CallbackSerializer(access_callback(user=request.user, id=task.pk)).data)


class KnowledgeSearchApi(APIView):
    permission_classes = [HasCapability]
    required_capability = Capability.HOTLINE_ANSWER

    @extend_schema(tags=[TAG], parameters=[OpenApiParameter("q", str), OpenApiParameter("topic", str)],
                   responses=ArticleHitSerializer(many=True))
    def get(self, request: Request) -> Response:
        hits = article_search(query=request.query_params.get("q", "")[:100],
                              topic=request.query_params.get("topic", ""))
        return Response(ArticleHitSerializer(hits, many=True).data)


class OnDutyApi(_Staff):
    @extend_schema(tags=[TAG], responses={200: {"type": "array", "items": {"type": "object"}}})
    def get(self, request: Request) -> Response:
        result = []
        for hotline_id in hotline_ids_for(request.user):
            hotline = access_hotline(user=request.user, id=hotline_id)
            duty = selectors.on_duty_now(hotline=hotline)
            result.append({
                "hotline": hotline.pk, "name": hotline.name, "voice_mail": duty["voice_mail"],
                "on_duty": [{"seat": e.seat.code, "shift": e.shift.code, "person": str(e.user)}
                            for e in duty["entries"]],
            })
        return Response(result)


class HasAnyCapability(BasePermission):
    """DRF permission: any of the view's `any_capability`; a refusal is audited like HasCapability's."""

    def has_permission(self, request, view) -> bool:
        allowed = can_any(request.user, *view.any_capability)
        if not allowed and request.user.is_authenticated:
            audit_record(actor=request.user, action="auth.permission_denied", result="denied",
                         extra={"capability": list(view.any_capability), "path": request.path[:200]})
        return allowed


class BoardPeriodSerializer(serializers.Serializer):
    start = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    end = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])


class BoardApi(APIView):
    permission_classes = [HasAnyCapability]
    any_capability = (Capability.HOTLINE_MANAGE, Capability.DASHBOARD_VIEW)

    @extend_schema(tags=[TAG], parameters=[BoardPeriodSerializer],
                   responses={200: {"type": "object"}, 403: ApiErrorSerializer})
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        period = BoardPeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        start = period.validated_data.get("start") or today - dt.timedelta(days=365)
        end = period.validated_data.get("end") or today - dt.timedelta(days=1)
        figures = board.board_figures(hotline_ids=hotline_ids_for(request.user), start=start, end=end, today=today)
        return Response(figures)

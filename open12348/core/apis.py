"""Core public API: the legal-day clock."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.network.apis import PublicRateThrottle

from .calendar import due_date
from .calendar_store import legal_calendar
from .serializers import ApiErrorSerializer, CalendarDeadlineQuerySerializer, CalendarDeadlineSerializer


class DeadlineApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        tags=["calendar"],
        summary="Last day of a statutory period",
        description=(
            "Civil Code Art. 201–204: the day of the event (`start`) is not counted, the period ends on "
            "`start + days`, and if that day is a rest day or public holiday it moves to the first working day "
            "after it; make-up working days (调休上班) are working days. Holiday arrangements come from the State "
            "Council's yearly notices; for a year not entered yet the answer uses weekends only and "
            "`calendar_complete` is false. Errors name the parameter in `fields`."
        ),
        parameters=[CalendarDeadlineQuerySerializer],
        responses={200: CalendarDeadlineSerializer, 400: ApiErrorSerializer, 429: ApiErrorSerializer},
        examples=[OpenApiExample(
            "National Day 2025", response_only=True, status_codes=["200"],
            value={"start": "2025-09-26", "days": 7, "due": "2025-10-09", "calendar_complete": True,
                   "moved_over": ["2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07",
                                  "2025-10-08"]},
        )],
    )
    def get(self, request) -> Response:
        query = CalendarDeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        result = due_date(start=start, days=days, calendar=legal_calendar())
        return Response(CalendarDeadlineSerializer({
            "start": start, "days": days, "due": result.due,
            "calendar_complete": result.calendar_complete, "moved_over": list(result.moved_over),
        }).data)
